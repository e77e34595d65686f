/**
 * The in-memory dataset the demo trains on: row-major features and integer
 * class labels, plus the deterministic subsample and split helpers.
 */
import { permutation, type Random } from '../random.js';

/** `n` examples of `features` numbers each, with labels in 0..classes-1. */
export interface Dataset {
  /** Row-major features, `n * features` numbers. */
  readonly x: Float32Array;
  /** Class labels, `n` integers in 0..classes-1. */
  readonly y: Int32Array;
  /** Number of examples. */
  readonly n: number;
  /** Numbers per example. */
  readonly features: number;
  /** Number of classes. */
  readonly classes: number;
}

/** The examples at `indices`, in that order. */
export function select(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { features } = data;
  const x = new Float32Array(indices.length * features);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    if (!(row >= 0 && row < data.n)) {
      throw new RangeError(`index must be in [0, ${data.n}), got ${row}`);
    }
    x.set(data.x.subarray(row * features, (row + 1) * features), i * features);
    y[i] = data.y[row]!;
  }
  return { x, y, n: indices.length, features, classes: data.classes };
}

/** `count` examples drawn without replacement (a seeded random subset). */
export function subsample(data: Dataset, count: number, random: Random): Dataset {
  if (!Number.isInteger(count) || count < 1 || count > data.n) {
    throw new RangeError(`count must be an integer in [1, ${data.n}], got ${count}`);
  }
  return select(data, permutation(data.n, random).subarray(0, count));
}

/**
 * A seeded random split into training and validation parts; the training part
 * gets `round(n * trainFraction)` examples (the paper uses 80:20).
 */
export function trainValidationSplit(
  data: Dataset,
  trainFraction: number,
  random: Random,
): { train: Dataset; validation: Dataset } {
  if (!(trainFraction > 0 && trainFraction < 1)) {
    throw new RangeError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  }
  const order = permutation(data.n, random);
  const cut = Math.round(data.n * trainFraction);
  if (cut < 1 || cut >= data.n) {
    throw new RangeError(
      `trainFraction ${trainFraction} of ${data.n} examples leaves an empty part`,
    );
  }
  return {
    train: select(data, order.subarray(0, cut)),
    validation: select(data, order.subarray(cut)),
  };
}

/** How many examples of each class (index = class). */
export function classCounts(data: Dataset): number[] {
  const counts = new Array<number>(data.classes).fill(0);
  for (const label of data.y) counts[label]! += 1;
  return counts;
}
