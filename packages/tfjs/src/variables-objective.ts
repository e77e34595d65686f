/**
 * `@flood/core`'s `Objective` over TensorFlow.js variables.
 *
 * @module
 */
import type { Evaluation, Objective } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { exactHessianVectorProduct } from './exact-hvp.js';
import { variableGradsOrCleanUp } from './gradients.js';
import { alias, passGuard, refusingKeeps, restoringNonTrainable } from './pass-guards.js';
import { type TensorVector, tensorSpace } from './tensor-space.js';

/** How an objective guards repeated evaluations of its loss closure. */
interface EvaluationGuards {
  /**
   * Give every pass of a step the same dropout masks where that is possible
   * without touching `Math.random`: the unseeded `Dropout` layers of a model in
   * `model.fit`/`fitDataset` get one seed per objective in every pass (default
   * true; see `passGuard` for what it cannot reach).
   */
  replayRandomness?: boolean;
  /**
   * Restore the non-trainable variables (BatchNorm moving statistics) after every
   * evaluation at an offset, so probe passes leave no trace (default true).
   */
  restoreState?: boolean;
  /**
   * In evaluations at an offset (probe passes): compute none of the metrics of a
   * model in `model.fit`/`fitDataset`, and refuse, with an error, a closure that
   * `tf.keep`s tensors (tfjs-layers `trainOnBatch` with metrics; see
   * `refusingKeeps`). Default false; the optimizers turn it on.
   */
  releaseKeeps?: boolean;
  /**
   * Non-trainable variables a probe pass cannot write, left out of the
   * `restoreState` snapshot (each costs one alias per probe pass otherwise):
   * e.g. `() => optimizerStateVariables(baseOptimizer)`. Read at every probe pass.
   */
  untouched?: () => Iterable<tf.Variable>;
  /**
   * Offer an exact `hessianVectorProduct` by double backprop (see
   * `exactHessianVectorProduct`: it refuses losses with ops whose second-order
   * gradient tfjs gets wrong). Default false. Its pass is guarded like a probe.
   */
  exactHessian?: boolean;
}

/** An `Objective` over a list of variables, with the variables it moves. */
export interface VariablesObjective extends Objective<TensorVector, tf.Scalar> {
  /** The variables, in the order every vector of the objective follows. */
  readonly variables: readonly tf.Variable[];
  /**
   * The raw loss `L(θ)` and the gradient of `transform(L)` at `θ`, in one
   * backward pass: a scalar loss transform (flooding's `|L − b| + b`) folded
   * into backprop costs a few scalar ops instead of a pass over the gradient.
   */
  evaluateTransformed(
    transform: (loss: tf.Scalar) => tf.Scalar,
  ): Evaluation<TensorVector, tf.Scalar>;
}

/** All registered trainable variables, in registration order (stable across calls). */
export function trainableVariables(): tf.Variable[] {
  return Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);
}

/**
 * The objective behind every optimizer step: `loss` is the closure, `variables`
 * the fixed, ordered, trainable parameter list.
 */
