/**
 * A `model.fit` callback that reports what the flood optimizers did and drives
 * adaptive flood levels.
 *
 * @module
 */
import { type AdaptiveSchedule, isAdaptiveSchedule } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import { type FloodOptimizer, isFloodOptimizer } from './wrapper.js';

/** Logs as tfjs-layers passes them to callbacks: numbers or device scalars. */
export type UnresolvedLogs = Record<string, number | tf.Scalar>;

/** Options of {@link floodCallback}. */
export interface FloodCallbackOptions {
  /** The log entry fed to adaptive levels as the validation loss (default `'val_loss'`). */
  validationKey?: string;
  /**
   * Extra adaptive schedules to feed at every epoch end, e.g. the level of a
   * {@link floodLoss} (the optimizer's own adaptive schedules are always fed).
   */
  schedules?: AdaptiveSchedule[];
  /**
   * Log `gradNorm` (default true). The callback then sets the optimizer's
   * `recordGradientNorm` from the start to the end of training, so flooding
   * over a plain base computes the norm on every step (two passes over the
   * gradient; see `WrapperOptions.recordGradientNorm`); `false` leaves it as is.
   */
  gradNorm?: boolean;
}

async function readLog(v: number | tf.Scalar | undefined): Promise<number | undefined> {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : (await v.data())[0];
}

/**
 * The callback made by {@link floodCallback}. A real `tf.Callback`, so it mixes
 * with `tf.callbacks.earlyStopping` in any order (tfjs#1792).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FloodCallback, flooding } from '@flood/tfjs';
 * const optimizer = flooding(tf.train.adam(1e-3), { level: 0.05 });
 * const callbacks = [tf.callbacks.earlyStopping({ patience: 5 }), new FloodCallback(optimizer)];
 * ```
 */
export class FloodCallback extends Callback {
  private optimizer: FloodOptimizer | undefined;
  private readonly given: tf.Optimizer | undefined;
  private readonly validationKey: string;
  private readonly extra: AdaptiveSchedule[];
  private readonly logGradNorm: boolean;
  private recordedBefore: boolean | undefined;
  private ascended: tf.Scalar | undefined;
  private gradNorm: tf.Scalar | undefined;
  private batches = 0;
  private ascentCounted = false;
  private lastSeen = -1;

  /** See {@link floodCallback}. */
  constructor(optimizer?: tf.Optimizer, options: FloodCallbackOptions = {}) {
    super();
    if (optimizer !== undefined && !isFloodOptimizer(optimizer)) {
      throw new RangeError('optimizer must be a @flood/tfjs optimizer (flooding, sam, …)');
    }
    const key = options.validationKey ?? 'val_loss';
    if (typeof key !== 'string') throw new RangeError('validationKey must be a string');
    const extra = options.schedules ?? [];
    if (!Array.isArray(extra) || !extra.every(isAdaptiveSchedule)) {
      throw new RangeError('schedules must be an array of adaptive schedules');
    }
    if (options.gradNorm !== undefined && typeof options.gradNorm !== 'boolean') {
      throw new RangeError(`gradNorm must be a boolean, got ${typeof options.gradNorm}`);
    }
    this.given = optimizer;
    this.validationKey = key;
    this.extra = extra;
    this.logGradNorm = options.gradNorm ?? true;
  }

  private target(): FloodOptimizer | undefined {
    if (this.optimizer) return this.optimizer;
    const opt = this.given ?? this.model?.optimizer;
    this.optimizer = isFloodOptimizer(opt) ? opt : undefined;
    return this.optimizer;
  }

  private reset(): void {
    tf.dispose([this.ascended ?? [], this.gradNorm ?? []]);
    this.ascended = undefined;
    this.gradNorm = undefined;
    this.batches = 0;
    this.ascentCounted = false;
  }

  /** Makes the optimizer record gradient norms (when `gradNorm` is on). */
  override async onTrainBegin(): Promise<void> {
    const opt = this.target();
    if (opt && this.logGradNorm && this.recordedBefore === undefined) {
      this.recordedBefore = opt.recordGradientNorm;
      opt.recordGradientNorm = true;
    }
  }

  /** Resets the epoch's accumulators. */
  override async onEpochBegin(): Promise<void> {
    this.reset();
  }

