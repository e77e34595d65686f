/**
 * `perturb` (which variables the probe moves) on every probing method: one SGD
 * step against a float64 hand reference with the probe restricted to the
 * kernel `w` (the bias `b` is not moved by the probe), plus its config round
 * trip and where it is refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  close,
  dot,
  grad,
  lin,
  nrm,
  offset,
  problem,
  THETA0,
} from '../test/two-variable-problem.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { friendlySam } from './friendly-sam.js';
import { gradientPenalty } from './gradient-penalty.js';
import { lookSam } from './look-sam.js';
import { sam } from './sam.js';
import { type FloodOptimizer, isFloodOptimizer } from './wrapper.js';

const lr = 0.1;
/** 1 where the probe moves: the kernel's two entries, not the bias. */
const KERNEL = [1, 1, 0];
const masked = (v: number[]) => v.map((x, i) => x * KERNEL[i]!);

/** Two SGD steps of `make()` on the problem, with the probe on `w` only; the new θ. */
function oneStep(make: (perturb: (v: tf.Variable) => boolean) => FloodOptimizer): number[] {
  const p = problem();
  const opt = make((v) => v.name === p.w.name);
  opt.minimize(p.loss, false, p.vars);
  const tensors = tf.memory().numTensors;
  opt.minimize(p.loss, false, p.vars); // the mask is made once: no tensor more per step
  expect(tf.memory().numTensors).toBe(tensors);
  opt.dispose();
  const theta = p.read();
  p.dispose();
  return theta;
}

/** θ after two SGD steps with the gradient `rule(θ)` in float64. */
const twoSteps = (rule: (t: number[]) => number[], move = (t: number[]) => t) => {
  let t = THETA0;
  for (let i = 0; i < 2; i++) {
    const moved = move(t);
    t = lin([1, moved], [-lr, rule(t)]);
  }
  return t;
};

