/**
 * The paper's two-dimensional synthetic data set "Sinusoid2d" (Ishida et al. 2020,
 * `synthetic/sinusoid.py` of takashiishida/flooding): x uniform in a disc of radius 2,
 * y = sign(1.5·x1 + sin(1.5·x2)), and ⌊n·noise⌋ training labels flipped at random.
 */

import { seededRandom } from '@flood/core';
import { SINUSOID_RADIUS, sinusoid2d } from '@flood/example-data';

export { sinusoidLabel } from '@flood/example-data';

/** Radius of the disc the points are drawn from. */
export const DISC_RADIUS = SINUSOID_RADIUS;

/**
 * A seeded pseudo-random generator of uniform numbers in [0, 1), such as
 * `seededRandom(seed)` from `@flood/core` (mulberry32).
 */
export type Random = () => number;

/** Points and 0/1 labels, stored flat so they can go straight into tensors. */
export interface Dataset {
  /** Row-major coordinates, `[x1, x2, x1, x2, …]`, length `2 · size`. */
  x: Float32Array;
  /** Labels in {0, 1} (1 where 1.5·x1 + sin(1.5·x2) > 0, before noise). */
  y: Float32Array;
  /** Number of points. */
  size: number;
  /** Indices of the points whose label was flipped. */
  flipped: number[];
}

/**
 * `size` points of the paper's Sinusoid2d with ⌊size·noise⌋ distinct labels flipped
 * (`sinusoid2d` of the examples' shared data), labels as float32 for tensors.
 *
 * @param size number of points, a positive integer
 * @param noise fraction of labels to flip, in [0, 1]
 * @param random the seeded generator to draw from (advanced by the call)
 */
export function sinusoid(size: number, noise: number, random: Random): Dataset {
  const data = sinusoid2d(size, noise, random);
  return { x: data.x, y: Float32Array.from(data.y), size, flipped: data.flipped };
}

/** The example's data: a noisy training set and a clean test set from one seed. */
export interface Split {
  /** Training points, with label noise. */
  train: Dataset;
  /** Test points, clean labels (the paper measures test accuracy on clean labels). */
  test: Dataset;
}

/**
 * The training and test sets of the example, both drawn from one seeded generator.
 *
 * @param o.train training set size (default 200)
 * @param o.test test set size (default 2000)
 * @param o.noise training label noise (default 0.1, as in the paper's demo)
 * @param o.seed generator seed, an integer in [0, 2^32) (default 1)
 */
export function makeSplit(
  o: { train?: number; test?: number; noise?: number; seed?: number } = {},
): Split {
  const random = seededRandom(o.seed ?? 1);
  const train = sinusoid(o.train ?? 200, o.noise ?? 0.1, random);
  const test = sinusoid(o.test ?? 2000, 0, random);
  return { train, test };
}
