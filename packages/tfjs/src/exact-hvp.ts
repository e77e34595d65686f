/**
 * Exact Hessian-vector products by double backprop, only where tfjs computes
 * them correctly.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { variableGradsOrCleanUp } from './gradients.js';
import type { TensorVector } from './tensor-space.js';

/**
 * The ops whose second-order gradients in tfjs were checked against finite
 * differences (here, in `exact-hvp.test.ts`, and in tfjs.md §3): their gradients
 * are computed from their *inputs*, so differentiating a gradient through them is
 * exact (`pow` is left out: its gradient with respect to the exponent uses
 * its saved output). Anything else in the loss (exp, tanh, sigmoid, softmax, logSoftmax,
 * softmax cross-entropy, fused matMul, max, clip, pooling, conv filters,
 * `customGrad` ops, …) is refused: tfjs's double backprop is silently wrong or
 * fails for many of them (tfjs#3252). Tape nodes carry op or kernel names, so
 * both spellings are listed.
 *
 * @example
 * ```ts
 * import { SECOND_ORDER_SAFE_OPS } from '@flood/tfjs';
 * SECOND_ORDER_SAFE_OPS.has('softplus'); // true
 * SECOND_ORDER_SAFE_OPS.has('tanh'); // false: method 'exact' refuses it
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
  'softplus',
  'relu',
  'matMul',
  'sum',
  'mean',
  'reshape',
  'transpose',
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
  'Softplus',
  'Relu',
  'BatchMatMul',
  'Sum',
  'Mean',
  'Reshape',
  'Transpose',
  'Cast',
  'Identity',
  'Unpack',
]);

/** The op a tape node was recorded for (tfjs names nodes by op scope, e.g. `matMul__op`). */
function opName(node: { kernelName: string }): string {
  return node.kernelName.replace(/__op$/, '');
}

interface TapeState {
  state: { activeTape: { kernelName: string }[] | null };
}

/** Throws unless every op recorded while running `f` is second-order safe. */
function checked(f: () => tf.Scalar): () => tf.Scalar {
  return () => {
    const { state } = tf.engine() as unknown as TapeState;
    const start = state.activeTape?.length ?? 0;
    const y = f();
    const unsafe = new Set<string>();
    for (const node of state.activeTape?.slice(start) ?? []) {
      if (!SECOND_ORDER_SAFE_OPS.has(opName(node))) unsafe.add(opName(node));
    }
    if (unsafe.size > 0) {
      throw new Error(
        `method 'exact' is not supported for this loss: tfjs has no verified second-order ` +
          `gradient for ${[...unsafe].join(', ')} (double backprop is silently wrong or fails ` +
          `for such ops, tfjs#3252); use method 'finite-difference'`,
      );
    }
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
  const safe = checked(loss);
  return tf.tidy(() => {
    const { value, grads } = variableGradsOrCleanUp(() => {
      const inner = tf.variableGrads(safe, vars);
      const terms = vars.map((x, i) => {
        const g = inner.grads[x.name];
        return g == null ? tf.scalar(0) : tf.sum(tf.mul(g, v[i]!));
      });
      return (terms.length === 1 ? terms[0]! : tf.addN(terms)) as tf.Scalar;
    }, vars);
    value.dispose();
    return vars.map((x) => grads[x.name] ?? tf.zerosLike(x));
  });
}
