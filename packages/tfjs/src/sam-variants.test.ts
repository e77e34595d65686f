import { cosine } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { tensorBits as bits, saveAndLoad, weightBits } from '../test/round-trip.js';
import { disposeModels, regressionBatch, regressor } from '../test/small-models.js';
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
import { flooding } from './flooding.js';
import { friendlySam } from './friendly-sam.js';
import { gsam } from './gsam.js';
import { lookSam } from './look-sam.js';
import { sam } from './sam.js';
import { scheduled } from './scheduled.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

const lr = 0.1;

describe('against hand-computed float64 updates (SGD)', () => {
  it('gsam: one step with g_p − α·g⊥', () => {
    const rho = 0.2;
    const alpha = 0.4;
    const g = grad(THETA0);
    const gp = grad(lin([1, THETA0], [1, offset(g, rho)]));
    const c = dot(g, gp) / dot(gp, gp);
    const want = lin([1, THETA0], [-lr * (1 + alpha * c), gp], [lr * alpha, g]);
    const p = problem();
    const opt = gsam(tf.train.sgd(lr), { rho, alpha });
    opt.minimize(p.loss, false, p.vars);
    close(p.read(), want);
    expect(opt.lastStep!.gradientEvaluations).toBe(2);
    expect(opt.lastStep!.hyperparameters).toEqual({ rho, alpha });
    opt.dispose();
    p.dispose();
  });

  it('gsam with perturb: only w is probed, normalised over w', () => {
    const rho = 0.3;
    const alpha = 0.2;
    const g = grad(THETA0);
    const gp = grad(lin([1, THETA0], [1, offset(g, rho, [1, 1, 0])]));
    const c = dot(g, gp) / dot(gp, gp);
    const want = lin([1, THETA0], [-lr * (1 + alpha * c), gp], [lr * alpha, g]);
    const p = problem();
    const opt = gsam(tf.train.sgd(lr), { rho, alpha, perturb: (v) => v.name === p.w.name });
    opt.minimize(p.loss, false, p.vars);
    close(p.read(), want);
    expect(opt.getConfig().perturb).toEqual([true, false]);
    opt.dispose();
    p.dispose();
  });

  it('lookSam, every 2: SAM, reuse, SAM, reuse over four steps', () => {
    const rho = 0.2;
    const alpha = 0.7;
    let theta = [...THETA0];
    let gv: number[] = [];
    const wants: number[][] = [];
    for (let t = 0; t < 4; t++) {
      const g = grad(theta);
      let update: number[];
      if (t % 2 === 0) {
        const gs = grad(lin([1, theta], [1, offset(g, rho)]));
        gv = lin([1, gs], [-dot(g, gs) / dot(g, g), g]);
        update = gs;
      } else {
        update = lin([1, g], [(alpha * nrm(g)) / nrm(gv), gv]);
      }
      theta = lin([1, theta], [-lr, update]);
      wants.push(theta);
    }
    const p = problem();
    const opt = lookSam(tf.train.sgd(lr), { rho, every: 2 });
    for (let t = 0; t < 4; t++) {
      opt.minimize(p.loss, false, p.vars);
      close(p.read(), wants[t]!);
      expect(opt.lastStep!.gradientEvaluations).toBe(t % 2 === 0 ? 2 : 1);
    }
    opt.dispose();
    p.dispose();
  });

  it('friendlySam: three steps with m and d = g − σm (the authors’ order)', () => {
    const rho = 0.2;
    const sigma = 1;
    const lambda = 0.6;
    let theta = [...THETA0];
    let m: number[] | undefined;
    const wants: number[][] = [];
    for (let t = 0; t < 3; t++) {
      const g = grad(theta);
      const d = m ? lin([1, g], [-sigma, m]) : g;
      m = m ? lin([lambda, m], [1 - lambda, g]) : [...g];
      theta = lin([1, theta], [-lr, grad(lin([1, theta], [1, offset(d, rho)]))]);
      wants.push(theta);
    }
    const p = problem();
    const opt = friendlySam(tf.train.sgd(lr), { rho, sigma, momentum: lambda });
    for (let t = 0; t < 3; t++) {
      opt.minimize(p.loss, false, p.vars);
      close(p.read(), wants[t]!);
    }
    opt.dispose();
    p.dispose();
  });

  it('friendlySam: a refused first step leaves m unset: the next steps are a fresh optimizer’s', async () => {
    const steps = async (refuseFirst: boolean) => {
      const p = problem();
      const opt = friendlySam(tf.train.sgd(lr), { rho: 0.2, momentum: 0.6, onNonFinite: 'skip' });
      if (refuseFirst) {
        opt.minimize(() => tf.mul(p.loss(), Number.NaN) as tf.Scalar, false, p.vars);
        close(p.read(), THETA0);
      }
      const out: number[][] = [];
      for (let t = 0; t < 3; t++) {
        opt.minimize(p.loss, false, p.vars);
        out.push(p.read());
      }
      expect(await opt.checkNonFinite()).toEqual({
        refused: refuseFirst ? 1 : 0,
        total: refuseFirst ? 1 : 0,
      });
      opt.dispose();
      p.dispose();
      return out;
    };
    const fresh = await steps(false);
    const afterRefusal = await steps(true);
    // The same steps (m₁ = 0·0 + 1·g instead of a copy of g: equal up to the sign of zeros).
    for (let t = 0; t < 3; t++) close(afterRefusal[t]!, fresh[t]!);
  });

  it('friendlySam: started is saved; a copy loaded after a refused first step starts m afresh', async () => {
    const make = () =>
      friendlySam(tf.train.sgd(lr), { rho: 0.2, momentum: 0.6, onNonFinite: 'skip' });
    const p = problem();
    const refused = make();
    refused.minimize(() => tf.mul(p.loss(), Number.NaN) as tf.Scalar, false, p.vars);
    const saved = await refused.getWeights();
    const started = saved.find((w) => w.name.endsWith('/started'));
    expect(started && Array.from(await started.tensor.data())).toEqual([0]);
    const loaded = make();
    await loaded.setWeights(saved);
    const fresh = make();
    const q = problem();
    for (let t = 0; t < 2; t++) {
      loaded.minimize(p.loss, false, p.vars);
      fresh.minimize(q.loss, false, q.vars);
      close(p.read(), q.read());
    }
    for (const o of [refused, loaded, fresh]) o.dispose();
    p.dispose();
    q.dispose();
  });

  it('flooding(lookSam) and gsam(scheduled) compose', () => {
    const p = problem();
    const opt = flooding(lookSam(tf.train.sgd(lr), { rho: 0.1, every: 3 }), { level: 100 });
    const g = grad(THETA0);
    const gs = grad(lin([1, THETA0], [1, offset(g, 0.1)]));
    opt.minimize(p.loss, false, p.vars);
    close(p.read(), lin([1, THETA0], [lr, gs])); // below the level: ascent along SAM's gradient
    opt.dispose();
    p.dispose();
    const q = problem();
    const lrs = cosine({ from: 0.1, to: 0.01, steps: 4 });
    const rhos = cosine({ from: 0.2, to: 0.02, steps: 4 }); // ρ tied to the learning rate
    const s = gsam(scheduled(tf.train.sgd(1), { learningRate: lrs }), { rho: rhos, alpha: 0.3 });
    for (let t = 0; t < 4; t++) {
      s.minimize(q.loss, false, q.vars);
      const rho = s.lastStep!.hyperparameters.rho!;
      const eta = lrs(t);
      expect((rho - 0.02) / (0.2 - 0.02)).toBeCloseTo((eta - 0.01) / (0.1 - 0.01), 12);
    }
    s.dispose();
    q.dispose();
  });
});

