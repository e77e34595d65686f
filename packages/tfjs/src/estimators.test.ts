import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem, lossAndGradient, norm, W0 } from '../test/linear-problem.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { gradientPenalty } from './gradient-penalty.js';
import { sam } from './sam.js';

const close = (a: number[], b: number[], tol = 2e-6) => {
  a.forEach((x, i) => {
    expect(Math.abs(x - b[i]!)).toBeLessThan(tol * (1 + Math.abs(b[i]!)));
  });
};
const axpy = (a: number, x: number[], y: number[]) => y.map((yi, i) => yi + a * x[i]!);
const lr = 0.1;

describe('one SGD step against hand-computed values', () => {
  const { loss: L0, gradient: g0 } = lossAndGradient(W0);

  it('sam: gradient at θ + ρ g/‖g‖, applied at θ', () => {
    const rho = 0.05;
    const g1 = lossAndGradient(axpy(rho / (norm(g0) + 1e-12), g0, W0)).gradient;
    const p = linearProblem();
    const opt = sam(tf.train.sgd(lr), { rho });
    const cost = opt.minimize(p.loss, true, [p.w])!;
    expect(cost.dataSync()[0]).toBeCloseTo(L0, 5);
    close(p.read(), axpy(-lr, g1, W0));
    expect(opt.lastStep!.gradientEvaluations).toBe(2);
    expect(opt.lastStep!.probeLoss!.dataSync()[0]).toBeCloseTo(
      lossAndGradient(axpy(rho / norm(g0), g0, W0)).loss,
      5,
    );
    tf.dispose(cost);
    opt.dispose();
    p.dispose();
  });

  it('asam: δ = ρ T² g / ‖T g‖ with T = |θ| + η', () => {
    const rho = 0.5;
    const eta = 0.01;
    const t = W0.map((w) => Math.abs(w) + eta);
    const tg = g0.map((g, i) => t[i]! * g);
    const delta = tg.map((x, i) => (rho * t[i]! * x) / (norm(tg) + 1e-12));
    const g1 = lossAndGradient(axpy(1, delta, W0)).gradient;
    const p = linearProblem();
    const opt = sam(tf.train.sgd(lr), { rho, adaptive: true, eta });
    opt.minimize(p.loss, false, [p.w]);
    close(p.read(), axpy(-lr, g1, W0));
    opt.dispose();
    p.dispose();
  });

  it.each([1, 2] as const)('gradientPenalty power %i: g0 + c (g1 − g0)', (power) => {
    const lambda = 0.03;
    const r = 0.01;
    const g1 = lossAndGradient(axpy(r / norm(g0), g0, W0)).gradient;
    const c = power === 1 ? lambda / r : (2 * lambda * norm(g0)) / r;
    const g = g0.map((x, i) => x + c * (g1[i]! - x));
    const p = linearProblem();
    const opt = gradientPenalty(tf.train.sgd(lr), { coefficient: lambda, power, radius: r });
    opt.minimize(p.loss, false, [p.w]);
    close(p.read(), axpy(-lr, g, W0), 1e-5);
    opt.dispose();
    p.dispose();
  });

  it('backstitch: θ′ = θ + ε2 g0, then θ′ − ε1 ∇L(θ′)', () => {
    const eps2 = 0.04;
    const mid = axpy(eps2, g0, W0);
    const g1 = lossAndGradient(mid).gradient;
    for (const options of [{ ascentRate: eps2 }, { ratio: eps2 / lr }]) {
      const p = linearProblem();
      const opt = backstitch(tf.train.sgd(lr), options);
      opt.minimize(p.loss, false, [p.w]);
      close(p.read(), axpy(-lr, g1, mid));
      expect(opt.lastStep!.hyperparameters.ascentRate).toBeCloseTo(eps2, 12);
      opt.dispose();
      p.dispose();
    }
  });

  it('backstitch interval 2: plain step on odd iterations', () => {
    const p = linearProblem();
    const opt = backstitch(tf.train.sgd(lr), { ascentRate: 0.04, interval: 2 });
    opt.minimize(p.loss, false, [p.w]);
    const w1 = p.read();
    opt.minimize(p.loss, false, [p.w]);
    close(p.read(), axpy(-lr, lossAndGradient(w1).gradient, w1));
    expect(opt.lastStep!.gradientEvaluations).toBe(1);
    opt.dispose();
    p.dispose();
  });

  it('flooding(sam): SAM gradient times sign(L(θ) − b)', () => {
    const rho = 0.05;
    const g1 = lossAndGradient(axpy(rho / norm(g0), g0, W0)).gradient;
    const p = linearProblem();
    const opt = flooding(sam(tf.train.sgd(lr), { rho }), { level: L0 + 1 });
    opt.minimize(p.loss, false, [p.w]);
    close(p.read(), axpy(lr, g1, W0));
    expect(opt.lastStep!.ascended!.dataSync()[0]).toBe(1);
    expect(opt.lastStep!.hyperparameters).toEqual({ rho, level: L0 + 1 });
    opt.dispose();
    p.dispose();
  });
});

