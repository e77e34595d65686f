/**
 * Kernels `@flood/tfjs` calls directly (`Select`), and the marks by which
 * `@flood/tfjs/wasm`'s kernel registrations say what they fix.
 * Part of `tfjs-internals.ts` (see there).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `condition ? a : b` elementwise for a `condition` of `a`'s shape (or, where
 * {@link selectTakesScalar} holds, a scalar `condition` for the whole tensor):
 * the `Select` kernel itself (`tf.where` first broadcasts all three inputs, and
 * `broadcastTo` clones an input of the right shape: a copy on wasm).
 * Assumption (tfjs 4.22): every backend registers `Select` with inputs
 * `{ condition, t, e }` of one shape.
 */
export function select<T extends tf.Tensor>(condition: tf.Tensor, a: T, b: T): T {
  return tf.engine().runKernel('Select', { condition, t: a, e: b }) as T;
}

/**
 * Marks a `Select` kernel registration that takes a scalar condition for the
 * whole of `t`/`e` (and a rank-1 condition as one boolean per leading index,
 * TensorFlow 1's `select`), as `@flood/tfjs/wasm`'s replacement of the wasm
 * kernel does. A registry symbol, so the optimizers can ask without importing
 * the wasm entry.
 */
export const SELECT_TAKES_SCALAR: unique symbol = Symbol.for(
  '@flood/tfjs: Select takes a scalar condition',
);

/**
 * Marks the `MaxPoolGrad` registration of `@flood/tfjs/wasm` (which routes a
 * window's gradient to its first maximum, as the cpu kernel does; the stock
 * wasm kernel of tfjs 4.22 does not).
 */
export const MAX_POOL_GRAD_IS_RIGHT: unique symbol = Symbol.for(
  '@flood/tfjs: MaxPoolGrad routes to the first maximum',
);

/**
 * Marks the `_FusedMatMul` registration of `@flood/tfjs/wasm` (`enableFastWasmTraining`),
 * which adds a bias rightly to every batch-1 product, transposed operands
 * included (the stock wasm kernel of tfjs 4.22 only to untransposed ones).
 */
export const FUSED_BIAS_RIGHT_AT_BATCH_1: unique symbol = Symbol.for(
  '@flood/tfjs: _FusedMatMul adds the bias rightly at batch 1',
);

/**
 * True if the kernel `kernelName` registered for `backendName` carries `mark`
 * (one of the marks above, set by `@flood/tfjs/wasm` on its registrations): a
 * property of the registration, so deciding needs no tensor and no read-back.
 * No stock kernel is marked. Assumption (tfjs 4.22): `getKernel` returns the
 * registered configuration object itself.
 */
export function kernelMarked(kernelName: string, backendName: string, mark: symbol): boolean {
  const config = tf.getKernel(kernelName, backendName) as
    | (tf.KernelConfig & Record<symbol, unknown>)
    | undefined;
  return config?.[mark] === true;
}

/**
 * True if the `Select` kernel registered for `backendName` is marked
 * {@link SELECT_TAKES_SCALAR}. Not assumed of any stock kernel: in tfjs 4.22
 * the cpu and wasm kernels write only the first entry for a scalar condition
 * and get the row form wrong (they copy `t[i]`, the `i`-th entry, into all of
 * row `i`).
 */
export function selectTakesScalar(backendName: string): boolean {
  return kernelMarked('Select', backendName, SELECT_TAKES_SCALAR);
}
