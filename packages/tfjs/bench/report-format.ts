/** Number formats of the bench report. */
import type { Summary } from './stats.js';

/** Milliseconds with 3 significant digits or fewer (0 decimals from 100, 1 from 10, else 2). */
export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** A time summary as `median (IQR)`, in ms. */
export const time = (s: Summary) => `${ms(s.median)} (${ms(s.iqr)})`;
/** Bytes in MiB, 2 decimals. */
export const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