  /** Adds the batch's ascent flag and gradient norm to device accumulators (no read-back). */
  override async onBatchEnd(): Promise<void> {
    const last = this.target()?.lastStep;
    if (!last || last.skipped || last.step === this.lastSeen) return;
    this.lastSeen = last.step;
    const accumulate = (acc: tf.Scalar | undefined, x: tf.Scalar): tf.Scalar => {
      const next = tf.keep((acc ? tf.add(acc, x) : x.clone()) as tf.Scalar);
      acc?.dispose();
      return next;
    };
    if (last.ascended) {
      this.ascended = accumulate(this.ascended, last.ascended);
      this.ascentCounted = true;
    }
    if (last.gradientNorm) this.gradNorm = accumulate(this.gradNorm, last.gradientNorm);
    this.batches += 1;
  }

  /**
   * Adds `floodProp` (share of the epoch's steps that ascended; flooding only),
   * `gradNorm` (mean ‖∇L(θ)‖ over the epoch's steps) and `floodLevel` (the level
   * in effect at the last step) to the epoch logs, then feeds every adaptive
   * schedule `{step, trainingLoss: logs.loss, validationLoss: logs[validationKey]}`.
   */
  override async onEpochEnd(_epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const opt = this.target();
    const last = opt?.lastStep;
    if (logs && this.batches > 0) {
      if (this.ascentCounted && this.ascended) {
        logs.floodProp = (await this.ascended.data())[0]! / this.batches;
      }
      if (this.gradNorm) logs.gradNorm = (await this.gradNorm.data())[0]! / this.batches;
    }
    if (logs && last?.hyperparameters.level !== undefined) {
      logs.floodLevel = last.hyperparameters.level;
    }
    this.reset();
    const trainingLoss = await readLog(logs?.loss);
    if (trainingLoss === undefined) return;
    const validationLoss = await readLog(logs?.[this.validationKey]);
    const observation = {
      step: opt?.iterations ?? 0,
      trainingLoss,
      ...(validationLoss !== undefined ? { validationLoss } : {}),
    };
    opt?.observe(observation);
    for (const s of this.extra) s.observe(observation);
  }

  /** Frees the accumulators and puts the optimizer's `recordGradientNorm` back. */
  override async onTrainEnd(): Promise<void> {
    this.reset();
    if (this.optimizer && this.recordedBefore !== undefined) {
      this.optimizer.recordGradientNorm = this.recordedBefore;
    }
    this.recordedBefore = undefined;
  }
}

/**
 * A `model.fit` / `fitDataset` callback for the flood optimizers. At every epoch
 * end it adds to the logs (and so to `history`):
 *
 * - `floodProp`: the share of the epoch's steps where flooding ascended
 *   (`L < b`), the metric of Ishida et al.'s code; accumulated on the device and
 *   read once per epoch;
 * - `gradNorm`: the mean `‖∇L(θ)‖₂` over the epoch's steps (unless
 *   `gradNorm: false`; the callback makes the optimizer record the norm while
 *   training);
 * - `floodLevel`: the flood level in effect at the epoch's last step;
 *
 * and calls `observe({step, trainingLoss, validationLoss})` on every adaptive
 * schedule of the optimizer (e.g. an adaptive flood level from
 * `@flood/schedulers`) and on `options.schedules`.
 *
 * @param optimizer - the wrapper to watch (default: the model's optimizer).
 * @param options - `validationKey` (default `'val_loss'`), extra `schedules`,
 *   `gradNorm` (default true).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { flooding, floodCallback } from '@flood/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * const optimizer = flooding(tf.train.sgd(0.1), { level: 0.05 });
 * model.compile({ optimizer, loss: 'meanSquaredError' });
 * const xs = tf.randomNormal([32, 2]);
 * const ys = tf.randomNormal([32, 1]);
 * const history = await model.fit(xs, ys, { epochs: 2, callbacks: [floodCallback(optimizer)] });
 * console.log(history.history.floodProp);
 * ```
 */
export function floodCallback(
  optimizer?: tf.Optimizer,
  options: FloodCallbackOptions = {},
): FloodCallback {
  return new FloodCallback(optimizer, options);
}
