/**
 * A `model.fit` callback that reports what the flood optimizers did and drives
 * adaptive flood levels.
 *
 * @module
 */
import type { AdaptiveSchedule } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { CustomCallback, type LayersModel } from '@tensorflow/tfjs-layers';
import { idleReason } from './callback-idle.js';
import {
  type FloodCallbackOptions,
  resolveCallbackOptions,
  type UnresolvedLogs,
} from './callback-options.js';
import { addEpochMeans, observeEpoch } from './epoch-logs.js';
import { EpochTotals } from './epoch-totals.js';
import { fitModelOf, watch } from './fit-check.js';
import { type FloodOptimizer, isFloodOptimizer } from './wrapper.js';

export type { FloodCallbackOptions, UnresolvedLogs } from './callback-options.js';

/** A `model.fit` callback hook as tfjs-layers calls it. */
type CallbackHook<A extends unknown[]> = (...args: A) => Promise<void>;

/**
 * The callback made by {@link floodCallback}.
 *
 * tfjs-layers takes `callbacks` either as `tf.Callback` instances, used as they
 * are, or as plain objects `{ onEpochEnd, … }`, each wrapped in a
 * `tf.CustomCallback` that calls those functions; which of the two it does is
 * decided by the *first* entry alone (`callbacks[0] instanceof tf.Callback`).
 * So a FloodCallback works either way: it is not a `tf.Callback` subclass (so
 * with it first, the list is read as plain objects), its hooks are own
 * properties that work when called on the wrapper (it then reads the model from
 * the wrapper), and it has every method a `tf.Callback` has (so it also works
 * after a `tf.Callback`). In short, these all work:
 *
 * - `[floodCallback(opt), { onEpochEnd }]` and `[{ onEpochEnd }, floodCallback(opt)]`;
 * - `[tf.callbacks.earlyStopping(), floodCallback(opt)]`.
 *
 * A `tf.Callback` *after* a plain object or a FloodCallback breaks inside
 * tfjs-layers (it gets wrapped as a plain object; tfjs#1792): put `tf.Callback`
 * instances such as `earlyStopping` first, or wrap plain objects in
 * `new tf.CustomCallback({ … })`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FloodCallback, flooding } from '@flood/tfjs';
 * const optimizer = flooding(tf.train.adam(1e-3), { level: 0.05 });
 * const callbacks = [tf.callbacks.earlyStopping({ patience: 5 }), new FloodCallback(optimizer)];
 * ```
 */
export class FloodCallback {
  /** Set by tfjs-layers when it uses this object as a `tf.Callback` (unused). */
  validationData: tf.Tensor | tf.Tensor[] | null = null;
  /** The training parameters tfjs-layers passes to `setParams` (unused). */
  params: Record<string, unknown> = {};
  /** The model being fitted, when tfjs-layers calls {@link FloodCallback.setModel}. */
  model: LayersModel | undefined;

  /** Sets up the epoch accumulators and makes the optimizer record gradient norms. */
  readonly onTrainBegin: (logs?: UnresolvedLogs) => Promise<void>;
  /** Resets the epoch's accumulators. */
  readonly onEpochBegin: (epoch: number, logs?: UnresolvedLogs) => Promise<void>;
  /** Nothing: present so that tfjs-layers can call it. */
  readonly onBatchBegin: (batch: number, logs?: UnresolvedLogs) => Promise<void>;
  /** Adds the batch's ascent flag and gradient norm to device accumulators (no read-back). */
  readonly onBatchEnd: (batch: number, logs?: UnresolvedLogs) => Promise<void>;
  /**
   * Adds `floodProp`, `gradNorm` and `floodLevel` to the epoch logs and feeds
   * every adaptive schedule (see {@link floodCallback}).
   */
  readonly onEpochEnd: (epoch: number, logs?: UnresolvedLogs) => Promise<void>;
  /** Frees the accumulators and puts the optimizer's `recordGradientNorm` back. */
  readonly onTrainEnd: (logs?: UnresolvedLogs) => Promise<void>;

