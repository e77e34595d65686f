/**
 * The demo's three splits for a plan, a noise rate and a seed: training and
 * validation images with symmetric label noise, and a test set with clean
 * labels, all drawn deterministically from the seed.
 */
import type { DatasetName } from '../cli.js';
import { symmetricNoise } from '../noise.js';
import { mulberry32, permutation } from '../random.js';
import { type Dataset, trainValidationSplit } from './dataset.js';
import { fashionSize, loadFashion } from './fashion.js';
import { loadMnist, mnistSize } from './mnist.js';

/** Training, validation and test sets, and what they are in words. */
export interface Splits {
  /** What the model is trained on (noisy labels). */
  readonly train: Dataset;
  /** Held out for choosing the flood level and the early-stopping epoch (noisy labels). */
  readonly validation: Dataset;
  /** Held out for the reported numbers (clean labels). */
  readonly test: Dataset;
  /** Share of training labels that differ from the true ones. */
  readonly trainNoise: number;
  /** A one-line description with the sizes. */
  readonly description: string;
}

/** What {@link loadSplits} needs to know. */
export interface SplitOptions {
  /** MNIST or Fashion-MNIST. */
  readonly dataset: DatasetName;
  /** Labelled images drawn from the training pool (split 80:20). */
  readonly examples: number;
  /** Test images drawn from the test pool. */
  readonly testExamples: number;
  /** Symmetric noise rate of the training and validation labels, in [0, 1). */
  readonly noise: number;
}

/**
 * Builds the splits from `seed`: a random subset of the training pool split
 * 80:20 (Ishida et al.'s protocol), ⌊n·noise⌋ labels of each part replaced by
 * another class ({@link symmetricNoise}), and a random subset of the test pool.
 */
export function loadSplits(o: SplitOptions, seed: number): Splits {
  const mnist = o.dataset === 'mnist';
  const poolSize = mnist ? mnistSize('train') : fashionSize('train');
  const testSize = mnist ? mnistSize('test') : fashionSize('test');
  const load = mnist ? loadMnist : loadFashion;
  const labelled = load('train', sampleRows(poolSize, o.examples, seed));
  const clean = trainValidationSplit(labelled, 0.8, mulberry32(seed + 1));
  const noisy = (d: Dataset, s: number): Dataset => ({
    ...d,
    y: symmetricNoise(d.y, o.noise, d.classes, mulberry32(s)).labels,
  });
  const train = noisy(clean.train, seed + 3);
  const validation = noisy(clean.validation, seed + 4);
  const test = load('test', sampleRows(testSize, o.testExamples, seed + 2));
  let wrong = 0;
  for (let i = 0; i < train.n; i++) if (train.y[i] !== clean.train.y[i]) wrong++;
  const name = mnist ? 'MNIST' : 'Fashion-MNIST';
  const noiseText =
    o.noise > 0
      ? `, ${100 * o.noise} % of the training and validation labels replaced by a uniformly drawn other class`
      : ', labels clean';
  return {
    train,
    validation,
    test,
    trainNoise: wrong / train.n,
    description: `${name}: a random ${o.examples} of the ${poolSize} training images, split 80:20 into ${train.n} training / ${validation.n} validation${noiseText}; ${test.n} test images (random subset of ${testSize}, clean labels); pixels scaled to [0, 1]`,
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
