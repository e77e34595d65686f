/**
 * One training run: mini-batch epochs with any `tf.Optimizer` (plain or one of
 * the @flood/tfjs wrappers), the same seeded batch order for every method, and
 * an evaluation of the training, validation and test sets after each epoch.
 */
import { floodLoss } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { crossEntropy, evaluate, perSampleCrossEntropy } from './evaluate.js';
import { trainableVariables } from './model.js';
import { mulberry32, permutation } from './random.js';
import type { DeviceData } from './tensors.js';

/** What one epoch measured. Losses are mean cross-entropy in nats. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /**
   * Training loss: the mean of the raw (unflooded) mini-batch losses of the
   * epoch, as Keras logs it and as the paper plots it (for flooding it hovers
   * around b). Not a separate pass over the training set, which would cost as
   * much as the epoch's training.
   */
  readonly trainLoss: number;
  /** Loss on the validation set after the epoch (when one is given). */
  readonly validationLoss?: number;
  /** Accuracy on the validation set after the epoch (when one is given). */
  readonly validationAccuracy?: number;
  /** Loss on the test set after the epoch (when one is given). */
  readonly testLoss?: number;
  /** Accuracy on the test set after the epoch (when one is given). */
  readonly testAccuracy?: number;
  /**
   * floodProp (Ishida et al.): fraction of the epoch's mini-batches whose raw
   * loss was below the flood level, i.e. where flooding turned the step into
   * gradient ascent. Only when a flood level is given.
   */
  readonly floodProp?: number;
}

/** Settings of one run. */
export interface TrainOptions {
  /** Number of passes over the training set. */
  readonly epochs: number;
  /** Mini-batch size (the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  /** Seed of the batch order (same seed → same batches for every method). */
  readonly seed: number;
  /** The flood level b, to report floodProp; omit for methods without one. */
  readonly floodLevel?: number;
  /**
   * iFlood: train on mean_i(|ℓ_i − b| + b) (`floodLoss(…, { level: b, individual: true })`)
   * instead of the mean cross-entropy; the recorded training loss stays the raw one.
   */
  readonly individualLevel?: number;
  /** Evaluated after every epoch when given. */
  readonly validation?: DeviceData;
  /** Evaluated after every epoch when given. */
  readonly test?: DeviceData;
  /** Called after every epoch with its record (progress bars, logs). */
  readonly onEpoch?: (record: EpochRecord) => void;
}

/**
 * Trains `model` on `train` with `optimizer.minimize` (the loss is the mean
 * softmax cross-entropy of the batch) and returns one record per epoch.
 */
export async function trainRun(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  train: DeviceData,
  o: TrainOptions,
): Promise<EpochRecord[]> {
  if (!Number.isInteger(o.epochs) || o.epochs < 1) {
    throw new RangeError(`epochs must be a positive integer, got ${o.epochs}`);
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${o.batchSize}`);
  }
  const variables = trainableVariables(model);
  const iFlood =
    o.individualLevel === undefined
      ? undefined
      : floodLoss(perSampleCrossEntropy, { level: o.individualLevel, individual: true });
  const random = mulberry32(o.seed);
  const history: EpochRecord[] = [];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = permutation(train.n, random);
    const costs: tf.Scalar[] = [];
    for (let start = 0; start < train.n; start += o.batchSize) {
      const rows = tf.tensor1d(order.subarray(start, start + o.batchSize), 'int32');
      const xb = tf.gather(train.x, rows);
      const yb = tf.gather(train.y, rows);
      let raw: tf.Scalar | undefined;
      const cost = optimizer.minimize(
        () => {
          const logits = model.apply(xb, { training: true }) as tf.Tensor;
          if (!iFlood) return crossEntropy(yb, logits);
          raw = tf.keep(crossEntropy(yb, logits));
          return iFlood(yb, logits) as tf.Scalar;
        },
        true,
        variables,
      );
      tf.dispose([rows, xb, yb]);
      if (raw) {
        costs.push(raw);
        cost?.dispose();
      } else if (cost) costs.push(cost);
    }
    const losses = tf.tidy(() => tf.stack(costs));
    const batchLosses = Array.from(await losses.data());
    tf.dispose([losses, ...costs]);
    const validation = o.validation ? await evaluate(model, o.validation) : undefined;
    const test = o.test ? await evaluate(model, o.test) : undefined;
    const level = o.floodLevel;
    const record: EpochRecord = {
      epoch,
      trainLoss: batchLosses.reduce((a, b) => a + b, 0) / batchLosses.length,
      ...(validation
        ? { validationLoss: validation.loss, validationAccuracy: validation.accuracy }
        : {}),
      ...(test ? { testLoss: test.loss, testAccuracy: test.accuracy } : {}),
      ...(level === undefined
        ? {}
        : { floodProp: batchLosses.filter((l) => l < level).length / batchLosses.length }),
    };
    history.push(record);
    o.onEpoch?.(record);
  }
  return history;
}
