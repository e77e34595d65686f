/**
 * Trains the MLP on the sinusoid data with mini-batch Adam, optionally with
 * flooding (each step uses sign(L_batch − b) · ∇L_batch, Ishida et al. 2020), and
 * records the per-epoch training and validation losses: a real loss curve,
 * computed in about a second.
 */
import { type Schedule, seededRandom } from '@flood/core';
import { initialParameters, logisticLoss, parameterCount } from './mlp.js';
import { type Dataset, sinusoid } from './sinusoid.js';

/** Settings of {@link train}. */
export interface TrainSettings {
  /** Training points (few, so that the network can memorise the flipped labels). */
  trainSize: number;
  /** Validation points. */
  validationSize: number;
  /** Fraction of flipped labels. */
  noise: number;
  /** Hidden units. */
  hidden: number;
  /** Epochs (passes over the training set). */
  epochs: number;
  /** Points per mini-batch. */
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Seed of the data, the initial weights and the batch order. */
  seed: number;
}

/**
 * The defaults: full-batch Adam (one step per epoch, so the curve has no
 * mini-batch noise) on 200 noisy points. With seed 2 the validation loss is
 * lowest at epoch 147 (training loss 0.32 there) and then rises while the
 * training loss keeps falling: the network memorises the flipped labels.
 */
export const DEFAULT_TRAIN: TrainSettings = {
  trainSize: 200,
  validationSize: 1000,
  noise: 0.1,
  hidden: 64,
  epochs: 600,
  batchSize: 200,
  learningRate: 0.01,
  seed: 2,
};

/** One epoch of the loss curve. */
export interface EpochRecord {
  /** Epochs completed (1 for the first). */
  epoch: number;
  /** Optimizer steps completed (what a schedule is read at next). */
  step: number;
  /** The mean loss over the whole training set after the epoch (unflooded). */
  trainingLoss: number;
  /** The mean loss over the validation set after the epoch. */
  validationLoss: number;
  /** The flood level b at the epoch's last step (0 without flooding). */
  level: number;
}

/**
 * Trains and returns the loss curve. `level` is the flood level b read at every
 * step (omit it for plain training); `onEpoch` sees every record as it is made
 * (e.g. to feed an adaptive level).
 */
export function train(
  settings: TrainSettings,
  level?: Schedule,
  onEpoch?: (record: EpochRecord) => void,
): EpochRecord[] {
  const random = seededRandom(settings.seed);
  const trainSet = sinusoid(settings.trainSize, settings.noise, random);
  const validationSet = sinusoid(settings.validationSize, settings.noise, random);
  const { hidden, batchSize, learningRate } = settings;
  const params = initialParameters(hidden, random);
  const n = parameterCount(hidden);
  const gradient = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const order = Uint32Array.from({ length: trainSet.size }, (_, i) => i);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;
  let b = 0;
  const records: EpochRecord[] = [];
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    shuffle(order, random);
    for (let start = 0; start < trainSet.size; start += batchSize) {
      const end = Math.min(start + batchSize, trainSet.size);
      const loss = logisticLoss(params, hidden, trainSet, gradient, order, start, end);
      b = level ? level(step) : 0;
      const sign = loss >= b ? 1 : -1; // flooding: ascend below b
      step++;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      for (let j = 0; j < n; j++) {
        const g = sign * gradient[j];
        m[j] = beta1 * m[j] + (1 - beta1) * g;
        v[j] = beta2 * v[j] + (1 - beta2) * g * g;
        params[j] -= (learningRate * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
      }
    }
    const record: EpochRecord = {
      epoch,
      step,
      trainingLoss: meanLoss(params, hidden, trainSet),
      validationLoss: meanLoss(params, hidden, validationSet),
      level: b,
    };
    records.push(record);
    onEpoch?.(record);
  }
  return records;
}

function meanLoss(params: Float64Array, hidden: number, data: Dataset): number {
  return logisticLoss(params, hidden, data);
}

/** Fisher–Yates shuffle in place. */
function shuffle(order: Uint32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
}
