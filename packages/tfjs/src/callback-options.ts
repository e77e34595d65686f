/**
 * The options of `floodCallback`, checked, and the logs tfjs-layers hands its callbacks.
 *
 * @module
 */
import { type AdaptiveSchedule, isAdaptiveSchedule } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { isFloodOptimizer } from './wrapper.js';

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

/** A callback's arguments, checked, with the defaults filled in. */
export interface ResolvedCallbackOptions {
  /** The optimizer given to watch, if any (else the model's). */
  given: tf.Optimizer | undefined;
  /** The validation-loss log entry (default `'val_loss'`). */
  validationKey: string;
  /** The extra adaptive schedules to feed (default none). */
  extra: AdaptiveSchedule[];
  /** Whether to log `gradNorm` (default true). */
  logGradNorm: boolean;
}

/**
 * Checks `floodCallback`'s arguments and fills in the defaults.
 *
 * @throws RangeError naming the argument: an optimizer that is not a
 *   `@flood/tfjs` one, a `validationKey` that is not a string, `schedules` that
 *   are not all adaptive, a `gradNorm` that is not a boolean.
 */
export function resolveCallbackOptions(
  optimizer: tf.Optimizer | undefined,
  options: FloodCallbackOptions,
): ResolvedCallbackOptions {
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
  return { given: optimizer, validationKey: key, extra, logGradNorm: options.gradNorm ?? true };
}
