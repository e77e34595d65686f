/**
 * What `@flood/tfjs` reads and writes of a `tf.train` optimizer beyond its
 * public API: its state variables, its iteration count, its learning rate.
 * Part of `tfjs-internals.ts` (see there).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** True if `value` is a live `tf.Variable` (by shape, so a second copy of tfjs-core counts too). */
function isVariable(value: unknown): value is tf.Variable {
  return (
    value instanceof tf.Variable ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as tf.Variable).assign === 'function' &&
      typeof (value as tf.Variable).trainable === 'boolean' &&
      'dataId' in value)
  );
}

/** The optimizers held in `optimizer`'s own fields (a wrapper such as `scheduled`'s base). */
function heldOptimizers(optimizer: tf.Optimizer): tf.Optimizer[] {
  return Object.values(optimizer).filter(
    (v): v is tf.Optimizer => typeof v === 'object' && v !== null && v instanceof tf.Optimizer,
  );
}

/**
 * The variables a `tf.train` optimizer keeps its state in: its own fields that
 * are variables (Adam's `accBeta1`/`accBeta2`, Adamax's `iteration`) and the
 * `{ originalName, variable }` slot lists (`accumulatedFirstMoment`,
 * `accumulations`, `accumulatedGrads`, …), and those of any optimizer it holds
 * in a field (the base of `scheduled`). Assumption (tfjs 4.22, every `tf.train`
 * optimizer): an optimizer's state is exactly these, besides the host number
 * `iterations_`. Disposed variables are left out.
 */
export function optimizerStateVariables(optimizer: tf.Optimizer): tf.Variable[] {
  const out: tf.Variable[] = [];
  for (const value of Object.values(optimizer)) {
    if (isVariable(value)) {
      if (!value.isDisposed) out.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        const v = isVariable(item) ? item : (item as { variable?: unknown } | null)?.variable;
        if (isVariable(v) && !v.isDisposed) out.push(v);
      }
    }
  }
  for (const held of heldOptimizers(optimizer)) out.push(...optimizerStateVariables(held));
  return out;
}

/**
 * Moves an optimizer's iteration count back by `steps` (that of the optimizers
 * it holds, if any: a wrapper reads its count from its base). Assumption (tfjs
 * 4.22): a `tf.train` optimizer's count is the protected field `iterations_`,
 * which `applyGradients` increments and `getWeights` saves as `iter`.
 */
export function rewindIterations(optimizer: tf.Optimizer, steps: number): void {
  if (steps === 0) return;
  const held = heldOptimizers(optimizer);
  if (held.length > 0) {
    for (const h of held) rewindIterations(h, steps);
    return;
  }
  const o = optimizer as unknown as { iterations_?: number };
  o.iterations_ = optimizer.iterations - steps;
}

/**
 * ε1, the rate at which `optimizer` descends along the gradient it is given,
 * where it is known: the `learningRate` of `tf.train.sgd` and
 * `tf.train.momentum` (whose step is `θ ← θ − η·(g + m·v)`), also through a
 * wrapper that holds one in a field and exposes the rate it will use as
 * `learningRate` (`scheduled`). Undefined for adaptive optimizers (Adam, …),
 * whose step is not `η·g`. Assumption (tfjs 4.22): `learningRate` is a public
 * field of these two classes, named `'SGD'` and `'Momentum'`.
 */
export function descentRate(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) return undefined;
  const held = heldOptimizers(optimizer);
  if (held.length === 1) return descentRate(held[0]!) === undefined ? undefined : lr;
  const name = optimizer.getClassName();
  return name === 'SGD' || name === 'Momentum' ? lr : undefined;
}

/**
 * The `learningRate` an optimizer reads (a public field of every `tf.train`
 * optimizer in tfjs 4.22, though not declared on `tf.Optimizer`), if numeric.
 */
export function learningRateOf(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  return typeof lr === 'number' && Number.isFinite(lr) ? lr : undefined;
}
