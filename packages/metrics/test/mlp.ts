/**
 * Test oracle: a one-hidden-layer ReLU MLP with mean softmax cross-entropy in
 * plain float64 JS, written independently of the code under test, with
 * - its analytic gradient (backprop by hand),
 * - its EXACT Hessian-vector product (Pearlmutter's R-operator, forward over
 *   reverse, by hand): a ReLU network is piecewise linear in its pre-activations,
 *   so away from a kink the mask is locally constant and the R-op is exact,
 * - its dense Hessian, column by column by central differences of the analytic
 *   gradient, at a point where no pre-activation is within `margin` of a kink.
 *
 * Parameters use the tfjs Dense layout: kernel1 [inputs, hidden], bias1
 * [hidden], kernel2 [hidden, classes], bias2 [classes], concatenated row-major.
 */
import { arrayObjective } from '@flood/core';
import { sequence } from './quadratic.js';

/** Sizes of the network and its data. */
export interface MlpShape {
  inputs: number;
  hidden: number;
  classes: number;
}

/** A dataset and the network's shape. */
export interface MlpProblem extends MlpShape {
  /** Inputs, one row per example. */
  x: number[][];
  /** Class labels. */
  y: number[];
}

/** The block layout (tfjs Dense variable shapes). */
export function mlpBlocks(s: MlpShape) {
  return [
    { name: 'dense1/kernel', shape: [s.inputs, s.hidden] },
    { name: 'dense1/bias', shape: [s.hidden] },
    { name: 'dense2/kernel', shape: [s.hidden, s.classes] },
    { name: 'dense2/bias', shape: [s.classes] },
  ];
}

/** Number of parameters. */
export function mlpSize(s: MlpShape): number {
  return s.inputs * s.hidden + s.hidden + s.hidden * s.classes + s.classes;
}

interface Params {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

function split(s: MlpShape, theta: Float64Array): Params {
  const a = s.inputs * s.hidden;
  const b = a + s.hidden;
  const c = b + s.hidden * s.classes;
  return {
    w1: theta.subarray(0, a),
    b1: theta.subarray(a, b),
    w2: theta.subarray(b, c),
    b2: theta.subarray(c, c + s.classes),
  };
}

/** Hidden pre-activations `z1 = x W1 + b1`, one row per example. */
export function preActivations(p: MlpProblem, theta: Float64Array): number[][] {
  const { w1, b1 } = split(p, theta);
  return p.x.map((xi) =>
    Array.from({ length: p.hidden }, (_, j) => {
      let z = b1[j]!;
      for (let i = 0; i < p.inputs; i++) z += xi[i]! * w1[i * p.hidden + j]!;
      return z;
    }),
  );
}

/** Loss, gradient and (when `v` is given) the exact Hessian-vector product. */
export function mlpEvaluate(
  p: MlpProblem,
  theta: Float64Array,
  v?: Float64Array,
): { loss: number; gradient: Float64Array; hv?: Float64Array } {
  const { inputs: d, hidden: h, classes: c } = p;
  const n = p.x.length;
  const P = split(p, theta);
  const V = v ? split(p, v) : undefined;
  const gradient = new Float64Array(theta.length);
  const G = split(p, gradient);
  const hv = v ? new Float64Array(theta.length) : undefined;
  const R = hv ? split(p, hv) : undefined;
  let loss = 0;
  for (let e = 0; e < n; e++) {
    const x = p.x[e]!;
    // forward and its R-op
    const z1 = new Float64Array(h);
    const rz1 = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      z1[j] = P.b1[j]!;
      rz1[j] = V ? V.b1[j]! : 0;
      for (let i = 0; i < d; i++) {
        z1[j] += x[i]! * P.w1[i * h + j]!;
        if (V) rz1[j] += x[i]! * V.w1[i * h + j]!;
      }
    }
    const mask = z1.map((z) => (z > 0 ? 1 : 0));
    const a1 = z1.map((z, j) => z * mask[j]!);
    const ra1 = rz1.map((z, j) => z * mask[j]!);
    const z2 = new Float64Array(c);
    const rz2 = new Float64Array(c);
    for (let k = 0; k < c; k++) {
      z2[k] = P.b2[k]!;
      rz2[k] = V ? V.b2[k]! : 0;
      for (let j = 0; j < h; j++) {
        z2[k] += a1[j]! * P.w2[j * c + k]!;
        if (V) rz2[k] += ra1[j]! * P.w2[j * c + k]! + a1[j]! * V.w2[j * c + k]!;
      }
    }
    const m = Math.max(...z2);
    const ex = z2.map((z) => Math.exp(z - m));
    const sum = ex.reduce((a, b) => a + b, 0);
    const prob = ex.map((x) => x / sum);
    loss += (Math.log(sum) + m - z2[p.y[e]!]!) / n;
    // backward and its R-op
    const dz2 = prob.map((q, k) => (q - (k === p.y[e] ? 1 : 0)) / n);
    let pr = 0;
    for (let k = 0; k < c; k++) pr += prob[k]! * rz2[k]!;
    const rdz2 = prob.map((q, k) => (q * (rz2[k]! - pr)) / n);
    const da1 = new Float64Array(h);
    const rda1 = new Float64Array(h);
    for (let k = 0; k < c; k++) {
      G.b2[k] += dz2[k]!;
      if (R) R.b2[k] += rdz2[k]!;
      for (let j = 0; j < h; j++) {
        G.w2[j * c + k] += a1[j]! * dz2[k]!;
        da1[j] += dz2[k]! * P.w2[j * c + k]!;
        if (R && V) {
          R.w2[j * c + k] += ra1[j]! * dz2[k]! + a1[j]! * rdz2[k]!;
          rda1[j] += rdz2[k]! * P.w2[j * c + k]! + dz2[k]! * V.w2[j * c + k]!;
        }
      }
    }
    for (let j = 0; j < h; j++) {
      const dz1 = da1[j]! * mask[j]!;
      const rdz1 = rda1[j]! * mask[j]!;
      G.b1[j] += dz1;
      if (R) R.b1[j] += rdz1;
      for (let i = 0; i < d; i++) {
        G.w1[i * h + j] += x[i]! * dz1;
        if (R) R.w1[i * h + j] += x[i]! * rdz1;
      }
    }
  }
  return hv ? { loss, gradient, hv } : { loss, gradient };
}

