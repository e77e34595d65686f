/**
 * A callback that runs in every `model.fit` / `fitDataset` (registered with
 * tfjs-layers' `registerCallbackConstructor` at verbosity 0, so whatever
 * `verbose` is, when this module is imported). It
 *
 * - records which model the fit's logs belong to, so that a `floodCallback`
 *   that tfjs-layers wrapped as a plain-object callback (a `tf.CustomCallback`,
 *   which does not keep the model) can still find the model's optimizer: tfjs
 *   passes every callback the same `logs` object at `onTrainBegin`;
 * - warns (once per optimizer) when the model's optimizer has an adaptive
 *   schedule (e.g. `adaptiveFloodLevel` from `@flood/schedulers`) but no
 *   `floodCallback` watches it, so nothing calls its `observe` and it never moves.
 *
 * @module
 */
import { isAdaptiveSchedule } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { Callback, registerCallbackConstructor } from '@tensorflow/tfjs-layers';
import { isFloodOptimizer } from './wrapper.js';

/** A model as a callback sees it. */
export type FitModel = { optimizer?: tf.Optimizer };

/** The model of each running fit, keyed by the `logs` object of its `onTrainBegin`. */
const fits = new WeakMap<object, FitModel>();

/** The model whose fit passed `logs` to `onTrainBegin` (undefined if unknown). */
export function fitModelOf(logs: unknown): FitModel | undefined {
  return typeof logs === 'object' && logs !== null ? fits.get(logs) : undefined;
}

/** The number of floodCallbacks watching each optimizer in a running fit. */
const watching = new WeakMap<tf.Optimizer, number>();

/** Counts a callback watching `optimizer` (`+1` at train begin, `-1` at train end). */
export function watch(optimizer: tf.Optimizer, delta: 1 | -1): void {
  const n = (watching.get(optimizer) ?? 0) + delta;
  if (n > 0) watching.set(optimizer, n);
  else watching.delete(optimizer);
}

/** True while a floodCallback watches `optimizer` in a fit. */
export function isWatched(optimizer: tf.Optimizer): boolean {
  return (watching.get(optimizer) ?? 0) > 0;
}

/** The names (`'level'`, `'base.rho'`, …) of the adaptive schedules among `optimizer`'s hyper-parameters. */
export function adaptiveScheduleNames(optimizer: tf.Optimizer, prefix = ''): string[] {
  if (!isFloodOptimizer(optimizer)) return [];
  const names = Object.entries(optimizer.schedules())
    .filter(([, value]) => isAdaptiveSchedule(value))
    .map(([key]) => `${prefix}${key}`);
  return [...names, ...adaptiveScheduleNames(optimizer.base, `${prefix}base.`)];
}

const warned = new WeakSet<tf.Optimizer>();

/** The callback; tfjs-layers makes one per `fit` call, and calls it before the user's. */
class FitCheck extends Callback {
  private checked = false;

  /** Records the model for this fit's `logs`. */
  override async onTrainBegin(logs?: Record<string, unknown>): Promise<void> {
    if (logs && this.model) fits.set(logs, this.model as unknown as FitModel);
  }

  /** At the first epoch's start every callback's `onTrainBegin` has run, so a FloodCallback is attached by now. */
  override async onEpochBegin(): Promise<void> {
    if (this.checked) return;
    this.checked = true;
    const opt = (this.model as { optimizer?: tf.Optimizer } | undefined)?.optimizer;
    if (!opt || warned.has(opt) || isWatched(opt)) return;
    const names = adaptiveScheduleNames(opt);
    if (names.length === 0) return;
    warned.add(opt);
    console.warn(
      `@flood/tfjs: the model's optimizer (${opt.getClassName()}) has an adaptive schedule ` +
        `(${names.join(', ')}), but no floodCallback is in model.fit's callbacks, so nothing ` +
        'calls its observe() and it stays at its initial value. Add it: ' +
        'model.fit(x, y, { validationData, callbacks: [floodCallback(optimizer)] }).',
    );
  }
}

registerCallbackConstructor(0, FitCheck);