describe('composition: flooding outside an estimator', () => {
  const { loss: L0, gradient: g0 } = lossAndGradient(W0);

  it('flooding(backstitch) below the level: the ascent is kept, the base step is flipped', () => {
    const eps2 = 0.04;
    const mid = axpy(eps2, g0, W0);
    const g1 = lossAndGradient(mid).gradient;
    const p = linearProblem();
    const opt = flooding(backstitch(tf.train.sgd(lr), { ascentRate: eps2 }), { level: L0 + 1 });
    opt.minimize(p.loss, false, [p.w]);
    close(p.read(), axpy(lr, g1, mid));
    opt.dispose();
    p.dispose();
  });

  it('flooding(gradientPenalty) above the level: the penalised gradient', () => {
    const lambda = 0.03;
    const r = 0.01;
    const g1 = lossAndGradient(axpy(r / norm(g0), g0, W0)).gradient;
    const c = (2 * lambda * norm(g0)) / r;
    const g = g0.map((x, i) => x + c * (g1[i]! - x));
    const p = linearProblem();
    const opt = flooding(gradientPenalty(tf.train.sgd(lr), { coefficient: lambda, radius: r }), {
      level: L0 / 2,
    });
    opt.minimize(p.loss, false, [p.w]);
    close(p.read(), axpy(-lr, g, W0), 1e-5);
    expect(opt.lastStep!.ascended!.dataSync()[0]).toBe(0);
    opt.dispose();
    p.dispose();
  });

  it('without varList: every trainable variable, non-trainable ones untouched', () => {
    const frozen = tf.variable(tf.scalar(2), false);
    const p = linearProblem();
    const opt = flooding(sam(tf.train.sgd(lr), { rho: 0.05 }), { level: 0 });
    opt.minimize(() => tf.mul(p.loss(), frozen) as tf.Scalar);
    const g1 = lossAndGradient(axpy(0.05 / norm(g0), g0, W0)).gradient;
    close(p.read(), axpy(-2 * lr, g1, W0));
    expect(frozen.dataSync()[0]).toBe(2);
    opt.dispose();
    p.dispose();
    frozen.dispose();
  });

  it('flooding(sam(adam)) leaks no tensor over 1,000 custom-loop steps', () => {
    const p = linearProblem();
    const opt = flooding(sam(tf.train.adam(0.01), { rho: 0.05 }), { level: 0.05 });
    opt.minimize(p.loss, false, [p.w]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) tf.dispose(opt.minimize(p.loss, true, [p.w])!);
    expect(tf.memory().numTensors).toBe(before);
    expect(opt.iterations).toBe(1001);
    opt.dispose();
    p.dispose();
  });
});

