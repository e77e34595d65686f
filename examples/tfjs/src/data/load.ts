/**
 * The demo's three splits for a plan: training, validation and test sets,
 * drawn deterministically from the seed.
 */
import type { Plan } from '../plan.js';
import { mulberry32, permutation } from '../random.js';
import { type Dataset, trainValidationSplit } from './dataset.js';
import { loadMnist, mnistSize } from './mnist.js';
import { sinusoid2d } from './sinusoid.js';

/** Training, validation and test sets, and what they are in words. */
export interface Splits {
  /** What the model is trained on. */
  readonly train: Dataset;
  /** Held out for choosing the flood level. */
  readonly validation: Dataset;
  /** Held out for the reported numbers. */
  readonly test: Dataset;
  /** A one-line description with the sizes. */
  readonly description: string;
}

/** Label noise of the sinusoid's training and validation sets (Ishida et al.). */
export const SINUSOID_NOISE = 0.1;

/** Builds the splits of `plan` from `seed`. */
export function loadSplits(plan: Plan, seed: number): Splits {
  if (plan.dataset === 'mnist') {
    const poolSize = mnistSize('train');
    const testSize = mnistSize('test');
    const labelled = loadMnist('train', sampleRows(poolSize, plan.examples, seed));
    const { train, validation } = trainValidationSplit(labelled, 0.8, mulberry32(seed + 1));
    const test = loadMnist('test', sampleRows(testSize, plan.testExamples, seed + 2));
    const sub =
      plan.examples < poolSize
        ? `a random ${plan.examples} of the ${poolSize} training images`
        : `all ${poolSize} training images`;
    const testNote = test.n < testSize ? ` (random subset of the ${testSize})` : '';
    return {
      train,
      validation,
      test,
      description: `MNIST, ${sub} split 80:20 into ${train.n} training / ${validation.n} validation; ${test.n} test images${testNote}; pixels scaled to [0, 1]`,
    };
  }
  const train = sinusoid2d(plan.examples, SINUSOID_NOISE, mulberry32(seed));
  const validation = sinusoid2d(plan.examples, SINUSOID_NOISE, mulberry32(seed + 1));
  const test = sinusoid2d(plan.testExamples, 0, mulberry32(seed + 2));
  return {
    train,
    validation,
    test,
    description: `Sinusoid2d (Ishida et al.): ${train.n} training / ${validation.n} validation points with ${100 * SINUSOID_NOISE}% flipped labels, ${test.n} clean test points`,
  };
}

/** `count` distinct row indices of `size`, seeded (all rows, in order, when count = size). */
function sampleRows(size: number, count: number, seed: number): Int32Array {
  if (!Number.isInteger(count) || count < 1 || count > size) {
    throw new RangeError(`examples must be an integer in [1, ${size}], got ${count}`);
  }
  if (count === size) return Int32Array.from({ length: size }, (_, i) => i);
  return permutation(size, mulberry32(seed)).subarray(0, count);
}
