/**
 * Test fixtures with closed-form gradients and Hessians, written independently
 * of the code under test (plain loops over `number[]`/`Float64Array`, no
 * `arraySpace`): symmetric matrices of a chosen inertia, quadratics, a quartic
 * and logistic regression, on seeded random numbers from `seededRandom`
 * (mulberry32, checked against its own BigInt oracle in `src/random.test.ts`).
 */
import { arrayObjective } from '../src/array-objective.js';
import { seededRandom as rng } from '../src/random.js';

/** The seeded uniform generator in [0, 1) the fixtures draw from: core's `seededRandom`. */
export { rng };

/** A standard normal sample (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A vector of `n` standard normals. */
export function randomVector(n: number, random: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => normal(random));
}

export type Matrix = number[][];

/**
 * `A = M·diag(d)·Mᵀ` with `M` random: symmetric, and by Sylvester's law of
 * inertia it has as many positive/negative eigenvalues as `d` has.
 */
export function symmetricWithInertia(d: readonly number[], random: () => number): Matrix {
  const n = d.length;
  const m = Array.from({ length: n }, () => Array.from({ length: n }, () => normal(random)));
  const a: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[i]![k]! * d[k]! * m[j]![k]!;
      a[i]![j] = s;
      a[j]![i] = s;
    }
  }
  return a;
}

/** `A·v`. */
export function matVec(a: Matrix, v: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

/** `Σ xᵢyᵢ`. */
export function dotOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** `√Σ xᵢ²`. */
export function normOf(x: ArrayLike<number>): number {
  return Math.sqrt(dotOf(x, x));
}

/** `Σ aᵢ·xᵢ` over pairs `[aᵢ, xᵢ]`, entrywise. */
export function combine(...terms: [number, ArrayLike<number>][]): Float64Array {
  const n = terms[0]![1].length;
  const out = new Float64Array(n);
  for (const [a, x] of terms) for (let i = 0; i < n; i++) out[i]! += a * x[i]!;
  return out;
}

/** `‖x − y‖`. */
export function distance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return normOf(combine([1, x], [-1, y]));
}

/** `‖x − y‖ / ‖y‖` (or `‖x − y‖` when `y = 0`). */
export function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const diff = normOf(combine([1, x], [-1, y]));
  const scale = normOf(y);
  return scale === 0 ? diff : diff / scale;
}

/** A differentiable test function with closed-form gradient and Hessian-vector product. */
export interface Analytic {
  dimension: number;
  loss(theta: Float64Array): number;
  gradient(theta: Float64Array): Float64Array;
  hessianVector(theta: Float64Array, v: Float64Array): Float64Array;
}

/** `L = ½θᵀAθ − cᵀθ`, `∇L = Aθ − c`, `∇²L = A`. */
export function quadratic(a: Matrix, c: Float64Array): Analytic {
  return {
    dimension: c.length,
    loss: (t) => 0.5 * dotOf(t, matVec(a, t)) - dotOf(c, t),
    gradient: (t) => combine([1, matVec(a, t)], [-1, c]),
    hessianVector: (_t, v) => matVec(a, v),
  };
}

/**
 * A quartic: `L = ½θᵀAθ − cᵀθ + (κ/4)Σθᵢ⁴`, `∇L = Aθ − c + κθ³`,
 * `∇²L = A + 3κ·diag(θ²)`; its third derivative `6κθᵢ` is non-zero away from 0.
 */
export function quartic(a: Matrix, c: Float64Array, kappa: number): Analytic {
  return {
    dimension: c.length,
    loss: (t) =>
      0.5 * dotOf(t, matVec(a, t)) - dotOf(c, t) + (kappa / 4) * t.reduce((s, x) => s + x ** 4, 0),
    gradient: (t) => {
      const g = combine([1, matVec(a, t)], [-1, c]);
      for (let i = 0; i < g.length; i++) g[i]! += kappa * t[i]! ** 3;
      return g;
    },
    hessianVector: (t, v) => {
      const h = matVec(a, v);
      for (let i = 0; i < h.length; i++) h[i]! += 3 * kappa * t[i]! ** 2 * v[i]!;
      return h;
    },
  };
}

/**
 * Logistic regression on fixed data `(xᵢ, yᵢ ∈ {±1})`, `i = 1..m`, with a ridge
 * `(μ/2)‖w‖²`: `L = (1/m)Σ log(1 + e^{−yᵢxᵢᵀw}) + (μ/2)‖w‖²`,
 * `∇L = −(1/m)Σ yᵢ σ(−zᵢ) xᵢ + μw`, `∇²L = (1/m)Σ σ(zᵢ)σ(−zᵢ) xᵢxᵢᵀ + μI`,
 * `zᵢ = yᵢxᵢᵀw`, `σ(z) = 1/(1 + e^{−z})`.
 */
export function logistic(xs: Float64Array[], ys: number[], mu: number): Analytic {
  const m = xs.length;
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));
  return {
    dimension: xs[0]!.length,
    loss: (w) =>
      xs.reduce((s, x, i) => s + Math.log1p(Math.exp(-ys[i]! * dotOf(x, w))), 0) / m +
      (mu / 2) * dotOf(w, w),
    gradient: (w) => {
      const g = combine([mu, w]);
      xs.forEach((x, i) => {
        const z = ys[i]! * dotOf(x, w);
        for (let j = 0; j < g.length; j++) g[j]! -= (ys[i]! * sigma(-z) * x[j]!) / m;
      });
      return g;
    },
    hessianVector: (w, v) => {
      const h = combine([mu, v]);
      xs.forEach((x, i) => {
        const z = ys[i]! * dotOf(x, w);
        const weight = (sigma(z) * sigma(-z) * dotOf(x, v)) / m;
        for (let j = 0; j < h.length; j++) h[j]! += weight * x[j]!;
      });
      return h;
    },
  };
}

/** Fixed seeded logistic-regression data: `m` points in `n` dimensions, noisy labels. */
export function logisticData(m: number, n: number, seed: number): Analytic {
  const random = rng(seed);
  const truth = randomVector(n, random);
  const xs = Array.from({ length: m }, () => randomVector(n, random));
  const ys = xs.map((x) => (dotOf(x, truth) + 0.5 * normal(random) > 0 ? 1 : -1));
  return logistic(xs, ys, 0.01);
}

/** An `arrayObjective` for an analytic function, optionally offering its exact HVP. */
export function objectiveOf(f: Analytic, theta: Float64Array, exactHvp = false) {
  return arrayObjective(
    (t) => ({ loss: f.loss(t), gradient: f.gradient(t) }),
    theta,
    exactHvp ? { hessianVectorProduct: (t, v) => f.hessianVector(t, v) } : {},
  );
}

/**
 * The order p of an error that behaves like `C·εᵖ`, from errors at successive
 * ε that halve: `log2(e(ε)/e(ε/2))` for each neighbouring pair.
 */
export function orders(errors: readonly number[]): number[] {
  return errors.slice(1).map((e, i) => Math.log2(errors[i]! / e));
}
