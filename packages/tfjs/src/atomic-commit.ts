/**
 * Committing an optimizer step only if it is finite, decided on the device: no
 * value is read back to the host, so a step never waits for a GPU.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { alias } from './pass-guards.js';
import { optimizerStateVariables, select, selectTakesScalar } from './tfjs-internals.js';

/** What {@link commitIfFinite} applies. */
export interface Commit {
  /** The innermost `tf.train` optimizer, whose `applyGradients` makes the step. */
  optimizer: tf.Optimizer;
  /** The parameters, in the order of `gradient` (and of `displacement`). */
  variables: readonly tf.Variable[];
  /** The gradient handed to `optimizer`. */
  gradient: readonly tf.Tensor[];
  /**
   * A move of the parameters made before the base step (backstitch's δ);
   * consumed: {@link commitIfFinite} frees each block once it is added.
   */
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
  /**
   * Optimizer variables the step does not reassign (a rule state the step
   * kept): neither aliased before the step nor selected after it.
   */
  untouched?: readonly tf.Tensor[] | undefined;
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
 * A variable the step did not reassign still shares its buffer with its alias
 * and is left alone; one the caller knows it will not reassign (`untouched`:
 * LookSAM's stored direction on the steps between its SAM steps) is not even
 * aliased. The "before" values are refcounted aliases (no copy is made until a variable
 * is reassigned, which frees nothing while the alias lives: one extra copy of
 * parameters and slots at the step's peak). The host-side iteration count still
 * advances; the caller counts refused steps on the device and takes them back
 * out at its next read-back point.
 */
export function commitIfFinite(c: Commit): void {
  const { optimizer, variables } = c;
  const state = optimizerStateVariables(optimizer).filter(
    (v) => !variables.includes(v) && !c.untouched?.includes(v),
  );
  const tracked = [...variables, ...state];
  const before = tracked.map((v) => tf.keep(alias(v)));
  try {
    tf.tidy(() => {
      const choose = chooserFor(c.finite);
      // Each block of the displacement is freed once added: a refused step puts
      // back the aliased values from before, so it is not needed again (one
      // parameter copy less at the base step's peak).
      c.displacement?.forEach((d, i) => {
        const v = variables[i]!;
        v.assign(tf.add(v, d));
        d.dispose();
      });
      const gradient = c.zeroRefusedGradient
        ? c.gradient.map((g) => choose(g, tf.zerosLike(g)))
        : c.gradient;
      optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradient[i]! })));
      tracked.forEach((v, i) => {
        // A variable the step did not reassign still holds its buffer from
        // before (tfjs has no in-place update): nothing to choose.
        if (!v.isDisposed && v.dataId !== before[i]!.dataId) v.assign(choose(v, before[i]!));
      });
    });
  } finally {
    tf.dispose(before);
  }
}

/** `finite ? a : b` for a whole tensor; `b` is finite (a value from before the step, or zeros). */
type Choose = <T extends tf.Tensor>(a: T, b: T) => T;

/**
 * The cheapest exact whole-tensor choice by the boolean scalar `finite` on the
 * active backend.
 *
 * Where the registered `Select` kernel takes a scalar condition (the wasm
 * kernel of `@flood/tfjs/wasm`, see `selectTakesScalar`): `finite` itself, so
 * the kernel hands back the chosen buffer (no copy), with no condition to
 * build. On wasm this replaces an elementwise `Select` and a full-shape condition, whose cast and
 * branch per entry each cost a sizeable part of a small model's step there
 * (docs/benchmarks.md, "No synchronous read-back in a step").
 *
 * Elsewhere (cpu, webgl, webgpu, stock wasm): `Select` with a full-shape
 * condition, one per distinct shape (Adam's two slots and the parameter share
 * it), made by {@link conditionLike}; the GPU backends run each as one parallel
 * pass, and the stock cpu and wasm kernels get a scalar condition wrong.
 */
function chooserFor(finite: tf.Scalar): Choose {
  if (selectTakesScalar(tf.getBackend())) return (a, b) => select(finite, a, b);
  const asFloat = tf.cast(finite, 'float32');
  const conditions = new Map<string, tf.Tensor>();
  return (a, b) => {
    const key = b.shape.join(',');
    let condition = conditions.get(key);
    if (!condition) {
      condition = conditionLike(asFloat, b);
      conditions.set(key, condition);
    }
    return select(condition, a, b);
  };
}

/**
 * `finite` (a float32 0/1 scalar) as a boolean tensor of `like`'s shape:
 * `0·like + finite ≠ 0`, made by broadcasting arithmetic on a tensor of that
 * shape, where a fill or a tile of the scalar would each cost a large part of a
 * training step on wasm (docs/benchmarks.md). `like` is a value from before the
 * step (a parameter or an optimizer slot), so finite; an entry where it is not
 * reads `true` and takes the step's value, which can only happen to a value that
 * was already non-finite.
 */
function conditionLike(finite: tf.Tensor, like: tf.Tensor): tf.Tensor {
  return tf.cast(tf.add(tf.mul(like, 0), finite), 'bool');
}
