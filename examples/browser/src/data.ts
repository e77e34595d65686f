/**
 * The paper's two-dimensional synthetic data set "Sinusoid2d" (Ishida et al. 2020,
 * `synthetic/sinusoid.py` of takashiishida/flooding): x uniform in a disc of radius 2,
 * y = sign(1.5·x1 + sin(1.5·x2)), and ⌊n·noise⌋ training labels flipped at random.
 */

import { seededRandom } from '@flood/core';

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

/** Radius of the disc the points are drawn from. */
export const DISC_RADIUS = 2;

/** The clean label of a point: 1 where 1.5·x1 + sin(1.5·x2) > 0, else 0. */
export function sinusoidLabel(x1: number, x2: number): 0 | 1 {
  return 1.5 * x1 + Math.sin(1.5 * x2) > 0 ? 1 : 0;
}

/**
 * Draws `size` points uniformly in the disc of radius 2 (r = 2·√u, angle = 2πv) with
 * their clean labels, then flips the labels of ⌊size·noise⌋ distinct random points.
 *
 * @param size number of points, a positive integer
 * @param noise fraction of labels to flip, in [0, 1]
 * @param random the seeded generator to draw from (advanced by the call)
 */
export function sinusoid(size: number, noise: number, random: Random): Dataset {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`size must be a positive integer, got ${size}`);
  }
  if (!(noise >= 0 && noise <= 1)) {
    throw new RangeError(`noise must be in [0, 1], got ${noise}`);
  }
  const x = new Float32Array(2 * size);
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const r = DISC_RADIUS * Math.sqrt(random());
    const angle = 2 * Math.PI * random();
    // Rounded to float32 first, so the label matches the stored coordinates exactly.
    const x1 = Math.fround(r * Math.cos(angle));
    const x2 = Math.fround(r * Math.sin(angle));
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i] = sinusoidLabel(x1, x2);
  }
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const flipped = order.slice(0, Math.floor(size * noise)).sort((a, b) => a - b);
  for (const i of flipped) y[i] = 1 - y[i]!;
  return { x, y, size, flipped };
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
