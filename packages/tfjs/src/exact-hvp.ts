/**
 * Exact Hessian-vector products by double backprop, only where tfjs computes
 * them correctly.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { variableGradsOrCleanUp } from './gradients.js';
import { addAll } from './reduce.js';
import { withSecondOrderGradients } from './second-order-gradients.js';
import type { TensorVector } from './tensor-space.js';
import {
  FUSED_BIAS_RIGHT_AT_BATCH_1,
  kernelMarked,
  MAX_POOL_GRAD_IS_RIGHT,
} from './tfjs-internals.js';

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

/** A gradient tape node, as far as the check reads it. */
interface TapeNode {
  kernelName: string;
  inputs: Record<string, tf.Tensor | undefined>;
  outputs: readonly tf.Tensor[];
  saved?: readonly tf.Tensor[];
}

interface TapeState {
  state: { activeTape: TapeNode[] | null };
}

/** The op a tape node was recorded for (tfjs names nodes by op scope, e.g. `matMul__op`). */
function opName(node: TapeNode): string {
  return node.kernelName.replace(/__op$/, '');
}

/**
 * Whether `node` is one of the copies tfjs makes of the tensors an op saves for
 * its gradient (`engine.clone`: an Identity of one input `x`, named after the
 * current scope, whose output is in some node's `saved`). Its gradient is the
 * identity; whether the saved copy is used correctly is the saving op's matter.
 */
function isSaveCopy(node: TapeNode, saved: ReadonlySet<number>): boolean {
  const inputs = Object.keys(node.inputs);
  return (
    node.outputs.length === 1 &&
    saved.has(node.outputs[0]!.id) &&
    (node.saved?.length ?? 0) === 0 &&
    inputs.length === 1 &&
    inputs[0] === 'x'
  );
}

