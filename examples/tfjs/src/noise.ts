/**
 * Symmetric label noise and the loss it leaves reachable: the noisy labels the
 * demo trains and selects on, and the flood level the entropy argument suggests.
 */
import type { Random } from './random.js';

/**
 * Symmetric label noise (the protocol of the SAM paper's label-noise table and
 * of Ishida et al.'s synthetic code): exactly ⌊n·rate⌋ examples, chosen
 * uniformly without replacement, get a label drawn uniformly from the
 * `classes − 1` other classes. Returns a new array and the flipped indices;
 * `labels` is not changed. `rate` in [0, 1), `classes` >= 2.
 */
export function symmetricNoise(
  labels: Int32Array,
  rate: number,
  classes: number,
  random: Random,
): { labels: Int32Array; flipped: Int32Array } {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`rate must be in [0, 1), got ${rate}`);
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`classes must be an integer >= 2, got ${classes}`);
  }
  const n = labels.length;
  const count = Math.floor(n * rate);
  // Partial Fisher–Yates: the first `count` entries of a random permutation.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const flipped = order.slice(0, count).sort();
  const out = Int32Array.from(labels);
  for (const i of flipped) {
    const label = labels[i]!;
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new RangeError(`labels must be integers in [0, ${classes}), got ${label}`);
    }
    // A uniform draw from the other classes: 0..classes-2, skipping the true one.
    const other = Math.floor(random() * (classes - 1));
    out[i] = other >= label ? other + 1 : other;
  }
  return { labels: out, flipped };
}

/**
 * The cross-entropy (nats) of the best possible predictor on labels with
 * symmetric noise at `rate` over `classes` classes: the entropy of the noisy
 * label given the clean one,
 *
 * H = −(1 − η)·ln(1 − η) − η·ln(η / (K − 1))
 *
 * (1.55 nats at η = 0.4, K = 10; 0 at η = 0). A model whose training loss goes
 * below H is fitting the flipped labels, so H is the natural flood level
 * (Ishida et al. ask for b near the loss that generalises).
 */
export function noisyLabelEntropy(rate: number, classes: number): number {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`rate must be in [0, 1), got ${rate}`);
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`classes must be an integer >= 2, got ${classes}`);
  }
  if (rate === 0) return 0;
  return -(1 - rate) * Math.log(1 - rate) - rate * Math.log(rate / (classes - 1));
}