describe('linear regression: the finite-difference penalty is the closed form', () => {
  it('gradientPenalty power 2 gives g + 2λ A g for L = ½θᵀAθ − bᵀθ', () => {
    // A = XᵀX·(2/n) is the Hessian of the mean squared error.
    const { gradient: g } = lossAndGradient(W0);
    const hg = [0, 1].map((j) => {
      const e = [0, 1].map((k) => (k === j ? 1 : 0));
      const gPlus = lossAndGradient(axpy(1, e, W0)).gradient;
      return gPlus.map((x, i) => x - g[i]!); // column j of A (exact: L is quadratic)
    });
    const Ag = [0, 1].map((i) => hg[0]![i]! * g[0]! + hg[1]![i]! * g[1]!);
    for (const radius of [1e-3, 0.1, 1]) {
      const lambda = 0.02;
      const p = linearProblem();
      const opt = gradientPenalty(tf.train.sgd(1), { coefficient: lambda, radius });
      opt.minimize(p.loss, false, [p.w]);
      const expected = g.map((x, i) => x + 2 * lambda * Ag[i]!);
      const step = p.read().map((w, i) => W0[i]! - w);
      // float32 differences of gradients: tolerance grows like ε_mach/r.
      close(step, expected, radius < 0.01 ? 5e-3 : 2e-5);
      opt.dispose();
      p.dispose();
    }
  });
});

describe('composition and options', () => {
  it('rejects nesting estimators and double flooding with a clear error', () => {
    const inner = () => sam(tf.train.sgd(0.1), { rho: 0.05 });
    expect(() => sam(inner(), { rho: 0.05 })).toThrow(/gradient estimator needs a plain/);
    expect(() => backstitch(inner(), { ascentRate: 0.1 })).toThrow(/cannot wrap SAM/);
    expect(() =>
      gradientPenalty(flooding(tf.train.sgd(0.1), { level: 0 }), { coefficient: 1 }),
    ).toThrow(/flooding goes outside/);
    expect(() => flooding(flooding(tf.train.sgd(0.1), { level: 0 }), { level: 0 })).toThrow(
      /do not compose/,
    );
  });

  it('throws RangeError naming each invalid option', () => {
    const b = tf.train.sgd(0.1);
    const cases: [() => unknown, RegExp][] = [
      [() => sam(b, { rho: -1 }), /rho/],
      [() => sam(b, { rho: 0.1, eta: -1 }), /eta/],
      [() => sam(b, { rho: 0.1, adaptive: 1 as unknown as boolean }), /adaptive/],
      [() => gradientPenalty(b, { coefficient: -1 }), /coefficient/],
      [() => gradientPenalty(b, { coefficient: 1, power: 3 as 2 }), /power/],
      [() => gradientPenalty(b, { coefficient: 1, radius: 0 }), /radius/],
      [() => gradientPenalty(b, { coefficient: 1, method: 'x' as 'exact' }), /method/],
      [() => backstitch(b, {}), /exactly one of ascentRate and ratio/],
      [() => backstitch(b, { ascentRate: 1, ratio: 1 }), /exactly one/],
      [() => backstitch(b, { ascentRate: -1 }), /ascentRate/],
      [() => backstitch(b, { ratio: Number.POSITIVE_INFINITY }), /ratio/],
      [() => backstitch(b, { ascentRate: 1, interval: 0 }), /interval/],
      [() => backstitch(b, { ascentRate: 1, interval: 1.5 }), /interval/],
      [() => sam(b, { rho: 0.1, statefulProbe: 'yes' as unknown as boolean }), /statefulProbe/],
      [() => sam(b, { rho: 0.1, sameRandomness: 0 as unknown as boolean }), /sameRandomness/],
      [() => sam(b, { rho: 0.1, radius: 1 } as never), /unknown option 'radius'/],
      [() => flooding(b, { level: 0.1, levle: 1 } as never), /unknown option 'levle'/],
      [() => backstitch(b, { ascentRate: 0.1, rho: 1 } as never), /unknown option 'rho'/],
      [() => gradientPenalty(b, { coefficient: 1, rho: 1 } as never), /unknown option 'rho'/],
    ];
    for (const [make, pattern] of cases) {
      expect(make).toThrow(RangeError);
      expect(make).toThrow(pattern);
    }
    const noRate = tf.train.adam(0.1);
    (noRate as unknown as { learningRate: unknown }).learningRate = undefined;
    expect(() => backstitch(noRate, { ratio: 0.3 })).toThrow(/learningRate/);
    noRate.dispose();
    b.dispose();
  });
});
