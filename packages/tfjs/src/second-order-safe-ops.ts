/**
 * The ops whose second-order gradients tfjs computes exactly, and the error
 * for a loss that uses any other.
 *
 * @module
 */
/**
 * The ops (by op or kernel name, as tape nodes carry either) whose second-order
 * gradients are exact in tfjs *while {@link withSecondOrderGradients} is
 * installed*, which {@link exactHessianVectorProduct} always does: their
 * gradients are computed from their *inputs*, with ops that have gradients
 * themselves, so differentiating a gradient through them is exact. Checked
 * against float64 oracles (`exact-hvp*.test.ts`, `packages/metrics`) on cpu and
 * wasm. Only ops on a path from the weights to the loss are judged (labels may
 * go through `oneHot`, `floor`, `cast`, …).
 *
 * Covered: the arithmetic and reductions, `matMul` and `fusedMatMul` (tfjs-layers
 * `Dense`; on a tape tfjs fuses only the linear activation), `conv2d` and
 * `fusedConv2d` (tfjs-layers `Conv1D`/`Conv2D`), `maxPool` (windows that do not
 * overlap) and `avgPool`, `batchNorm` (tfjs-layers `BatchNormalization` in
 * inference mode), `gather` (`Embedding`), reshapes and transposes, and the
 * activations relu, relu6, leakyRelu, elu, selu, softplus, tanh, sigmoid,
 * softmax, exp, log, sqrt, sin, abs, clipByValue (so the tfjs-layers losses'
 * clipping), and the `max`/`min` reductions (so `logSumExp` and max-shifted
 * cross-entropies). Refused: everything else, notably `tf.logSoftmax`,
 * `tf.losses.softmaxCrossEntropy`, `logSigmoid` and other `customGrad` ops
 * (their saved tensors are disconnected from the tape), `pow`,
 * `maximum`/`minimum`, `where` on the weights' values.
 *
 * On `wasm`, `maxPool` is refused while tfjs-backend-wasm 4.22's own MaxPoolGrad
 * kernel is registered: it sends the gradient of a window whose entries are all
 * negative (or all zero) to a wrong entry, so neither exact nor finite-difference
 * curvature can be right there. `registerWasmTrainingKernels()` (or
 * `enableFastWasmTraining()`) from `@flood/tfjs/wasm` replaces the kernel, and
 * then `maxPool` is exact on wasm too. Also on `wasm` only: a fused matMul with
 * a bias is refused where the kernel adds the bias wrongly: tfjs-backend-wasm
 * 4.22 does when an operand is transposed or the product is batched (a forward
 * bug), `enableFastWasmTraining()`'s kernel only when batched. Both decisions
 * are made from the registered kernels and the kernel calls' attributes and
 * shapes: nothing is read back. The copies tfjs saves for backprop (Identity nodes, whatever scope names
 * them) are judged by the op that saved them.
 *
 * @example
 * ```ts
 * import { SECOND_ORDER_SAFE_OPS } from '@flood/tfjs';
 * SECOND_ORDER_SAFE_OPS.has('softplus'); // true
 * SECOND_ORDER_SAFE_OPS.has('fusedMatMul'); // true: tfjs-layers Dense
 * SECOND_ORDER_SAFE_OPS.has('Softmax'); // true: with flood's gradient definitions
 * SECOND_ORDER_SAFE_OPS.has('logSoftmax'); // false: method 'exact' refuses it
 * ```
 */
export const SECOND_ORDER_SAFE_OPS: ReadonlySet<string> = new Set([
  'add',
  'addN',
  'sub',
  'mul',
  'div',
  'neg',
  'square',
  'log',
  'sqrt',
  'sin',
  'abs',
  'softplus',
  'relu',
  'relu6',
  'leakyRelu',
  'elu',
  'selu',
  'exp',
  'tanh',
  'sigmoid',
  'softmax',
  'clipByValue',
  'matMul',
  'fusedMatMul',
  'conv2d',
  'fusedConv2d',
  'maxPool',
  'avgPool',
  'batchNorm',
  'gather',
  'sum',
  'mean',
  'max',
  'min',
  'reshape',
  'transpose',
  'tile',
  'expandDims',
  'cast',
  'clone',
  'unstack',
  // The same ops under their kernel names, as tape nodes may carry either.
  'Add',
  'AddN',
  'Sub',
  'Multiply',
  'RealDiv',
  'Neg',
  'Square',
  'Log',
  'Sqrt',
  'Sin',
  'Abs',
  'Softplus',
  'Relu',
  'Relu6',
  'LeakyRelu',
  'Elu',
  'Selu',
  'Exp',
  'Tanh',
  'Sigmoid',
  'Softmax',
  'ClipByValue',
  'BatchMatMul',
  'Conv2D',
  'MaxPool',
  'AvgPool',
  'FusedBatchNorm',
  'GatherV2',
  'Sum',
  'Mean',
  'Max',
  'Min',
  'Reshape',
  'Transpose',
  'Tile',
  'ExpandDims',
  'Cast',
  'Identity',
  'Unpack',
]);

/**
 * Thrown (before any result is used) when a loss uses an op outside
 * {@link SECOND_ORDER_SAFE_OPS}; `ops` names them.
 */
export class SecondOrderUnsupportedError extends Error {
  /** The op names that have no exact second-order gradient. */
  readonly ops: readonly string[];
  constructor(ops: readonly string[]) {
    super(
      `exact Hessian-vector products are not supported for this loss: tfjs has no exact ` +
        `second-order gradient for ${ops.join(', ')} (double backprop is silently wrong or ` +
        `fails for such ops, tfjs#3252). Ways out: build the loss from the ops in ` +
        `SECOND_ORDER_SAFE_OPS (e.g. safeLosses.softmaxCrossEntropy instead of ` +
        `tf.losses.softmaxCrossEntropy or logSoftmax), or use finite differences: ` +
        `{ hessianVectorProduct: { method: 'finite-difference' } } in @flood/metrics (each ` +
        `product checked at two step sizes), exactHessian: false on the objective, or ` +
        `gradientPenalty's method 'finite-difference'`,
    );
    this.name = 'SecondOrderUnsupportedError';
    this.ops = ops;
  }
}
