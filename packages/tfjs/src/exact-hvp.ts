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
import { SecondOrderUnsupportedError } from './second-order-safe-ops.js';
import type { TensorVector } from './tensor-space.js';
import { FUSED_BIAS_RIGHT_AT_BATCH_1, kernelMarked, tapeRecordedBy } from './tfjs-internals.js';
import { unsafeOps } from './unsafe-ops.js';

export { SECOND_ORDER_SAFE_OPS, SecondOrderUnsupportedError } from './second-order-safe-ops.js';

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

/** Throws unless every op recorded on a path from `variables` while running `f` is second-order safe. */
function checked(f: () => tf.Scalar, variables: readonly tf.Variable[]): () => tf.Scalar {
  const sources = new Set(variables.map((v) => v.id));
  return () => {
    const { result, nodes } = tapeRecordedBy(() => watchingFusedBias(f));
    const [y, fusedBiasWrong] = result;
    const unsafe = unsafeOps(nodes, sources, fusedBiasWrong);
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
