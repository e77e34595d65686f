/**
 * Committing an optimizer step only if it is finite, decided on the device: no
 * value is read back to the host, so a step never waits for a GPU.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { alias } from './pass-guards.js';
import { broadcastCondition, optimizerStateVariables, select } from './tfjs-internals.js';

/** What {@link commitIfFinite} applies. */
export interface Commit {
  /** The innermost `tf.train` optimizer, whose `applyGradients` makes the step. */
  optimizer: tf.Optimizer;
  /** The parameters, in the order of `gradient` (and of `displacement`). */
  variables: readonly tf.Variable[];
  /** The gradient handed to `optimizer`. */
  gradient: readonly tf.Tensor[];
  /** A move of the parameters made before the base step (backstitch's δ). */
  displacement?: readonly tf.Tensor[] | undefined;
  /** A boolean device scalar: `true` commits the step, `false` leaves everything as it was. */
  finite: tf.Scalar;
  /**
   * Replace a refused step's gradient by zeros before the base step (so slots
   * the base optimizer creates in this step start from their initial values:
   * every `tf.train` optimizer's update leaves a fresh slot unchanged at a zero
   * gradient). Needed only while the base may still create slots.
   */
  zeroRefusedGradient: boolean;
}

/**
 * Runs `displacement` and the base optimizer's `applyGradients`, then puts back,
 * where `finite` is false, the values every parameter and every state variable
 * of the base optimizer (slots, Adam's `accBeta`s) had before, bit for bit:
 *
 * ```text
 * v ← where(finite, v_after, v_before)      for every parameter and optimizer variable
 * ```
 *
 * The "before" values are refcounted aliases (no copy is made until a variable
 * is reassigned, which frees nothing while the alias lives: one extra copy of
 * parameters and slots at the step's peak). The host-side iteration count still
 * advances; the caller counts refused steps on the device and takes them back
 * out at its next read-back point.
 */
export function commitIfFinite(c: Commit): void {
  const { optimizer, variables } = c;
  const state = optimizerStateVariables(optimizer).filter((v) => !variables.includes(v));
  const tracked = [...variables, ...state];
  const before = tracked.map((v) => tf.keep(alias(v)));
  try {
    tf.tidy(() => {
      // One broadcast of the condition per distinct shape (Adam's two slots and
      // the parameter share it).
      const conditions = new Map<string, tf.Tensor>();
      const condition = (shape: readonly number[]): tf.Tensor => {
        const key = shape.join(',');
        let cond = conditions.get(key);
        if (!cond) {
          cond = broadcastCondition(c.finite, shape);
          conditions.set(key, cond);
        }
        return cond;
      };
      if (c.displacement) {
        const d = c.displacement;
        variables.forEach((v, i) => {
          v.assign(tf.add(v, d[i]!));
        });
      }
      const gradient = c.zeroRefusedGradient
        ? c.gradient.map((g) => select(condition(g.shape), g, tf.zerosLike(g)))
        : c.gradient;
      optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradient[i]! })));
      tracked.forEach((v, i) => {
        if (!v.isDisposed) v.assign(select(condition(v.shape), v, before[i]!));
      });
    });
  } finally {
    tf.dispose(before);
  }
}
