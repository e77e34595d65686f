/**
 * Every place `@flood/tfjs` relies on a part of TensorFlow.js that is not its
 * public API, in one module (this index and the parts in `tfjs-internals/`:
 * optimizer fields, engine state and buffers, kernels and kernel marks, the wasm
 * backend's heap, tfjs-layers model fields), each pinned by a test (`tfjs-internals.test.ts`)
 * against tfjs 4.22 (tfjs-layers 4.22 for the model fields). Nothing here
 * modifies a built-in (`Array.prototype`, `Object.prototype`, `Math`) or any
 * tfjs prototype or engine method: the probe-pass guards read engine state and
 * write only instance fields of the user's own layers and models, for the
 * duration of one synchronous pass.
 *
 * @module
 */
export {
  keptBy,
  releaseAbandonedTape,
  shareBuffer,
  type TapeNode,
  tapeRecordedBy,
} from './tfjs-internals/engine-state.js';
export {
  FUSED_BIAS_RIGHT_AT_BATCH_1,
  kernelMarked,
  MAX_POOL_GRAD_IS_RIGHT,
  SELECT_TAKES_SCALAR,
  select,
  selectTakesScalar,
} from './tfjs-internals/kernels.js';
export {
  type LayersModelFields,
  unseededDropoutLayers,
  withDropoutSeeds,
  withoutMetrics,
} from './tfjs-internals/layers-models.js';
export {
  descentRate,
  learningRateOf,
  optimizerStateVariables,
  rewindIterations,
} from './tfjs-internals/optimizers.js';
export { type WasmHeap, wasmHeapOf } from './tfjs-internals/wasm-heap.js';
