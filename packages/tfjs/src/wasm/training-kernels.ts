/**
 * Registration of the backward kernels that tfjs-backend-wasm 4.22 lacks, so that
 * convolutional and embedding models train on wasm.
 *
 * @module
 */
import {
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv-filter-gradient.js';
import {
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
} from './depthwise-gradients.js';
import { WASM } from './kernel-calls.js';
import { maxPoolGradConfig } from './max-pool-gradient.js';
import { selectConfig } from './select.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

const CONFIGS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels tfjs-backend-wasm 4.22 has but gets wrong: replaced while held, restored after. */
const REPLACEMENTS: readonly KernelConfig[] = [maxPoolGradConfig, selectConfig];

/** The missing kernels {@link registerWasmTrainingKernels} provides, by tfjs kernel name. */
export const WASM_TRAINING_KERNELS: readonly string[] = CONFIGS.map((c) => c.kernelName);

/** The faulty stock kernels {@link registerWasmTrainingKernels} replaces, by tfjs kernel name. */
export const WASM_REPLACED_KERNELS: readonly string[] = REPLACEMENTS.map((c) => c.kernelName);

/** What is registered while some caller holds the kernels. */
interface Held {
  /** The configurations this module registered (those already present were left alone). */
  readonly registered: readonly KernelConfig[];
  /** The stock configurations of the kernels this module replaced, restored on release. */
  readonly replaced: readonly KernelConfig[];
  /** Number of returned `undo` functions not yet called. */
  holders: number;
}

let held: Held | undefined;

/**
 * Registers, for the `wasm` backend, the backward kernels that
 * tfjs-backend-wasm 4.22 does not have:
 *
 * - `Conv2DBackpropFilter` (the filter gradient of `tf.conv2d`, hence of tfjs-layers
 *   `conv2d` and `separableConv2d`'s pointwise part): one XNNPACK convolution of the
 *   transposed input with the transposed output gradient;
 * - `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput`
 *   (both gradients of `tf.depthwiseConv2d`, hence of `depthwiseConv2d` and
 *   `separableConv2d` layers): one XNNPACK depthwise convolution each;
 * - `UnsortedSegmentSum` (the gradient of `tf.gather`, hence of `embedding` layers):
 *   one wasm scatter-add;
 * - and it replaces `MaxPoolGrad`, which tfjs-backend-wasm 4.22 has but gets wrong
 *   (it drops gradient entries), by an argmax and a scatter-add of stock wasm kernels;
 *   and `Select`, whose row form (a rank-1 condition over a matrix: one boolean
 *   per row) it gets wrong, by whole-row copies on the wasm heap, and which with
 *   a scalar condition here hands back the chosen tensor's buffer (the form the
 *   optimizers' atomic commit uses: no copy); the stock kernels are put back when
 *   the kernels are released.
 *
 * Each is a composition of stock wasm kernels working on the wasm heap (no value is
 * read back to JavaScript) and equals the cpu backend's kernel up to float32 rounding
 * (the sums are taken in another order). Without them, `model.fit` of a convolutional
 * or embedding model on wasm fails with "Kernel '…' not registered for backend 'wasm'".
 * A kernel that is already registered for wasm (a later tfjs version, or your own) is
 * left as it is. Other backends are untouched. The convolution kernels take NHWC data
 * (what tfjs-layers passes, whatever the layer's `dataFormat`) and refuse NCHW.
 *
 * {@link enableFastWasmTraining} calls this too; call it alone to get the missing
 * kernels without the faster matMul kernels. Call it after importing
 * `@tensorflow/tfjs-backend-wasm`. Calling it again while the kernels are registered
 * changes nothing; each call returns its own `undo`, and the kernels are unregistered
 * when every returned `undo` has been called (calling one `undo` twice does nothing).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmTrainingKernels } from '@flood/tfjs/wasm';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * // a conv2d or embedding model now trains with model.fit on wasm
 * ```
 *
 * @returns `undo()`: releases this call's hold on the kernels.
 * @throws Error if `@tensorflow/tfjs-backend-wasm` has not been imported (the wasm
 *   kernels these are built from are not registered).
 */
export function registerWasmTrainingKernels(): () => void {
  if (held === undefined) {
    for (const needed of ['Conv2D', 'DepthwiseConv2dNative', 'ScatterNd', 'Transpose', 'PadV2']) {
      if (getKernel(needed, WASM) === undefined) {
        throw new Error(
          "registerWasmTrainingKernels: the 'wasm' kernels are not registered; " +
            "import '@tensorflow/tfjs-backend-wasm' before calling it",
        );
      }
    }
    const registered = CONFIGS.filter((c) => getKernel(c.kernelName, WASM) === undefined);
    for (const config of registered) registerKernel(config);
    const replaced: KernelConfig[] = [];
    for (const config of REPLACEMENTS) {
      const stock = getKernel(config.kernelName, WASM);
      (config as { adoptStock?: (stock: KernelConfig | undefined) => void }).adoptStock?.(stock);
      if (stock !== undefined) {
        unregisterKernel(config.kernelName, WASM);
        replaced.push(stock);
      }
      registerKernel(config);
    }
    held = { registered: [...registered, ...REPLACEMENTS], replaced, holders: 0 };
  }
  const state = held;
  state.holders += 1;
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    state.holders -= 1;
    if (state.holders > 0 || held !== state) return;
    held = undefined;
    for (const config of state.registered) {
      // Remove only what is still ours.
      if (getKernel(config.kernelName, WASM) === config) unregisterKernel(config.kernelName, WASM);
    }
    for (const stock of state.replaced) {
      if (getKernel(stock.kernelName, WASM) === undefined) registerKernel(stock);
    }
  };
}

/**
 * Whether {@link registerWasmTrainingKernels} (or {@link enableFastWasmTraining}) holds
 * the wasm training kernels (some `undo` is still pending).
 *
 * @returns `true` while they are held.
 */
export function areWasmTrainingKernelsRegistered(): boolean {
  return held !== undefined;
}
