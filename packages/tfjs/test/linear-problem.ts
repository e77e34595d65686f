/**
 * A tiny linear least-squares problem shared by the tests, with its loss and
 * gradient computed in plain JS (float64) as an independent oracle.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** Inputs (3 samples × 2 features), targets and initial weights. */
export const X = [
  [1, 2],
  [0.5, -1],
  [-1.5, 0.25],
];
/** Targets. */
export const Y = [1, -0.5, 2];
/** Initial weights. */
export const W0 = [0.3, -0.2];

/** `L(w) = mean((Xw − y)²)` and its gradient `(2/n)Xᵀ(Xw − y)`, in float64. */
export function lossAndGradient(w: readonly number[]): { loss: number; gradient: number[] } {
  const n = X.length;
  const r = X.map((row, i) => row[0]! * w[0]! + row[1]! * w[1]! - Y[i]!);
  const loss = r.reduce((s, ri) => s + ri * ri, 0) / n;
  const gradient = [0, 1].map((j) => (2 / n) * X.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
  return { loss, gradient };
}

/** `‖v‖₂`. */
export function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** The problem as a tfjs variable and loss closure. */
export function linearProblem(w0: readonly number[] = W0) {
  const w = tf.variable(tf.tensor1d([...w0]));
  const x = tf.tensor2d(X);
  const y = tf.tensor1d(Y);
  const loss = () =>
    tf.mean(tf.square(tf.sub(tf.squeeze(tf.matMul(x, tf.reshape(w, [2, 1]))), y))) as tf.Scalar;
  return {
    w,
    loss,
    read: () => Array.from(w.dataSync()),
    dispose: () => tf.dispose([w, x, y]),
  };
}
