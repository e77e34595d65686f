/**
 * The test functions of the study, each an `arrayObjective` with its gradient
 * and its Hessian-vector product in closed form, on seeded random data:
 * an indefinite quadratic (where the seed's equivalences are exact), a quartic
 * and logistic regression (where they hold to second order).
 */
import { arrayObjective, type Objective, seededRandom } from '@flood/core';

/** A standard normal sample (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function gaussians(n: number, random: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => gaussian(random));
}

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function matVec(a: readonly Float64Array[], v: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (row) => dot(row, v));
}

/** A named loss at its starting point, ready to study. */
export interface StudyLoss {
  /** Short name for tables and legends. */
  name: string;
  /** A fresh objective at the starting point (each experiment moves its own copy). */
  objective(): Objective<Float64Array, number>;
}

/** `A = M·diag(d)·Mᵀ` with random M: symmetric with the signs of `d` (Sylvester's law of inertia). */
function symmetric(d: readonly number[], random: () => number): Float64Array[] {
  const n = d.length;
  const m = Array.from({ length: n }, () => gaussians(n, random));
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[i]![k]! * d[k]! * m[j]![k]!;
      return s;
    }),
  );
}

/**
 * `L = ½θᵀAθ − cᵀθ + (κ/4)Σθᵢ⁴` with an indefinite symmetric `A`:
 * `∇L = Aθ − c + κθ³`, `∇²L·v = Av + 3κθ²⊙v`. `κ = 0` is a pure quadratic.
 */
export function polynomialLoss(name: string, kappa: number, seed = 7643): StudyLoss {
  const random = seededRandom(seed);
  const a = symmetric([1, -0.5, 0.8, -1.2, 0.6, 0.3], random);
  const c = gaussians(6, random);
  const theta0 = gaussians(6, random).map((x) => 0.5 * x);
  const gradient = (t: Float64Array) => {
    const g = matVec(a, t);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! - c[i]! + kappa * t[i]! ** 3;
    return g;
  };
  return {
    name,
    objective: () =>
      arrayObjective(
        (t) => ({
          loss:
            0.5 * dot(t, matVec(a, t)) -
            dot(c, t) +
            (kappa / 4) *
              dot(
                t.map((x) => x ** 2),
                t.map((x) => x ** 2),
              ),
          gradient: gradient(t),
        }),
        theta0,
        {
          hessianVectorProduct: (t, v) => {
            const h = matVec(a, v);
            for (let i = 0; i < h.length; i++) h[i] = h[i]! + 3 * kappa * t[i]! ** 2 * v[i]!;
            return h;
          },
        },
      ),
  };
}

/**
 * Logistic regression with a small ridge on fixed seeded data `(xᵢ, yᵢ = ±1)`:
 * `L = (1/m)Σ log(1 + e^{−zᵢ}) + (μ/2)‖w‖²`, `zᵢ = yᵢxᵢᵀw`;
 * `∇L = −(1/m)Σ σ(−zᵢ)yᵢxᵢ + μw`, `∇²L·v = (1/m)Σ σ(zᵢ)σ(−zᵢ)(xᵢᵀv)xᵢ + μv`.
 */
export function logisticLoss(seed = 2020, points = 60, dimension = 5, mu = 0.01): StudyLoss {
  const random = seededRandom(seed);
  const truth = gaussians(dimension, random);
  const xs = Array.from({ length: points }, () => gaussians(dimension, random));
  const ys = xs.map((x) => (dot(x, truth) + 0.5 * gaussian(random) > 0 ? 1 : -1));
  const w0 = gaussians(dimension, random);
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));
  return {
    name: 'logistic',
    objective: () =>
      arrayObjective(
        (w) => {
          let loss = (mu / 2) * dot(w, w);
          const g = w.map((x) => mu * x);
          xs.forEach((x, i) => {
            const z = ys[i]! * dot(x, w);
            loss += Math.log1p(Math.exp(-z)) / points;
            const s = (ys[i]! * sigma(-z)) / points;
            for (let j = 0; j < dimension; j++) g[j] = g[j]! - s * x[j]!;
          });
          return { loss, gradient: g };
        },
        w0,
        {
          hessianVectorProduct: (w, v) => {
            const h = v.map((x) => mu * x);
            xs.forEach((x) => {
              const z = dot(x, w); // σ(z)σ(−z) is even in z, so yᵢ drops out
              const weight = (sigma(z) * sigma(-z) * dot(x, v)) / points;
              for (let j = 0; j < dimension; j++) h[j] = h[j]! + weight * x[j]!;
            });
            return h;
          },
        },
      ),
  };
}
