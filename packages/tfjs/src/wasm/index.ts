/**
 * `@flood/tfjs/wasm`: training on the TensorFlow.js `wasm` backend.
 *
 * - {@link enableFastWasmTraining}: faster matMul kernels for dense layers, fused SIMD
 *   kernels for the optimizers' norms, inner products and `a·x + b·y`, plus the
 *   kernels below (the one call most users want);
 * - {@link registerWasmTrainingKernels}: only the backward kernels tfjs-backend-wasm
 *   4.22 lacks (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 *   `DepthwiseConv2dNativeBackpropInput`, `UnsortedSegmentSum`), so that
 *   convolutional and embedding models train on wasm.
 *
 * A separate entry point so that importing the optimizers (`@flood/tfjs`) never touches
 * a backend. Nothing happens on import: the kernels are (re)registered when you call
 * one of these, after importing `@tensorflow/tfjs-backend-wasm`.
 *
 * @packageDocumentation
 */

export { reusingOperands } from '../operand-scope.js';
export { enableFastWasmTraining, isFastWasmTrainingEnabled } from './fast-training.js';
export {
  areWasmTrainingKernelsRegistered,
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNELS,
} from './training-kernels.js';
