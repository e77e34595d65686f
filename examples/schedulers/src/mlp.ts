/**
 * A one-hidden-layer perceptron for 2-D binary classification in plain
 * JavaScript: x → relu(W1·x + b1) → w2·h + b2 = logit, with the mean logistic
 * loss (binary cross-entropy on the logit) and its exact gradient.
 *
 * Parameters live in one Float64Array: W1 (hidden × 2, row-major), b1 (hidden),
 * w2 (hidden), b2 (1).
 */

import { gaussian, type Random } from './random.js';
import type { Dataset } from './sinusoid.js';

/** The number of parameters of an MLP with `hidden` units. */
export function parameterCount(hidden: number): number {
  return 4 * hidden + 1;
}

/** He-initialised weights (biases 0). */
export function initialParameters(hidden: number, random: Random): Float64Array {
  const p = new Float64Array(parameterCount(hidden));
  const s1 = Math.sqrt(2 / 2);
  const s2 = Math.sqrt(1 / hidden);
  for (let j = 0; j < 2 * hidden; j++) p[j] = s1 * gaussian(random);
  for (let j = 0; j < hidden; j++) p[3 * hidden + j] = s2 * gaussian(random);
  return p;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * The mean logistic loss over the points `order[start … end − 1]` of `data`
 * (all points if `order` is omitted); if `gradient` is given, it is
 * overwritten with the gradient of that mean.
 */
export function logisticLoss(
  params: Float64Array,
  hidden: number,
  data: Dataset,
  gradient?: Float64Array,
  order?: Uint32Array,
  start = 0,
  end = data.size,
): number {
  const b1 = 2 * hidden;
  const w2 = 3 * hidden;
  const b2 = 4 * hidden;
  if (gradient) gradient.fill(0);
  let total = 0;
  const n = end - start;
  for (let k = start; k < end; k++) {
    const i = order ? order[k] : k;
    const x1 = data.x[2 * i];
    const x2 = data.x[2 * i + 1];
    const y = data.y[i];
    let z = params[b2];
    for (let j = 0; j < hidden; j++) {
      const a = params[2 * j] * x1 + params[2 * j + 1] * x2 + params[b1 + j];
      if (a > 0) z += params[w2 + j] * a;
    }
    total += softplus(z) - y * z;
    if (!gradient) continue;
    // d loss / d z = σ(z) − y, averaged over the batch.
    const dz = (1 / (1 + Math.exp(-z)) - y) / n;
    gradient[b2] += dz;
    for (let j = 0; j < hidden; j++) {
      const a = params[2 * j] * x1 + params[2 * j + 1] * x2 + params[b1 + j];
      if (a <= 0) continue;
      gradient[w2 + j] += dz * a;
      const da = dz * params[w2 + j];
      gradient[2 * j] += da * x1;
      gradient[2 * j + 1] += da * x2;
      gradient[b1 + j] += da;
    }
  }
  return total / n;
}