/**
 * A small problem: `n` points in 2-D with `classes` classes (default 3) by angle,
 * 20% noisy labels, and
 * weights such that every hidden pre-activation is at least `margin` away from
 * the kink (examples that come closer are skipped).
 */
export function smallProblem(
  options: { n?: number; hidden?: number; classes?: number; margin?: number; seed?: number } = {},
): { problem: MlpProblem; theta: Float64Array } {
  const shape = { inputs: 2, hidden: options.hidden ?? 8, classes: options.classes ?? 3 };
  const next = sequence(options.seed ?? 11);
  const theta = Float64Array.from({ length: mlpSize(shape) }, () => 1.2 * next());
  const margin = options.margin ?? 0.05;
  const x: number[][] = [];
  const y: number[] = [];
  const wanted = options.n ?? 32;
  for (let tries = 0; x.length < wanted && tries < 100 * wanted; tries++) {
    const point = [2 * next(), 2 * next()];
    const z = preActivations({ ...shape, x: [point], y: [0] }, theta)[0]!;
    if (z.some((v) => Math.abs(v) < margin)) continue;
    const angle = Math.atan2(point[1]!, point[0]!) + Math.PI;
    const c = shape.classes;
    let label = Math.min(c - 1, Math.floor((c * angle) / (2 * Math.PI)));
    if (next() > 0.8) label = (label + 1) % c;
    x.push(point);
    y.push(label);
  }
  return { problem: { ...shape, x, y }, theta };
}

/** The smallest `|z1|` over all examples and hidden units. */
export function kinkMargin(p: MlpProblem, theta: Float64Array): number {
  return Math.min(...preActivations(p, theta).flat().map(Math.abs));
}

/**
 * The dense Hessian by central differences of the analytic gradient, column by
 * column, symmetrised: `H[:, i] = (∇L(θ + h eᵢ) − ∇L(θ − h eᵢ)) / 2h`.
 * Valid when `h·(max |x| + 1)` is far below {@link kinkMargin} (no mask flips).
 */
export function denseHessian(p: MlpProblem, theta: Float64Array, h = 1e-5): number[][] {
  const n = theta.length;
  const columns: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[i] += h;
    down[i] -= h;
    const gu = mlpEvaluate(p, up).gradient;
    const gd = mlpEvaluate(p, down).gradient;
    columns.push(gu.map((g, j) => (g - gd[j]!) / (2 * h)));
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => 0.5 * (columns[j]![i]! + columns[i]![j]!)),
  );
}

/** The MLP as an array objective, with its exact R-op product unless `exact` is false. */
export function mlpObjective(p: MlpProblem, theta: Float64Array, exact = true) {
  return arrayObjective((t) => mlpEvaluate(p, t), theta, {
    blocks: mlpBlocks(p),
    ...(exact ? { hessianVectorProduct: (t, v) => mlpEvaluate(p, t, v).hv! } : {}),
  });
}
