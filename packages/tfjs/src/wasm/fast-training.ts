/**
 * `enableFastWasmTraining()`: the opt-in for training on the TensorFlow.js `wasm`
 * backend, which installs the faster matMul kernels (see `fast-matmul.ts`) and the
 * missing backward kernels (see {@link registerWasmTrainingKernels}).
 *
 * @module
 */
import {
  _FusedMatMul,
  Add,
  BatchMatMul,
  getKernel,
  Identity,
  type KernelConfig,
  registerKernel,
  Transpose,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { FUSED_BIAS_RIGHT_AT_BATCH_1 } from '../tfjs-internals.js';
import { fastMatMul, type Helpers, type Seen } from './fast-matmul.js';
import { copyNoting } from './kept-transposes.js';
import { WASM as BACKEND } from './kernel-calls.js';
import { registerWasmTrainingKernels } from './training-kernels.js';
import { registerWasmVectorKernels } from './vector-kernels.js';

const KERNELS = [BatchMatMul, _FusedMatMul, Identity] as const;

/** What is installed while the speed-up is on. */
interface Installed {
  /** The wasm kernel configurations that were registered before, by kernel name. */
  readonly originals: ReadonlyMap<string, KernelConfig>;
  /** The replacement configurations, by kernel name. */
  readonly replacements: ReadonlyMap<string, KernelConfig>;
  /** Number of `enableFastWasmTraining` handles not yet undone. */
  holders: number;
}

let installed: Installed | undefined;

function install(): Installed {
  const transpose = getKernel(Transpose, BACKEND);
  const add = getKernel(Add, BACKEND);
  const originals = new Map<string, KernelConfig>();
  for (const name of KERNELS) {
    const config = getKernel(name, BACKEND);
    if (config !== undefined) originals.set(name, config);
  }
  if (transpose === undefined || add === undefined || originals.size !== KERNELS.length) {
    throw new Error(
      "enableFastWasmTraining: the 'wasm' kernels are not registered; " +
        "import '@tensorflow/tfjs-backend-wasm' before calling it",
    );
  }
  const helpers: Helpers = { transpose: transpose.kernelFunc, add: add.kernelFunc };
  const seen = new WeakMap<object, Seen>();
  const replacements = new Map<string, KernelConfig>();
  for (const [name, config] of originals) {
    const replacement: KernelConfig = {
      ...config,
      kernelFunc:
        name === Identity
          ? copyNoting(config.kernelFunc)
          : fastMatMul(config.kernelFunc, helpers, seen),
      // Batch-1 products with transposed operands are computed untransposed, so
      // a fused bias is added rightly (exact-hvp.ts reads this mark).
      ...(name === _FusedMatMul ? { [FUSED_BIAS_RIGHT_AT_BATCH_1]: true } : {}),
    };
    unregisterKernel(name, BACKEND);
    registerKernel(replacement);
    replacements.set(name, replacement);
  }
  return { originals, replacements, holders: 0 };
}

function uninstall(state: Installed): void {
  for (const [name, original] of state.originals) {
    // Restore only what is still ours: a later registration by someone else wins.
    if (getKernel(name, BACKEND) !== state.replacements.get(name)) continue;
    unregisterKernel(name, BACKEND);
    registerKernel(original);
  }
}

/**
 * Makes training on the TensorFlow.js `wasm` backend faster, and possible for
 * convolutional and embedding models, with the same results up to float32 rounding.
 *
 * 1. It re-registers the wasm `BatchMatMul` and `_FusedMatMul` kernels so that a
 *    product `op(A)·op(B)` with a transposed operand and batch size 1 is computed as an
 *    explicit transpose followed by the untransposed product, which tfjs-backend-wasm
 *    runs with XNNPACK instead of its naive loop. This covers `tf.matMul`, its
 *    gradients, and `tf.fused.matMul` (which tfjs-layers `Dense` uses), hence
 *    `model.fit`, custom loops and every optimizer in `@flood/tfjs`. Batched products
 *    (batch > 1) are left unchanged. (A stock `tf.fused.matMul` with a bias and a
 *    transposed operand adds `bias[min(i·n + j, n − 1)]` instead of `bias[j]` to
 *    element `(i, j)` of the `m×n` result; here it is right.)
 * 2. It avoids most of XNNPACK's repacking of new weights: XNNPACK re-lays out the
 *    right-hand operand B of every product whose B buffer it has not seen, and training
 *    makes new weight buffers every step. A product whose B is new and large next to A
 *    (a wide layer, a small batch) is computed as `(Bᵀ·Aᵀ)ᵀ`, which packs the smaller
 *    operand instead, whenever a cost model (packing an element costs 20/3 times a
 *    transposed copy of one) estimates it cheaper; a B seen before (fixed weights at
 *    inference) is used directly and packed once, as the stock kernel does. Not
 *    swapped: fused products with PReLU, or with a bias and a non-linear activation.
 * 3. It wraps the wasm `Identity` kernel (a copy, unchanged) so that inside an
 *    operand-reuse scope (`reusingOperands`, around every flood optimizer step) the
 *    copies the engine saves for gradients are known as copies: the backward product
 *    of a saved copy of the batch then reuses the batch's kept transpose.
 * 4. It calls {@link registerWasmTrainingKernels}: the convolution-filter, depthwise and
 *    `UnsortedSegmentSum` (embedding) gradients that tfjs-backend-wasm lacks.
 * 5. It registers fused SIMD kernels for the optimizers' own vector arithmetic
 *    (`FloodSum`, `FloodSumOfSquares`, `FloodDot`, `FloodAxpby`; see
 *    `vector-kernels.ts`): gradient norms, inner products, the non-finite guard's sums
 *    and `a·x + b·y` each take one pass over the parameters instead of two or three
 *    stock kernels, which the `@flood/tfjs` optimizers use whenever they are
 *    registered (same results up to float32 rounding; `a·x + b·y` bit for bit). On the
 *    threaded build (shared memory) or without WebAssembly SIMD they compute with the
 *    stock kernels instead.
 *
 * Only `wasm` registrations change, so it is safe to call whatever backend is active.
 * The speed-ups are measured in docs/benchmarks.md and docs/backends.md.
 *
 * Call it once at start-up, after importing `@tensorflow/tfjs-backend-wasm` (before or
 * after `tf.setBackend('wasm')`). Calling it again while it is on changes nothing
 * (idempotent); every call returns its own `undo`. The original kernels are restored
 * when every returned `undo` has been called; calling one `undo` twice does nothing.
 * The extra cost is a transposed copy of the operands (and of the result, when swapped)
 * per product, freed at once, and a per-buffer note (a `WeakMap` entry) of which
 * right-hand operands XNNPACK has seen.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { enableFastWasmTraining } from '@flood/tfjs/wasm';
 * const undo = enableFastWasmTraining();
 * await tf.setBackend('wasm');
 * // await model.fit(x, y, { epochs: 10 });
 * undo(); // optional: back to the stock wasm kernels
 * ```
 *
 * @returns `undo()`: releases this call's hold on the speed-up and the kernels.
 * @throws Error if `@tensorflow/tfjs-backend-wasm` has not been imported (its kernels are
 *   not registered).
 */
export function enableFastWasmTraining(): () => void {
  const releaseTrainingKernels = registerWasmTrainingKernels();
  const releaseVectorKernels = registerWasmVectorKernels();
  const releaseKernels = () => {
    releaseVectorKernels();
    releaseTrainingKernels();
  };
  if (installed === undefined) {
    try {
      installed = install();
    } catch (error) {
      releaseKernels();
      throw error;
    }
  }
  const state = installed;
  state.holders += 1;
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    releaseKernels();
    state.holders -= 1;
    if (state.holders === 0 && installed === state) {
      uninstall(state);
      installed = undefined;
    }
  };
}

/**
 * Whether {@link enableFastWasmTraining} is currently on (some `undo` is still pending).
 *
 * @returns `true` while the replacement wasm matMul kernels are installed.
 */
export function isFastWasmTrainingEnabled(): boolean {
  return installed !== undefined;
}
