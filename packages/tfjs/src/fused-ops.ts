/**
 * Fused vector kernels by name, and running them where the active backend
 * registers them (`@flood/tfjs/wasm`'s `enableFastWasmTraining()` does on wasm):
 * one pass instead of two or three tfjs ops for the reductions and linear
 * combinations of `reduce.ts` and `tensor-space.ts`. Each helper returns
 * `undefined` when the kernel is not registered for the active backend or the
 * operands are not float32, and the caller then uses the plain tfjs ops; results
 * differ from those only by float32 rounding.
 *
 * None of these kernels has a gradient: they are run on gradients and update
 * directions, never inside a loss that is differentiated (exact
 * Hessian-vector products use their own ops, see `exact-hvp.ts`).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** `Σᵢ xᵢ` over every entry of inputs `x0, x1, …`, as a float32 scalar. */
export const FLOOD_SUM = 'FloodSum';
/** `Σᵢ xᵢ²` over every entry of inputs `x0, x1, …`, as a float32 scalar. */
export const FLOOD_SUM_OF_SQUARES = 'FloodSumOfSquares';
/** `Σₖ Σᵢ xₖᵢ·yₖᵢ` of input pairs `(x0, y0), (x1, y1), …` of equal sizes, as a float32 scalar. */
export const FLOOD_DOT = 'FloodDot';
/** `a·x + b·y` of inputs `a`, `b` (float32 scalars) and `x`, `y` (one shape): `x`'s shape. */
export const FLOOD_AXPBY = 'FloodAxpby';
/** `a·x` of inputs `a` (a float32 scalar) and `x`: `x`'s shape. */
export const FLOOD_SCALE = 'FloodScale';

/** Whether `name` is registered for the active backend and every tensor is float32. */
function usable(name: string, tensors: readonly tf.Tensor[]): boolean {
  return (
    tf.getKernel(name, tf.getBackend()) !== undefined && tensors.every((t) => t.dtype === 'float32')
  );
}

/** A float32 scalar tensor of `a` (a new one for a number). */
function scalarOf(a: tf.Scalar | number): tf.Scalar {
  return typeof a === 'number' ? tf.scalar(a, 'float32') : a;
}

/**
 * `Σ xᵢ` (`FLOOD_SUM`) or `Σ xᵢ²` (`FLOOD_SUM_OF_SQUARES`) over every entry of
 * `xs`, in one kernel, or `undefined` (see the module comment).
 */
export function fusedSum(
  name: typeof FLOOD_SUM | typeof FLOOD_SUM_OF_SQUARES,
  xs: readonly tf.Tensor[],
): tf.Scalar | undefined {
  if (!usable(name, xs)) return undefined;
  const inputs = Object.fromEntries(xs.map((x, i) => [`x${i}`, x]));
  return tf.engine().runKernel(name, inputs) as tf.Scalar;
}

/** `Σₖ ⟨xₖ, yₖ⟩` in one kernel (`FLOOD_DOT`), or `undefined` (see the module comment). */
export function fusedDot(
  xs: readonly tf.Tensor[],
  ys: readonly tf.Tensor[],
): tf.Scalar | undefined {
  if (!usable(FLOOD_DOT, [...xs, ...ys])) return undefined;
  const inputs = Object.fromEntries([
    ...xs.map((x, i) => [`x${i}`, x] as const),
    ...ys.map((y, i) => [`y${i}`, y] as const),
  ]);
  return tf.engine().runKernel(FLOOD_DOT, inputs) as tf.Scalar;
}

/**
 * `a·xₖ + b·yₖ` for each pair, one kernel each (`FLOOD_AXPBY`), or `undefined`
 * (see the module comment). Each entry is `fl(fl(a·x) + fl(b·y))`, bit for bit
 * what `tf.add(tf.mul(x, a), tf.mul(y, b))` computes.
 */
export function fusedAxpby(
  a: tf.Scalar | number,
  xs: readonly tf.Tensor[],
  b: tf.Scalar | number,
  ys: readonly tf.Tensor[],
): tf.Tensor[] | undefined {
  const scalars = [a, b].filter((s): s is tf.Scalar => typeof s !== 'number');
  if (!usable(FLOOD_AXPBY, [...xs, ...ys, ...scalars]) || scalars.some((s) => s.size !== 1)) {
    return undefined;
  }
  return tf.tidy(() => {
    const [sa, sb] = [scalarOf(a), scalarOf(b)];
    return xs.map(
      (x, i) => tf.engine().runKernel(FLOOD_AXPBY, { a: sa, x, b: sb, y: ys[i]! }) as tf.Tensor,
    );
  });
}

/** `a·xₖ` for each tensor, one kernel each (`FLOOD_SCALE`), or `undefined` (see the module comment). */
export function fusedScale(
  xs: readonly tf.Tensor[],
  a: tf.Scalar | number,
): tf.Tensor[] | undefined {
  if (
    !usable(FLOOD_SCALE, typeof a === 'number' ? xs : [...xs, a]) ||
    (typeof a !== 'number' && a.size !== 1)
  ) {
    return undefined;
  }
  return tf.tidy(() => {
    const sa = scalarOf(a);
    return xs.map((x) => tf.engine().runKernel(FLOOD_SCALE, { a: sa, x }) as tf.Tensor);
  });
}
