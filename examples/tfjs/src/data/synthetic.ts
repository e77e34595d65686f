/**
 * The other two synthetic data sets of Ishida et al. (ICML 2020, official code
 * `synthetic/gaussian.py` and `synthetic/spiral.py`), with ⌊n·noise⌋ labels
 * flipped like their Sinusoid2d (see `sinusoid.ts`).
 */
import { symmetricNoise } from '../noise.js';
import type { Random } from '../random.js';
import type { Dataset } from './dataset.js';

/** A standard normal draw (Box–Muller) from a uniform source. */
export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function check(n: number, noise: number): void {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2, got ${n}`);
  if (!(noise >= 0 && noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${noise}`);
}

/**
 * Two Gaussians in `dim` dimensions (default 10): class 0 ~ N(0, I), class 1 ~
 * N(mean·1, I) (mean default 1, the code's `negative_gaussian_mean`), ⌈n/2⌉ and
 * ⌊n/2⌋ points, then ⌊n·noise⌋ labels flipped. (The official code's index bug
 * flips only one label; we flip ⌊n·noise⌋ as its Sinusoid2d and Spiral do.)
 */
export function twoGaussians(
  n: number,
  noise: number,
  random: Random,
  dim = 10,
  mean = 1,
): Dataset {
  check(n, noise);
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i < Math.ceil(n / 2) ? 0 : 1;
    y[i] = label;
    for (let j = 0; j < dim; j++) x[i * dim + j] = label * mean + gaussian(random);
  }
  return { x, y: symmetricNoise(y, noise, 2, random).labels, n, features: dim, classes: 2 };
}

/**
 * The two-armed spiral: a = linspace(0, 4π, m) for each class (m = n/2),
 * class 0 at (a·cos a, a·sin a), class 1 at ((a + π)·cos a, (a + π)·sin a),
 * each coordinate plus `spread`·N(0, 1) (default 0.5), then ⌊n·noise⌋ labels
 * flipped. Points are drawn at random positions a (uniform in [0, 4π]) so that
 * training, validation and test sets are independent draws.
 */
export function spiral(n: number, noise: number, random: Random, spread = 0.5): Dataset {
  check(n, noise);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const a = 4 * Math.PI * random();
    const r = a + label * Math.PI;
    x[2 * i] = r * Math.cos(a) + spread * gaussian(random);
    x[2 * i + 1] = r * Math.sin(a) + spread * gaussian(random);
    y[i] = label;
  }
  return { x, y: symmetricNoise(y, noise, 2, random).labels, n, features: 2, classes: 2 };
}