  private optimizer: FloodOptimizer | undefined;
  private readonly given: tf.Optimizer | undefined;
  private readonly validationKey: string;
  private readonly extra: AdaptiveSchedule[];
  private readonly logGradNorm: boolean;
  private recordedBefore: boolean | undefined;
  /** The epoch's device sums of the step records. */
  private readonly totals = new EpochTotals();
  private warned = false;

  /** See {@link floodCallback}. */
  constructor(optimizer?: tf.Optimizer, options: FloodCallbackOptions = {}) {
    ({
      given: this.given,
      validationKey: this.validationKey,
      extra: this.extra,
      logGradNorm: this.logGradNorm,
    } = resolveCallbackOptions(optimizer, options));
    // Own properties, not prototype methods: tfjs-layers copies them into a
    // tf.CustomCallback when it reads the list as plain objects, and calls them
    // on that wrapper (`this` is the wrapper, which holds the model).
    const self = this;
    this.onTrainBegin = async function (this: unknown, logs?: UnresolvedLogs) {
      self.trainBegin(this, logs);
    };
    this.onEpochBegin = async () => {
      this.reset();
    };
    this.onBatchBegin = async () => {};
    this.onBatchEnd = async () => {
      this.batchEnd();
    };
    this.onEpochEnd = async (_epoch, logs) => {
      await this.epochEnd(logs);
    };
    this.onTrainEnd = async () => {
      this.trainEnd();
    };
  }

  /** Called by tfjs-layers when it uses this object as a `tf.Callback`. */
  setParams(params: Record<string, unknown>): void {
    this.params = params;
  }

  /** Called by tfjs-layers when it uses this object as a `tf.Callback`. */
  setModel(model: LayersModel): void {
    this.model = model;
  }

  private trainBegin(caller: unknown, logs: UnresolvedLogs | undefined): void {
    let model: { optimizer?: tf.Optimizer } | undefined = this.model;
    if (caller !== this && caller instanceof CustomCallback) {
      // Read as a plain object: the wrapper (a tf.CustomCallback) does not keep
      // the model, so ask the per-fit check which model these logs belong to.
      // The wrapper would also resolve the logs to numbers (a read-back) before
      // every batch hook; ours need no logs, so they replace the wrapper's.
      const host = caller as unknown as Record<
        'onBatchBegin' | 'onBatchEnd',
        CallbackHook<[number, UnresolvedLogs?]>
      >;
      model = fitModelOf(logs);
      host.onBatchBegin = async () => {};
      host.onBatchEnd = async () => {
        this.batchEnd();
      };
    }
    this.optimizer = undefined;
    const modelOptimizer = model?.optimizer;
    const opt = this.given ?? modelOptimizer;
    this.optimizer = isFloodOptimizer(opt) ? opt : undefined;
    this.warnIfIdle(modelOptimizer);
    this.reset();
    if (this.optimizer) {
      watch(this.optimizer, 1);
      if (this.logGradNorm && this.recordedBefore === undefined) {
        this.recordedBefore = this.optimizer.recordGradientNorm;
        this.optimizer.recordGradientNorm = true;
      }
    }
  }

  /** Warns (once) when this callback would log nothing (see {@link idleReason}). */
  private warnIfIdle(modelOptimizer: tf.Optimizer | undefined): void {
    if (this.warned || modelOptimizer === undefined) return;
    const reason = idleReason(this.given, this.optimizer, modelOptimizer, this.extra.length > 0);
    if (reason) {
      this.warned = true;
      console.warn(`floodCallback: ${reason}.`);
    }
  }

  private reset(): void {
    this.totals.reset();
  }

  private batchEnd(): void {
    const last = this.optimizer?.lastStep;
    if (last) this.totals.add(last);
  }

  private async epochEnd(logs: UnresolvedLogs | undefined): Promise<void> {
    const opt = this.optimizer;
    await opt?.checkNonFinite(); // throws for refused steps under onNonFinite: 'error'
    addEpochMeans(logs, await this.totals.means(), opt);
    this.reset();
    await observeEpoch(logs, this.validationKey, opt, this.extra);
  }

  private trainEnd(): void {
    this.reset();
    const opt = this.optimizer;
    if (opt) {
      watch(opt, -1);
      if (this.recordedBefore !== undefined) opt.recordGradientNorm = this.recordedBefore;
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
