/**
 * Test fixtures with closed-form gradients and Hessians, written independently
 * of the code under test (plain loops over `number[]`/`Float64Array`, no
 * `arraySpace`): symmetric matrices of a chosen inertia, the seeded problem
 * `drawProblem`, quadratics and a quartic, on seeded random numbers from
 * `seededRandom` (mulberry32, checked against its own BigInt oracle in
 * `src/random.test.ts`). Their arithmetic is `vectors.ts`; logistic
 * regression is `logistic.ts`.
 */
import { arrayObjective } from '../src/array-objective.js';
import { seededRandom as rng } from '../src/random.js';
import { combine, dotOf } from './vectors.js';

/** The seeded uniform generator in [0, 1) the fixtures draw from: core's `seededRandom`. */
export { rng };

/** A standard normal sample (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A vector of `n` standard normals, drawn from `random` or from a new `rng(seed)`. */
export function randomVector(n: number, random: (() => number) | number): Float64Array {
  const draw = typeof random === 'number' ? rng(random) : random;
  return Float64Array.from({ length: n }, () => normal(draw));
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

/**
 * The seeded problem the rule tests start from: from `rng(seed)`, in this
 * order, one symmetric matrix per spectrum ({@link symmetricWithInertia}), then
 * `c` and `θ` of the first spectrum's dimension; `random` continues the stream.
 */
export function drawProblem<T extends (readonly number[])[]>(seed: number, ...spectra: T) {
  const random = rng(seed);
  const matrices = spectra.map((d) => symmetricWithInertia(d, random)) as {
    [K in keyof T]: Matrix;
  };
  const n = spectra[0]!.length;
  const c = randomVector(n, random);
  const theta = randomVector(n, random);
  return { a: matrices[0] as Matrix, matrices, c, theta, random };
}

/** `A·v`. */
export function matVec(a: Matrix, v: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
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
 * Plain SGD by hand, the base every multi-step rule oracle runs on: from `θ0`,
 * `steps` steps of `θ ← θ − lr·direction(θ, t)`; returns `θ` after each step.
 */
export function sgdPath(
  theta0: Float64Array,
  lr: number,
  steps: number,
  direction: (theta: Float64Array, t: number) => Float64Array,
): Float64Array[] {
  const out: Float64Array[] = [];
  let theta = theta0;
  for (let t = 0; t < steps; t++) {
    theta = combine([1, theta], [-lr, direction(theta, t)]);
    out.push(theta);
  }
  return out;
}

/** An `arrayObjective` for an analytic function, optionally offering its exact HVP. */
export function objectiveOf(f: Analytic, theta: Float64Array, exactHvp = false) {
  return arrayObjective(
    (t) => ({ loss: f.loss(t), gradient: f.gradient(t) }),
    theta,
    exactHvp ? { hessianVectorProduct: (t, v) => f.hessianVector(t, v) } : {},
  );
}
