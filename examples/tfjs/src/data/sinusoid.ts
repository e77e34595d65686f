/**
 * The synthetic 2-D sinusoid of Ishida et al. (ICML 2020, official code
 * `synthetic/sinusoid.py`, `Sinusoid2d`): x uniform in the disc of radius 2,
 * y = sign(1.5·x₁ + sin(1.5·x₂)), with ⌊n·noise⌋ labels flipped in the
 * training and validation sets and a clean test set.
 */
import { permutation, type Random } from '../random.js';
import type { Dataset } from './dataset.js';

/** Radius of the disc the inputs are drawn from. */
export const SINUSOID_RADIUS = 2;

/** The clean label of a point: 1 when 1.5·x₁ + sin(1.5·x₂) > 0, else 0. */
export function sinusoidLabel(x1: number, x2: number): number {
  return 1.5 * x1 + Math.sin(1.5 * x2) > 0 ? 1 : 0;
}

/**
 * `n` points uniform in the disc of radius 2 with their clean labels, then
 * ⌊n·noise⌋ distinct labels flipped (noise in [0, 1)).
 */
export function sinusoid2d(n: number, noise: number, random: Random): Dataset {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(noise >= 0 && noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${noise}`);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Uniform in the disc: radius ∝ √u, angle uniform.
    const r = SINUSOID_RADIUS * Math.sqrt(random());
    const angle = 2 * Math.PI * random();
    // Rounded to float32 first, so the stored point and its label agree.
    const x1 = Math.fround(r * Math.cos(angle));
    const x2 = Math.fround(r * Math.sin(angle));
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i] = sinusoidLabel(x1, x2);
  }
  const flips = Math.floor(n * noise);
  const order = permutation(n, random);
  for (let i = 0; i < flips; i++) {
    const row = order[i]!;
    y[row] = 1 - y[row]!;
  }
  return { x, y, n, features: 2, classes: 2 };
}
