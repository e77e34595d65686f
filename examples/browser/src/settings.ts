/** The run settings, read from the page's query string (pure, DOM-free). */
import { BASES, type BaseName, METHODS, type MethodName } from './methods.js';

/** What the page trains. */
export interface Settings {
  /** Flood level b of the flooded run (default 0.25). */
  level: number;
  /** Flooding variant of the flooded run (default: the first of METHODS). */
  method: MethodName;
  /** Base optimizer of both runs (default `adam`). */
  base: BaseName;
  /** Number of full-batch steps (default 400). */
  epochs: number;
}

/** The defaults: the run the page starts on load, which the e2e test checks. */
export const DEFAULTS: Settings = {
  level: 0.25,
  method: Object.keys(METHODS)[0] as MethodName,
  base: 'adam',
  epochs: 400,
};

/**
 * Settings from `?b=0.2&method=…&base=sgd&epochs=300`; absent keys take the defaults.
 * Throws a RangeError naming the parameter when a value is out of range.
 */
export function parseSettings(search: string): Settings {
  const q = new URLSearchParams(search);
  const level = number(q.get('b'), DEFAULTS.level);
  if (!(level >= 0 && level <= 2)) throw new RangeError(`b must be in [0, 2], got ${q.get('b')}`);
  const epochs = number(q.get('epochs'), DEFAULTS.epochs);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 5000) {
    throw new RangeError(`epochs must be an integer in [1, 5000], got ${q.get('epochs')}`);
  }
  const method = q.get('method') ?? DEFAULTS.method;
  if (!(method in METHODS)) {
    throw new RangeError(
      `method must be one of ${Object.keys(METHODS).join(', ')}, got '${method}'`,
    );
  }
  const base = q.get('base') ?? DEFAULTS.base;
  if (!(base in BASES)) {
    throw new RangeError(`base must be one of ${Object.keys(BASES).join(', ')}, got '${base}'`);
  }
  return { level, epochs, method: method as MethodName, base: base as BaseName };
}

function number(raw: string | null, fallback: number): number {
  return raw === null || raw.trim() === '' ? fallback : Number(raw);
}

/**
 * The paper demo's `floodProp`: the fraction of the last `window` steps in which the
 * flood was active (the step ascended because L < b), from per-step 0/1 flags.
 * NaN before the first step.
 */
export function floodProp(ascended: readonly number[], window = 20): number {
  const recent = ascended.slice(-window);
  if (recent.length === 0) return Number.NaN;
  return recent.reduce((sum, flag) => sum + flag, 0) / recent.length;
}
