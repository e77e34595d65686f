/**
 * The synthetic "Sinusoid2d" data set of the flooding paper (Ishida et al.,
 * ICML 2020; `synthetic/sinusoid.py` of takashiishida/flooding): inputs uniform
 * in the disc of radius 2, clean label `[1.5·x₁ + sin(1.5·x₂) > 0]`, and
 * `⌊n·noise⌋` distinct labels flipped.
 *
 * @module
 */

/** A source of uniform numbers in `[0, 1)`, such as `seededRandom(seed)` from `@flood/core`. */
export type Uniform = () => number;

/** Radius of the disc the inputs are drawn from. */
export const SINUSOID_RADIUS = 2;

/** Points with 0/1 labels, stored flat so they can go straight into tensors. */
export interface SinusoidData {
  /** Row-major coordinates `[x₁, x₂, x₁, x₂, …]` (float32), length `2·size`. */
  x: Float32Array;
  /** Labels in {0, 1}, after the flips. */
  y: Uint8Array;
  /** The number of points. */
  size: number;
  /** The indices of the flipped labels, ascending. */
  flipped: number[];
}

/** The clean label of a point: 1 where `1.5·x₁ + sin(1.5·x₂) > 0`, else 0. */
export function sinusoidLabel(x1: number, x2: number): 0 | 1 {
  return 1.5 * x1 + Math.sin(1.5 * x2) > 0 ? 1 : 0;
}

/** A uniformly random permutation of `0 … n−1` (Fisher–Yates, from the last index down). */
export function permutation(n: number, random: Uniform): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * Draws `size` points uniformly in the disc of radius 2 (`r = 2·√u`, angle
 * `2πv`, rounded to float32 so a label matches its stored point), labels them,
 * then flips the labels of the first `⌊size·noise⌋` indices of a random
 * permutation.
 *
 * @param size - the number of points, a positive integer.
 * @param noise - the fraction of labels to flip, in `[0, 1]`.
 * @param random - the generator to draw from (advanced by the call).
 * @throws RangeError naming `size` or `noise` when out of range.
 */
export function sinusoid2d(size: number, noise: number, random: Uniform): SinusoidData {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`size must be a positive integer, got ${size}`);
  }
  if (!(noise >= 0 && noise <= 1)) {
    throw new RangeError(`noise must be in [0, 1], got ${noise}`);
  }
  const x = new Float32Array(2 * size);
  const y = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const r = SINUSOID_RADIUS * Math.sqrt(random());
    const angle = 2 * Math.PI * random();
    const x1 = Math.fround(r * Math.cos(angle));
    const x2 = Math.fround(r * Math.sin(angle));
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i] = sinusoidLabel(x1, x2);
  }
  const order = permutation(size, random);
  const flipped = Array.from(order.subarray(0, Math.floor(size * noise))).sort((a, b) => a - b);
  for (const i of flipped) y[i] = 1 - y[i]!;
  return { x, y, size, flipped };
}
