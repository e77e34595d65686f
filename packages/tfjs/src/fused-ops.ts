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
/**
 * `a·x + b·y` of inputs `x`, `y` (one shape), with each coefficient either an
 * input (`a`, `b`: one-entry float32 tensors) or, when that input is absent, an
 * attribute of the same name (a number): `x`'s shape.
 */
export const FLOOD_AXPBY = 'FloodAxpby';

/** Whether `name` is registered for the active backend and every tensor is float32. */
function usable(name: string, tensors: readonly tf.Tensor[]): boolean {
  return (
    tf.getKernel(name, tf.getBackend()) !== undefined && tensors.every((t) => t.dtype === 'float32')
  );
}

/**
 * The coefficients as kernel inputs (tensors) and attributes (numbers): a number
 * costs no tensor (making and freeing a scalar on wasm costs more than a fused pass
 * over a small block).
 */
function coefficients(named: Record<string, tf.Scalar | number>) {
  const inputs: tf.NamedTensorMap = {};
  const attrs: tf.NamedAttrMap = {};
  for (const [key, c] of Object.entries(named)) {
    if (typeof c === 'number') attrs[key] = c;
    else inputs[key] = c;
  }
  return { inputs, attrs };
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
  const { inputs, attrs } = coefficients({ a, b });
  return xs.map(
    (x, i) => tf.engine().runKernel(FLOOD_AXPBY, { ...inputs, x, y: ys[i]! }, attrs) as tf.Tensor,
  );
}
