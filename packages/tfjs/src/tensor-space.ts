/**
 * `@flood/core`'s `VectorSpace` over lists of tensors: the arithmetic every
 * rule runs on in TensorFlow.js.
 *
 * @module
 */
import type { Block, ScalarOps, VectorSpace } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { FLOOD_SUM_OF_SQUARES, fusedAxpby, fusedDot, fusedSum } from './fused-ops.js';
import { alias } from './pass-guards.js';
import { addAll, sumAll, sumOfSquares } from './reduce.js';

/** A parameter-shaped vector: one tensor per variable, in the variables' fixed order. */
export type TensorVector = tf.Tensor[];

function asScalar(x: tf.Scalar | number): tf.Scalar {
  return typeof x === 'number' ? tf.scalar(x, 'float32') : x;
}

/** `x·a`, or `x` itself (a new reference, no pass over it) when `a` is the number 1. */
function times(x: tf.Tensor, a: tf.Scalar | number): tf.Tensor {
  return a === 1 ? alias(x) : tf.mul(x, asScalar(a));
}

const scalarOps: ScalarOps<tf.Scalar> = {
  of: (x) => tf.scalar(x, 'float32') as tf.Scalar,
  add: (a, b) => tf.add(asScalar(a), asScalar(b)),
  sub: (a, b) => tf.sub(asScalar(a), asScalar(b)),
  mul: (a, b) => tf.mul(asScalar(a), asScalar(b)),
  div: (a, b) => tf.div(asScalar(a), asScalar(b)),
  sign: (a) => tf.sign(asScalar(a)),
  max: (a, b) => tf.maximum(asScalar(a), asScalar(b)) as tf.Scalar,
  greater: (a, b) => tf.cast(tf.greater(asScalar(a), asScalar(b)), 'float32') as tf.Scalar,
  read: async (a) => (await a.data())[0]!,
};

/**
 * The `VectorSpace` of tensor lists shaped like `variables` (float32), with
 * device scalars `tf.Scalar`. Scopes are `tf.tidy`, `keep` is `tf.keep`, and the
 * unit round-off is `2⁻²³`. Nothing is read back to the host except by
 * `toArrays` and `scalar.read` (both asynchronous).
 *
 * @param variables - the parameters, in the order every vector follows.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { tensorSpace } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([3, 4]));
 * const space = tensorSpace([w]);
 * const n = space.norm([w]); // device scalar 5
 * console.log(n.dataSync()[0]); // 5
 * ```
 */
export function tensorSpace(
  variables: readonly tf.Variable[],
): VectorSpace<TensorVector, tf.Scalar> {
  const blocks: Block[] = variables.map((v) => ({
    name: v.name,
    shape: [...v.shape],
    size: v.size,
  }));
  const dimension = blocks.reduce((a, b) => a + b.size, 0);
  const map2 = (x: TensorVector, y: TensorVector, f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
    x.map((xi, i) => f(xi, y[i]!));
  const sumOver = (parts: tf.Scalar[]): tf.Scalar => addAll(parts);
  return {
    blocks,
    dimension,
    machineEpsilon: 2 ** -23,
    scalar: scalarOps,
    // The fused kernels (where registered: wasm with enableFastWasmTraining) make
    // each result in one pass, with the same bits as the ops below. Otherwise one
    // tidy per tensor: the two products of a block are freed before the next
    // block's are made (peak: one block's temporaries, not all of them). A
    // coefficient that is the number 1 is not multiplied by (`1·x` is `x` bit
    // for bit): one parameter-sized pass less for `x − c·y` (LookSAM, GSAM, …).
    axpby: (a, x, b, y) =>
      fusedAxpby(a, x, b, y) ??
      map2(x, y, (p, q) => tf.tidy(() => tf.add(times(p, a), times(q, b)))),
    scale: (x, a) => tf.tidy(() => x.map((xi) => times(xi, a))),
    add: (x, y) => map2(x, y, tf.add),
    sub: (x, y) => map2(x, y, tf.sub),
    mul: (x, y) => map2(x, y, tf.mul),
    absPlus: (x, c) => tf.tidy(() => x.map((xi) => tf.add(tf.abs(xi), c))),
    // One fused kernel over all blocks where registered (see fused-ops.ts).
    dot: (x, y) =>
      fusedDot(x, y) ?? tf.tidy(() => sumOver(x.map((p, i) => sumAll(tf.mul(p, y[i]!))))),
    norm: (x) =>
      tf.tidy(() => tf.sqrt(fusedSum(FLOOD_SUM_OF_SQUARES, x) ?? sumOver(x.map(sumOfSquares)))),
    zeros: () => variables.map((v) => tf.zerosLike(v)),
    clone: (x) => x.map((xi) => tf.clone(xi)),
    dispose: (...values) => {
      for (const v of values) if (v !== undefined) tf.dispose(v);
    },
    scope: <T>(fn: () => T): T => tf.tidy(fn as () => tf.TensorContainer) as T,
    keep: <T extends TensorVector | tf.Scalar>(value: T): T => {
      if (Array.isArray(value)) for (const t of value) tf.keep(t);
      else tf.keep(value);
      return value;
    },
    toArrays: async (x) => Promise.all(x.map(async (xi) => Float64Array.from(await xi.data()))),
    fromArrays: (parts) => {
      if (parts.length !== blocks.length) {
        throw new RangeError(`expected ${blocks.length} blocks, got ${parts.length}`);
      }
      return parts.map((p, i) => {
        const b = blocks[i]!;
        if (p.length !== b.size) {
          throw new RangeError(`block ${b.name} must have ${b.size} entries, got ${p.length}`);
        }
        return tf.tensor(Float32Array.from(p), [...b.shape], 'float32');
      });
    },
  };
}
