/**
 * A small least-squares problem over two variables (a kernel `w` of 2 and a
 * bias `b`), with its gradient in float64, for one-step hand references.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** L(w, b) = mean((Xw + b − y)²), θ = [w0, w1, b]; its gradient in float64. */
export const X = [
  [1, 2],
  [0.5, -1],
  [-1.5, 0.25],
  [0.3, 0.8],
];
export const Y = [1, -0.5, 2, 0.1];
export const THETA0 = [0.3, -0.2, 0.1];

export function grad(t: readonly number[]): number[] {
  const r = X.map((x, i) => x[0]! * t[0]! + x[1]! * t[1]! + t[2]! - Y[i]!);
  const n = X.length;
  return [
    (2 / n) * X.reduce((s, x, i) => s + x[0]! * r[i]!, 0),
    (2 / n) * X.reduce((s, x, i) => s + x[1]! * r[i]!, 0),
    (2 / n) * r.reduce((s, v) => s + v, 0),
  ];
}
export const dot = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, x, i) => s + x * b[i]!, 0);
export const nrm = (a: readonly number[]) => Math.sqrt(dot(a, a));
export const lin = (...terms: [number, readonly number[]][]) =>
  terms[0]![1].map((_, i) => terms.reduce((s, [c, v]) => s + c * v[i]!, 0));

export function problem() {
  const w = tf.variable(tf.tensor1d(THETA0.slice(0, 2)));
  const b = tf.variable(tf.scalar(THETA0[2]!));
  const x = tf.tensor2d(X);
  const y = tf.tensor1d(Y);
  const loss = () =>
    tf.tidy(() => {
      const pred = tf.add(tf.squeeze(tf.matMul(x, tf.reshape(w, [2, 1]))), b);
      return tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar;
    });
  return {
    w,
    b,
    loss,
    vars: [w, b],
    read: () => [...Array.from(w.dataSync()), b.dataSync()[0]!],
    dispose: () => tf.dispose([w, b, x, y]),
  };
}

export const close = (got: number[], want: number[]) => {
  got.forEach((v, i) => {
    expect(Math.abs(v - want[i]!)).toBeLessThan(2e-6 * (1 + Math.abs(want[i]!)));
  });
};

/** A SAM-style probe offset along `d`, restricted to `mask` (1 = moved). */
export const offset = (d: number[], rho: number, mask = [1, 1, 1]) => {
  const pd = d.map((v, i) => v * mask[i]!);
  return lin([rho / (nrm(pd) + 1e-12), pd]);
};
