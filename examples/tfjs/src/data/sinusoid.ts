/**
 * The synthetic 2-D sinusoid of Ishida et al. (ICML 2020, official code
 * `synthetic/sinusoid.py`, `Sinusoid2d`) as this demo's data sets hold it: the
 * examples' shared generator (`@flood/example-data`), with int32 labels.
 */
import { sinusoid2d as sharedSinusoid } from '@flood/example-data';
import type { Random } from '../random.js';
import type { Dataset } from './dataset.js';

export { SINUSOID_RADIUS, sinusoidLabel } from '@flood/example-data';

/**
 * `n` points uniform in the disc of radius 2 with their clean labels, then
 * ⌊n·noise⌋ distinct labels flipped (noise in [0, 1)).
 */
export function sinusoid2d(n: number, noise: number, random: Random): Dataset {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(noise >= 0 && noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${noise}`);
  const data = sharedSinusoid(n, noise, random);
  return { x: data.x, y: Int32Array.from(data.y), n, features: 2, classes: 2 };
}
