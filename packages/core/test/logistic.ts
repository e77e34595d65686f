/**
 * Logistic regression with closed-form gradient and Hessian-vector product, on
 * fixed seeded data: the non-polynomial test function of the rule and
 * curvature tests (plain float64 loops, independent of the code under test).
 */
import { type Analytic, normal, randomVector, rng } from './fixtures.js';
import { combine, dotOf } from './vectors.js';

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
