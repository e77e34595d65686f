/**
 * The flooding paper's synthetic "sinusoid" data set (Ishida et al., ICML 2020)
 * as this example's float64 MLP reads it: the examples' shared `sinusoid2d`.
 */
import { sinusoid2d } from '@flood/example-data';
import type { Random } from './random.js';

/** Points and 0/1 labels, row-major (`x[2i]`, `x[2i + 1]`). */
export interface Dataset {
  /** The inputs, two per point. */
  x: Float64Array;
  /** The labels, 0 or 1 (after the flips). */
  y: Float64Array;
  /** The number of points. */
  size: number;
}

/**
 * `size` points of the sinusoid data set with `⌊size·noise⌋` distinct labels
 * flipped (the paper uses 0.1).
 */
export function sinusoid(size: number, noise: number, random: Random): Dataset {
  const data = sinusoid2d(size, noise, random);
  return { x: Float64Array.from(data.x), y: Float64Array.from(data.y), size };
}