describe('perturb moves only the chosen variables in the probe (SGD, float64 reference)', () => {
  it('sam: δ = ρ·Pg/‖Pg‖', () => {
    const rho = 0.3;
    const want = twoSteps((t) => grad(lin([1, t], [1, offset(grad(t), rho, KERNEL)])));
    close(
      oneStep((perturb) => sam(tf.train.sgd(lr), { rho, perturb })),
      want,
    );
  });

  it('asam on kernels only (η = 0.01): δ = ρ·T²Pg/‖T·Pg‖, T = |θ| + η', () => {
    const rho = 0.5;
    const eta = 0.01;
    const asamGrad = (t: number[]) => {
      const T = t.map((x) => Math.abs(x) + eta);
      const tpg = masked(grad(t)).map((x, i) => x * T[i]!);
      const delta = tpg.map((x, i) => (rho * x * T[i]!) / (nrm(tpg) + 1e-12));
      return grad(lin([1, t], [1, delta]));
    };
    const want = twoSteps(asamGrad);
    close(
      oneStep((perturb) => sam(tf.train.sgd(lr), { rho, adaptive: true, perturb })),
      want,
    );
  });

  it('backstitch: the kept ascent is ε2·Pg, then SGD from there', () => {
    const ascentRate = 0.04;
    const move = (t: number[]) => lin([1, t], [ascentRate, masked(grad(t))]);
    const want = twoSteps((t) => grad(move(t)), move);
    close(
      oneStep((perturb) => backstitch(tf.train.sgd(lr), { ascentRate, perturb })),
      want,
    );
  });

  it('gradientPenalty (power 2): λ‖P∇L‖², probed along Pg', () => {
    const [coefficient, radius] = [0.05, 0.02];
    const penalised = (t: number[]) => {
      const g0 = grad(t);
      const pg = masked(g0);
      const g1 = grad(lin([1, t], [radius / nrm(pg), pg]));
      const c = (2 * coefficient * nrm(pg)) / radius;
      return lin([1 - c, g0], [c, g1]);
    };
    const want = twoSteps(penalised);
    const make = (perturb: (v: tf.Variable) => boolean) =>
      gradientPenalty(tf.train.sgd(lr), { coefficient, radius, perturb });
    close(oneStep(make), want);
  });

  it('lookSam, every 2: the SAM step probes along Pg/‖Pg‖; g_v and the step in between stay whole', () => {
    const [rho, alpha] = [0.3, 0.7];
    const g0 = grad(THETA0);
    const gs = grad(lin([1, THETA0], [1, offset(g0, rho, KERNEL)]));
    const gv = lin([1, gs], [-dot(g0, gs) / dot(g0, g0), g0]); // over every variable
    const t1 = lin([1, THETA0], [-lr, gs]);
    const g1 = grad(t1);
    const want = lin([1, t1], [-lr, lin([1, g1], [(alpha * nrm(g1)) / nrm(gv), gv])]);
    // oneStep's equal tensor count does not apply: the SAM step's record keeps
    // its probe loss, the step in between has none (one tensor fewer).
    const p = problem();
    const opt = lookSam(tf.train.sgd(lr), {
      rho,
      every: 2,
      alpha,
      perturb: (v) => v.name === p.w.name,
    });
    opt.minimize(p.loss, false, p.vars);
    opt.minimize(p.loss, false, p.vars);
    expect(opt.lastStep!.gradientEvaluations).toBe(1);
    close(p.read(), want);
    opt.dispose();
    p.dispose();
  });

  it('friendlySam: δ = ρ·Pd/‖Pd‖ with d = g, then d = g − σm (m over every variable)', () => {
    const [rho, sigma, momentum] = [0.3, 1, 0.6];
    const g0 = grad(THETA0);
    const t1 = lin([1, THETA0], [-lr, grad(lin([1, THETA0], [1, offset(g0, rho, KERNEL)]))]);
    const d = lin([1, grad(t1)], [-sigma, g0]); // m₁ = g₀
    const want = lin([1, t1], [-lr, grad(lin([1, t1], [1, offset(d, rho, KERNEL)]))]);
    close(
      oneStep((perturb) => friendlySam(tf.train.sgd(lr), { rho, sigma, momentum, perturb })),
      want,
    );
  });

  it('flooding(sam) takes the inner layer’s perturb: −(masked SAM gradient) below the level', () => {
    const rho = 0.3;
    const want = twoSteps((t) =>
      grad(lin([1, t], [1, offset(grad(t), rho, KERNEL)])).map((x) => -x),
    );
    const make = (perturb: (v: tf.Variable) => boolean) =>
      flooding(sam(tf.train.sgd(lr), { rho, perturb }), { level: 100 });
    close(oneStep(make), want);
  });
});

describe('perturb in configs and where it does not apply', () => {
  it('saves the chosen booleans, and a loaded optimizer probes the same variables', () => {
    const p = problem();
    const opt = sam(tf.train.sgd(lr), { rho: 0.3, perturb: (v) => v.name === p.w.name });
    expect(opt.getConfig()).not.toHaveProperty('perturb'); // a function not yet applied
    opt.minimize(p.loss, false, p.vars);
    const config = opt.getConfig();
    expect(config.perturb).toEqual([true, false]);
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.SAM!;
    const copy = fromConfig(cls, config) as FloodOptimizer;
    expect(isFloodOptimizer(copy) && copy.getConfig()).toEqual(config);
    // The copy steps like the original would: same probe, same SGD step.
    const q = problem();
    copy.minimize(q.loss, false, q.vars);
    close(q.read(), p.read());
    opt.dispose();
    copy.dispose();
    p.dispose();
    q.dispose();
  });

  it('is refused on flooding and checked when the step resolves it', () => {
    const sgd = () => tf.train.sgd(0.1);
    expect(() => flooding(sgd(), { level: 0, perturb: () => true } as never)).toThrow(
      /unknown option 'perturb' for Flooding/,
    );
    const p = problem();
    const short = sam(sgd(), { rho: 0.1, perturb: [true] });
    expect(() => short.minimize(p.loss, false, p.vars)).toThrow(/perturb has 1 entries/);
    const notBoolean = sam(sgd(), { rho: 0.1, perturb: () => 1 as never });
    expect(() => notBoolean.minimize(p.loss, false, p.vars)).toThrow(
      /perturb must return a boolean/,
    );
    short.dispose();
    notBoolean.dispose();
    p.dispose();
  });
});