type Make = (o?: WrapperOptions) => FloodOptimizer;
const makers: [string, Make][] = [
  ['gsam', (o) => gsam(tf.train.adam(0.01), { rho: 0.05, alpha: 0.3, ...o })],
  ['lookSam', (o) => lookSam(tf.train.adam(0.01), { rho: 0.05, every: 2, ...o })],
  ['friendlySam', (o) => friendlySam(tf.train.adam(0.01), { rho: 0.05, momentum: 0.6, ...o })],
];

/** The optimizer's weights (base slots, rule state), without the skip counter. */
async function state(opt: tf.Optimizer, withSkips = true): Promise<number[][]> {
  const weights = await opt.getWeights();
  const out = weights
    .filter((w) => withSkips || !w.name.endsWith('/skipped'))
    .map((w) => Array.from(w.tensor.dataSync()));
  tf.dispose(weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  return out;
}

describe.each(makers)('%s: leaks, atomicity, model.fit and save/load', (_name, make) => {
  it('no tensor per step after the first', () => {
    const p = problem();
    const opt = make();
    opt.minimize(p.loss, false, p.vars);
    opt.minimize(p.loss, false, p.vars);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      const cost = opt.minimize(p.loss, true, p.vars)!;
      cost.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    p.dispose();
  });

  it('a NaN at the probe leaves weights, Adam and rule state bit-identical', async () => {
    const p = problem();
    const opt = make({ onNonFinite: 'skip' });
    // Odd iteration counts: lookSam's reuse steps have no probe; two steps put it on a SAM step.
    opt.minimize(p.loss, false, p.vars);
    opt.minimize(p.loss, false, p.vars);
    const before = [bits(p.w), bits(p.b), ...(await state(opt, false))];
    let calls = 0;
    const faulty = () => {
      const l = p.loss();
      return calls++ % 2 === 1 ? (tf.mul(l, Number.NaN) as tf.Scalar) : l;
    };
    opt.minimize(faulty, false, p.vars);
    expect((await opt.lastStep!.refused.data())[0]).toBe(1);
    const after = [bits(p.w), bits(p.b), ...(await state(opt, false))];
    expect(after).toEqual(before);
    expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
    const names = (await opt.getWeights()).map((w) => w.name);
    if (_name !== 'gsam') expect(names.some((n) => /\/(gv|m)\/\d+$/.test(n))).toBe(true); // rule state compared too
    opt.dispose();
    p.dispose();
  });

  it('a loss that throws at the probe: the step throws, weights, Adam and rule state bit-identical', async () => {
    const p = problem();
    const opt = make();
    opt.minimize(p.loss, false, p.vars);
    opt.minimize(p.loss, false, p.vars); // lookSam: the next step is a SAM step (it has a probe)
    const before = [bits(p.w), bits(p.b), ...(await state(opt))];
    const tensors = tf.memory().numTensors;
    let calls = 0;
    const throwing = () => {
      if (calls++ % 2 === 1) throw new Error('boom');
      return p.loss();
    };
    expect(() => opt.minimize(throwing, false, p.vars)).toThrow(/boom/);
    expect(calls).toBe(2); // it did reach the probe
    expect(opt.iterations).toBe(2);
    expect(tf.memory().numTensors).toBe(tensors);
    expect([bits(p.w), bits(p.b), ...(await state(opt))]).toEqual(before);
    // The next step is the one the failed step would have been.
    const q = problem();
    const twin = make();
    for (let t = 0; t < 3; t++) twin.minimize(q.loss, false, q.vars);
    opt.minimize(p.loss, false, p.vars);
    expect([bits(p.w), bits(p.b)]).toEqual([bits(q.w), bits(q.b)]);
    expect(await state(opt)).toEqual(await state(twin));
    twin.dispose();
    q.dispose();
    opt.dispose();
    p.dispose();
  });

  it('trains in model.fit and continues bit-identically after save/load (includeOptimizer)', async () => {
    const model = () => regressor(make(), { units: 4, seed: 5 });
    const { x, y } = regressionBatch();
    const fit = (m: tfl.LayersModel, epochs: number) =>
      m.fit(x, y, { epochs, batchSize: 2, shuffle: false, verbose: 0 });
    const straight = model();
    const h = await fit(straight, 4);
    expect(h.history.loss!.every((l) => Number.isFinite(l as number))).toBe(true);
    const first = model();
    await fit(first, 2); // 4 steps: lookSam's next step is a SAM step, 3 reuses its g_v
    const resumed = await saveAndLoad(first);
    expect(resumed.optimizer.getClassName()).toBe(first.optimizer.getClassName());
    expect(await state(resumed.optimizer)).toEqual(await state(first.optimizer));
    await fit(resumed, 2);
    expect(weightBits(resumed)).toEqual(weightBits(straight));
    expect(await state(resumed.optimizer)).toEqual(await state(straight.optimizer));
    disposeModels(straight, first, resumed);
    tf.dispose([x, y]);
  });
});

describe('lookSam: a step in between with a non-finite gradient is refused', () => {
  it('weights, Adam and u stay bit-identical', async () => {
    const p = problem();
    const opt = lookSam(tf.train.adam(0.01), { rho: 0.05, every: 5, onNonFinite: 'skip' });
    opt.minimize(p.loss, false, p.vars); // SAM step: u stored
    const before = [bits(p.w), bits(p.b), ...(await state(opt, false))];
    // A NaN gradient with a finite loss: √|b − b₀| at b = b₀ (only the gradient's norm can tell).
    const b0 = p.b.clone();
    const bad = () => tf.add(p.loss(), tf.sqrt(tf.abs(tf.sub(p.b, b0)))) as tf.Scalar;
    opt.minimize(bad, false, p.vars);
    expect(opt.lastStep!.gradientEvaluations).toBe(1);
    expect((await opt.lastStep!.refused.data())[0]).toBe(1);
    expect([bits(p.w), bits(p.b), ...(await state(opt, false))]).toEqual(before);
    expect(Number.isFinite(opt.lastStep!.loss.dataSync()[0]!)).toBe(true);
    b0.dispose();
    opt.dispose();
    p.dispose();
  });
});

describe('options', () => {
  it('reject bad values, name them, and refuse to nest estimators', () => {
    const sgd = () => tf.train.sgd(0.1);
    expect(() => gsam(sgd(), { rho: 0.1, alpha: 2 })).toThrow(
      /alpha must be a finite number in \[0, 1\]/,
    );
    expect(() => lookSam(sgd(), { rho: 0.1, every: 0 })).toThrow(/every must be an integer >= 1/);
    expect(() => friendlySam(sgd(), { rho: 0.1, momentum: 1 })).toThrow(
      /momentum must be a finite number in \[0, 1\)/,
    );
    expect(() => gsam(sgd(), { rho: 0.1, alpha: 0.1, perturb: 3 as never })).toThrow(
      /perturb must be a function/,
    );
    expect(() => lookSam(sam(sgd(), { rho: 0.1 }), { rho: 0.1, every: 2 })).toThrow(
      /cannot wrap SAM/,
    );
    expect(() => friendlySam(sgd(), { rho: 0.1, beta: 1 } as never)).toThrow(
      /unknown option 'beta'/,
    );
    const p = problem();
    const none = gsam(sgd(), { rho: 0.1, alpha: 0.1, perturb: () => false });
    expect(() => none.minimize(p.loss, false, p.vars)).toThrow(
      /perturb must choose at least one variable/,
    );
    // A function not yet applied cannot be saved: the config leaves it out.
    const unsaved = gsam(sgd(), { rho: 0.1, alpha: 0.1, perturb: () => true });
    expect(unsaved.getConfig()).not.toHaveProperty('perturb');
    none.dispose();
    unsaved.dispose();
    p.dispose();
  });
});