export function createObjective(
  loss: () => tf.Scalar,
  variables: readonly tf.Variable[],
  guards: EvaluationGuards = {},
): VariablesObjective {
  const space = tensorSpace(variables);
  const vars = [...variables];
  const restoreState = guards.restoreState !== false;
  const releaseKeeps = guards.releaseKeeps === true;
  const guard = passGuard({
    sameRandomness: guards.replayRandomness !== false,
    silenceMetrics: releaseKeeps,
  });
  /** True while a probe pass runs (the closure must then keep nothing). */
  let probing = false;
  const guardedLoss = releaseKeeps ? refusingKeeps(loss, () => probing) : loss;

  const gradientsAt = (
    transform?: (raw: tf.Scalar) => tf.Scalar,
  ): Evaluation<TensorVector, tf.Scalar> => {
    let raw: tf.Scalar | undefined;
    const f = transform
      ? () => {
          // Kept (not cloned: wasm's Identity kernel copies) so it outlives the
          // gradient scope as the raw loss; transform(l) reads it, never changes it.
          raw = tf.keep(guardedLoss());
          return transform(raw);
        }
      : guardedLoss;
    let value: tf.Scalar;
    let grads: tf.NamedTensorMap;
    try {
      ({ value, grads } = variableGradsOrCleanUp(f, vars));
    } catch (error) {
      raw?.dispose();
      throw error;
    }
    if (raw) {
      value.dispose();
      value = raw;
    }
    const gradient = vars.map((v) => {
      const g = grads[v.name];
      return g == null ? tf.zerosLike(v) : g;
    });
    return { loss: value, gradient };
  };

  /**
   * Runs `fn` with `θ + offset` assigned, restoring `θ` bit-exactly afterwards.
   * Probe passes (every pass at an offset, and the exact Hessian pass) restore
   * the non-trainable variables and release what the closure keeps.
   */
  function at<T>(
    offset: TensorVector | undefined,
    fn: () => T,
    probe = offset !== undefined,
    consumeOffset = false,
  ): T {
    if (!probe) return guard(fn, false);
    if (offset !== undefined && offset.length !== vars.length) {
      throw new RangeError(`offset must have ${vars.length} tensors, got ${offset.length}`);
    }
    // A refcounted alias of the variable's buffer (not a copy): restoring from it is exact.
    const backups = vars.map((v) => tf.keep(alias(v)));
    try {
      if (offset !== undefined) {
        tf.tidy(() => {
          vars.forEach((v, i) => {
            v.assign(tf.add(v, offset[i]!));
          });
        });
        if (consumeOffset) tf.dispose(offset);
      }
      const outer = probing;
      const pass = () => {
        probing = true;
        try {
          return guard(fn, true);
        } finally {
          probing = outer;
        }
      };
      if (!restoreState) return pass();
      return restoringNonTrainable(
        pass,
        guards.untouched ? new Set(guards.untouched()) : undefined,
      );
    } finally {
      vars.forEach((v, i) => {
        v.assign(backups[i]!);
      });
      tf.dispose(backups);
    }
  }

  return {
    space,
    variables: vars,
    parameters: () => vars.map((v) => alias(v)),
    evaluate: (offset, consumeOffset) =>
      at(offset, () => gradientsAt(), offset !== undefined, consumeOffset === true),
    evaluateTransformed: (transform) => at(undefined, () => gradientsAt(transform)),
    loss: (offset) => at(offset, () => tf.tidy(guardedLoss)),
    moveBy: (delta) => {
      if (delta.length !== vars.length) {
        throw new RangeError(`delta must have ${vars.length} tensors, got ${delta.length}`);
      }
      tf.tidy(() =>
        vars.forEach((v, i) => {
          v.assign(tf.add(v, delta[i]!));
        }),
      );
    },
    ...(guards.exactHessian
      ? {
          hessianVectorProduct: (v: TensorVector) =>
            at(undefined, () => exactHessianVectorProduct(guardedLoss, vars, v), true),
        }
      : {}),
  };
}

/**
 * The tfjs implementation of `@flood/core`'s `Objective`: the loss `loss()` as a
 * function of `variables`, for `@flood/metrics` (gradient norms, Hessian
 * eigenvalues and traces, sharpness, landscapes) and custom code.
 *
 * - vectors are `tf.Tensor[]` in the order of `variables`; scalars are device
 *   `tf.Scalar`s; the caller owns (and disposes) every returned tensor;
 * - `evaluate(δ)` assigns `θ + δ`, runs `tf.variableGrads(loss, variables)` and
 *   restores `θ` bit for bit, even when `loss` throws; variables the loss does not
 *   depend on get a zero gradient;
 * - evaluations at an offset restore every non-trainable variable afterwards
 *   (BatchNorm moving statistics); in `model.fit`, the unseeded `Dropout` layers
 *   of the model being fitted draw the same masks in every evaluation. Unseeded
 *   random ops in `loss` itself draw anew each time: pass them a seed for one
 *   fixed function;
 * - `moveBy(δ)` moves the variables for good.
 *
 * @param loss - returns a scalar loss; it must read the variables (not copies).
 * @param variables - the parameters (default: every registered trainable
 *   variable, in registration order). Non-trainable ones are rejected.
 * @param options - `exactHessian` (default true) offers an exact
 *   `hessianVectorProduct` by double backprop (`exactHessianVectorProduct`), which
 *   curvature metrics then use; it throws a `SecondOrderUnsupportedError` naming
 *   the op for losses using ops outside `SECOND_ORDER_SAFE_OPS`. False leaves the
 *   objective without one (metrics then use central differences, checked).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { variablesObjective } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const obj = variablesObjective(() => tf.sum(tf.square(w)), [w]);
 * const { loss, gradient } = obj.evaluate(); // 5 and [2, 4]
 * console.log(loss.dataSync()[0], gradient[0]!.dataSync());
 * tf.dispose([loss, ...gradient]);
 * ```
 */
export function variablesObjective(
  loss: () => tf.Scalar,
  variables?: tf.Variable[],
  options: { exactHessian?: boolean } = {},
): VariablesObjective {
  if (typeof loss !== 'function') {
    throw new RangeError(`loss must be a function returning a tf.Scalar, got ${typeof loss}`);
  }
  const vars = variables ?? trainableVariables();
  if (!Array.isArray(vars) || vars.length === 0) {
    throw new RangeError('variables must be a non-empty array of trainable tf.Variables');
  }
  vars.forEach((v, i) => {
    if (!(v instanceof tf.Variable) || !v.trainable) {
      throw new RangeError(`variables[${i}] must be a trainable tf.Variable`);
    }
  });
  if (options.exactHessian !== undefined && typeof options.exactHessian !== 'boolean') {
    throw new RangeError(`exactHessian must be a boolean, got ${typeof options.exactHessian}`);
  }
  return createObjective(loss, vars, { exactHessian: options.exactHessian !== false });
}