/** Product of all but the last two dimensions: the matrix batch of a matMul operand. */
function matrixBatch(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

/**
 * Runs `f` and tells whether, meanwhile, the wasm `_FusedMatMul` kernel added
 * a bias where it adds it wrongly, decided per call from its attributes and
 * shapes (the tape does not record a product's transposes), with no value read.
 * tfjs-backend-wasm 4.22 adds the bias wrongly outside its XNNPACK path, i.e.
 * when an operand is transposed or the batch is larger than 1
 * (`slow_batch_matmul` reads `bias[min(i·n + j, size − 1)]`, wrong in every row
 * after the first, and adds it once per 48-wide block of the shared dimension,
 * wrong in every row): a wrong loss, so wrong gradients of every order.
 * `enableFastWasmTraining()`'s kernel (marked {@link FUSED_BIAS_RIGHT_AT_BATCH_1})
 * computes every batch-1 product untransposed, so only batched products stay
 * wrong there. tfjs-layers `Dense` (batch 1, untransposed) is right with either.
 * The registered kernel is wrapped to watch its calls only while `f` runs (a
 * synchronous pass), then put back, also when `f` throws.
 */
function watchingFusedBias<T>(f: () => T): [T, boolean] {
  const config = tf.getBackend() === 'wasm' ? tf.getKernel('_FusedMatMul', 'wasm') : undefined;
  if (!config) return [f(), false];
  const rightAtBatch1 = kernelMarked('_FusedMatMul', 'wasm', FUSED_BIAS_RIGHT_AT_BATCH_1);
  let wrong = false;
  const watch: tf.KernelConfig = {
    ...config,
    kernelFunc: (args) => {
      const { a, b, bias } = args.inputs;
      if (bias && a && b) {
        const batched = matrixBatch(a.shape) > 1 || matrixBatch(b.shape) > 1;
        const transposed = args.attrs?.transposeA === true || args.attrs?.transposeB === true;
        if (batched || (transposed && !rightAtBatch1)) wrong = true;
      }
      return config.kernelFunc(args);
    },
  };
  tf.unregisterKernel('_FusedMatMul', 'wasm');
  tf.registerKernel(watch);
  try {
    const value = f();
    return [value, wrong];
  } finally {
    tf.unregisterKernel('_FusedMatMul', 'wasm');
    tf.registerKernel(config);
  }
}

/**
 * Whether the `MaxPoolGrad` kernel registered for wasm routes the gradient of a
 * window to its maximum when every entry is negative (or zero):
 * tfjs-backend-wasm 4.22's own kernel sends it to a wrong entry (the test
 * beside `wasm/max-pool-gradient.ts` shows it); the replacement that
 * `@flood/tfjs/wasm` registers (marked {@link MAX_POOL_GRAD_IS_RIGHT}) does
 * not. Decided from the registration, with no value read; any other kernel is
 * taken as the faulty one.
 */
function wasmMaxPoolGradIsRight(): boolean {
  return kernelMarked('MaxPoolGrad', 'wasm', MAX_POOL_GRAD_IS_RIGHT);
}

/**
 * The names of the ops recorded in `nodes` on a path from `sources` (the
 * variables' tensor ids) that are not second-order safe. Ops on constants only
 * (labels through `oneHot`, `floor`, …) do not matter and are not judged.
 */
function unsafeOps(
  nodes: readonly TapeNode[],
  sources: ReadonlySet<number>,
  fusedBiasWrong: boolean,
): Set<string> {
  const saved = new Set<number>();
  for (const node of nodes) for (const t of node.saved ?? []) saved.add(t.id);
  const fromSources = new Set(sources);
  const wasm = tf.getBackend() === 'wasm';
  const unsafe = new Set<string>();
  for (const node of nodes) {
    const inputs = Object.values(node.inputs).filter((t): t is tf.Tensor => t != null);
    if (!inputs.some((t) => fromSources.has(t.id))) continue;
    for (const t of node.outputs) fromSources.add(t.id);
    if (isSaveCopy(node, saved)) continue;
    const name = opName(node);
    if (!SECOND_ORDER_SAFE_OPS.has(name)) unsafe.add(name);
    else if (wasm && (name === 'MaxPool' || name === 'maxPool') && !wasmMaxPoolGradIsRight()) {
      unsafe.add(
        "maxPool (on wasm: tfjs-backend-wasm 4.22's MaxPoolGrad routes its gradient wrongly; " +
          "registerWasmTrainingKernels() or enableFastWasmTraining() from '@flood/tfjs/wasm' replaces it)",
      );
    } else if (name === 'fusedMatMul' && wasm && node.inputs['2'] && fusedBiasWrong) {
      unsafe.add(
        'fusedMatMul (with a bias, transposed or batched, on wasm: a wrong value; ' +
          "at batch 1, enableFastWasmTraining() from '@flood/tfjs/wasm' makes it right)",
      );
    }
  }
  return unsafe;
}

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

/** Throws unless every op recorded on a path from `variables` while running `f` is second-order safe. */
function checked(f: () => tf.Scalar, variables: readonly tf.Variable[]): () => tf.Scalar {
  const sources = new Set(variables.map((v) => v.id));
  return () => {
    const { state } = tf.engine() as unknown as TapeState;
    const start = state.activeTape?.length ?? 0;
    const [y, fusedBiasWrong] = watchingFusedBias(f);
    const unsafe = unsafeOps(state.activeTape?.slice(start) ?? [], sources, fusedBiasWrong);
    if (unsafe.size > 0) throw new SecondOrderUnsupportedError([...unsafe]);
    return y;
  };
}

/**
 * `∇²L(θ)·v` by double backprop: the gradient of `⟨∇L(θ), v⟩` with `v` held
 * constant. Throws (before any result is used) when the loss uses an op outside
 * {@link SECOND_ORDER_SAFE_OPS}. The caller owns the result.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { exactHessianVectorProduct } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * // L = Σ w⁴/4: H = diag(3w²) = diag(3, 12), so H·[1, 1] = [3, 12]
 * const loss = () => tf.sum(tf.div(tf.square(tf.square(w)), 4)) as tf.Scalar;
 * const [hv] = exactHessianVectorProduct(loss, [w], [tf.ones([2])]);
 * hv!.print(); // [3, 12]
 * ```
 */
export function exactHessianVectorProduct(
  loss: () => tf.Scalar,
  variables: readonly tf.Variable[],
  v: TensorVector,
): TensorVector {
  const vars = [...variables];
  const safe = checked(loss, vars);
  return withSecondOrderGradients(() =>
    tf.tidy(() => {
      const { value, grads } = variableGradsOrCleanUp(() => {
        const inner = tf.variableGrads(safe, vars);
        const terms = vars.map((x, i) => {
          const g = inner.grads[x.name];
          return g == null ? tf.scalar(0) : tf.sum(tf.mul(g, v[i]!));
        });
        return addAll(terms as tf.Scalar[]);
      }, vars);
      value.dispose();
      return vars.map((x) => grads[x.name] ?? tf.zerosLike(x));
    }),
  );
}
