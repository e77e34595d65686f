/**
 * `@flood/tfjs`: TensorFlow.js optimizers for flooding, backstitch, gradient
 * penalties and SAM, built on `@flood/core`.
 *
 * @packageDocumentation
 */
export {};
export { enableFastWasmTraining, isFastWasmTrainingEnabled } from './fast-wasm-training.js';
