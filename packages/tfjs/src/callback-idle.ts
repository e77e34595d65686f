/**
 * Why a `floodCallback` would log nothing in a fit, so it can say so once
 * instead of leaving the logs silently empty.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { isFloodOptimizer } from './wrapper.js';

/** `optimizer` or an optimizer it wraps (through `base`) is `target`. */
function wraps(optimizer: unknown, target: tf.Optimizer): boolean {
  for (let o = optimizer; o; o = isFloodOptimizer(o) ? o.base : undefined) {
    if (o === target) return true;
  }
  return false;
}

/**
 * The reason a callback logs nothing and feeds no schedule, or undefined when
 * it does its job: it was given an optimizer the model does not step (not the
 * model's, nor wrapped by it), or it was given none and the model's optimizer
 * is not one of this package's (and there are no extra schedules to feed).
 *
 * @param given - the optimizer passed to `floodCallback`, if any.
 * @param watched - the package optimizer the callback found to watch, if any.
 * @param modelOptimizer - the optimizer the model was compiled with.
 * @param hasExtraSchedules - whether the callback feeds schedules of its own.
 */
export function idleReason(
  given: tf.Optimizer | undefined,
  watched: tf.Optimizer | undefined,
  modelOptimizer: tf.Optimizer,
  hasExtraSchedules: boolean,
): string | undefined {
  if (given && !wraps(modelOptimizer, given)) {
    return (
      `the optimizer it was given (${given.getClassName()}) is not the model's ` +
      `(${modelOptimizer.getClassName()}), so it logs nothing and feeds no schedule: pass the ` +
      'optimizer given to model.compile, or call floodCallback() without one to watch the model’s'
    );
  }
  if (!given && !watched && !hasExtraSchedules) {
    return (
      `the model's optimizer (${modelOptimizer.getClassName()}) is not a @flood/tfjs optimizer, ` +
      'so it logs nothing: compile the model with flooding(…), sam(…), … or pass one to floodCallback'
    );
  }
  return undefined;
}
