import { cosine, piecewiseConstant, warmup } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem, lossAndGradient, W0 } from '../test/linear-problem.js';
import { saveAndLoad, weightBits } from '../test/round-trip.js';
import { disposeModels, regressionBatch, regressor } from '../test/small-models.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { sam } from './sam.js';
import { type Scheduled, scheduled } from './scheduled.js';

const bases: [string, (lr: number) => tf.Optimizer][] = [
  ['sgd', (lr) => tf.train.sgd(lr)],
  ['momentum', (lr) => tf.train.momentum(lr, 0.9)],
  ['adam', (lr) => tf.train.adam(lr)],
  ['adagrad', (lr) => tf.train.adagrad(lr)],
  ['adadelta', (lr) => tf.train.adadelta(lr)],
  ['rmsprop', (lr) => tf.train.rmsprop(lr, 0.9, 0.5, 1e-7, true)],
];

describe.each(bases)('scheduled(%s)', (_name, make) => {
  it('each step uses the schedule’s rate: equal to a fresh optimizer at that rate with the same slots', async () => {
    const rates = [0.05, 0.02, 0.004];
    const schedule = piecewiseConstant({ boundaries: [1, 2], values: rates });
    const opt = scheduled(make(0.9), { learningRate: schedule });
    const w = tf.variable(tf.tensor1d([0.4, -0.7, 1.1]));
    const g = tf.tensor1d([0.3, -0.2, 0.5]);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 3; t++) {
      // The reference: a fresh optimizer built with rate η_t, given this one's state.
      const ref = make(rates[t]!);
      const state = await opt.getWeights();
      const wRef = tf.variable(w.clone(), true, `${w.name}-ref-${t}`);
      if (t > 0) {
        await ref.setWeights(
          state.map((s) => ({ name: s.name.replace(w.name, wRef.name), tensor: s.tensor })),
        );
      }
      ref.applyGradients([{ name: wRef.name, tensor: g }]);
      expect(opt.learningRate).toBe(rates[t]);
      opt.applyGradients([{ name: w.name, tensor: g }]);
      // Adam recomputes β^t by pow() in setWeights: 1-ulp differences, hence a tolerance.
      const got = Array.from(w.dataSync());
      Array.from(wRef.dataSync()).forEach((x, i) => {
        expect(Math.abs(got[i]! - x)).toBeLessThan(1e-6 * (1 + Math.abs(x)));
      });
      tf.dispose([wRef]);
      tf.dispose(state.filter((s) => !(s.tensor instanceof tf.Variable)).map((s) => s.tensor));
      ref.dispose();
    }
    expect(opt.iterations).toBe(3);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(8); // the base's slots, made once
    const after = tf.memory().numTensors;
    opt.applyGradients([{ name: w.name, tensor: g }]);
    expect(tf.memory().numTensors).toBe(after); // no tensor per step
    tf.dispose([w, g]);
    opt.dispose();
  });
});

describe('scheduled', () => {
  it('adamax (no getWeights in tfjs) over three steps equals its float64 update at η_t', () => {
    const rates = [0.05, 0.02, 0.004];
    const opt = scheduled(tf.train.adamax(0.9, 0.9, 0.999, 1e-8), {
      learningRate: piecewiseConstant({ boundaries: [1, 2], values: rates }),
    });
    const w0 = [0.4, -0.7, 1.1];
    const g = [0.3, -0.2, 0.5];
    const w = tf.variable(tf.tensor1d(w0));
    const gt = tf.tensor1d(g);
    const theta = [...w0];
    const m = [0, 0, 0];
    const u = [0, 0, 0];
    for (let t = 0; t < 3; t++) {
      opt.applyGradients([{ name: w.name, tensor: gt }]);
      for (let i = 0; i < 3; i++) {
        m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
        u[i] = Math.max(0.999 * u[i]!, Math.abs(g[i]!));
        theta[i]! -= (rates[t]! / (1 - 0.9 ** (t + 1))) * (m[i]! / (u[i]! + 1e-8));
      }
      Array.from(w.dataSync()).forEach((x, i) => {
        expect(x).toBeCloseTo(theta[i]!, 6);
      });
    }
    tf.dispose([w, gt]);
    opt.dispose();
  });

  it('SGD over three steps equals θ ← θ − η_t ∇L(θ) in float64', () => {
    const lr = cosine({ from: 0.2, to: 0.02, steps: 2 });
    const p = linearProblem();
    const opt = scheduled(tf.train.sgd(1), { learningRate: lr });
    let w = [...W0];
    for (let t = 0; t < 3; t++) {
      opt.minimize(p.loss, false, [p.w]);
      const g = lossAndGradient(w).gradient;
      w = w.map((x, i) => x - lr(t) * g[i]!);
      p.read().forEach((x, i) => {
        expect(x).toBeCloseTo(w[i]!, 6);
      });
    }
    opt.dispose();
    p.dispose();
  });

  it('composes: flooding(scheduled(…)), sam(scheduled(…)); backstitch’s ratio reads the scheduled rate', () => {
    const lr = piecewiseConstant({ boundaries: [1], values: [0.1, 0.01] });
    const { loss: L0, gradient: g0 } = lossAndGradient(W0);
    const p = linearProblem();
    const opt = flooding(scheduled(tf.train.sgd(1), { learningRate: lr }), { level: L0 + 1 });
    opt.minimize(p.loss, false, [p.w]);
    p.read().forEach((x, i) => {
      expect(x).toBeCloseTo(W0[i]! + 0.1 * g0[i]!, 6);
    }); // ascent at η_0
    opt.dispose();
    p.dispose();

    const q = linearProblem();
    const s = sam(scheduled(tf.train.adam(1), { learningRate: lr }), { rho: 0.05 });
    s.minimize(q.loss, false, [q.w]);
    s.minimize(q.loss, false, [q.w]);
    expect(s.iterations).toBe(2);
    s.dispose();
    q.dispose();

    const r = linearProblem();
    const b = backstitch(scheduled(tf.train.sgd(1), { learningRate: lr }), { ratio: 0.5 });
    b.minimize(r.loss, false, [r.w]);
    expect(b.lastStep!.hyperparameters.ascentRate).toBeCloseTo(0.05, 12);
    b.minimize(r.loss, false, [r.w]);
    expect(b.lastStep!.hyperparameters.ascentRate).toBeCloseTo(0.005, 12);
    b.dispose();
    r.dispose();
  });

  it('under a wrapper, a refused step is taken back out of the schedule’s step at the read', async () => {
    const rates = [0.1, 0.01, 0.001];
    const lr = piecewiseConstant({ boundaries: [1, 2], values: rates });
    const p = linearProblem();
    const opt = flooding(scheduled(tf.train.sgd(1), { learningRate: lr }), {
      level: 0,
      onNonFinite: 'skip',
    });
    let w = [...W0];
    const sgdStep = (eta: number) => {
      const g = lossAndGradient(w).gradient;
      w = w.map((x, i) => x - eta * g[i]!);
    };
    opt.minimize(p.loss, false, [p.w]);
    sgdStep(rates[0]!);
    const bits = () => Array.from(new Uint32Array(p.w.dataSync().slice().buffer));
    const before = bits();
    opt.minimize(() => tf.mul(p.loss(), Number.NaN) as tf.Scalar, false, [p.w]);
    expect(bits()).toEqual(before);
    // No read-back in the step: until the read the refused step counts (documented).
    expect((opt.base as Scheduled).learningRate).toBe(rates[2]);
    expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
    expect(opt.iterations).toBe(1);
    expect((opt.base as Scheduled).learningRate).toBe(rates[1]);
    opt.minimize(p.loss, false, [p.w]);
    sgdStep(rates[1]!);
    p.read().forEach((x, i) => {
      expect(x).toBeCloseTo(w[i]!, 6);
    });
    opt.dispose();
    p.dispose();
  });

  it('model.fit, save with includeOptimizer and load: continues bit-identically', async () => {
    const make = () => {
      const lr = warmup({
        steps: 2,
        from: 0.001,
        to: 0.05,
        // biome-ignore lint/suspicious/noThenProperty: `then` is warmup's option name in the API contract.
        then: cosine({ from: 0.05, to: 0.001, steps: 6 }),
      });
      return regressor(scheduled(tf.train.adam(), { learningRate: lr }), { units: 4, seed: 3 });
    };
    const { x, y } = regressionBatch();
    const straight = make();
    await straight.fit(x, y, { epochs: 6, batchSize: 4, shuffle: false, verbose: 0 });
    const first = make();
    await first.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const resumed = await saveAndLoad(first);
    expect(resumed.optimizer.getClassName()).toBe('Scheduled');
    expect(resumed.optimizer.iterations).toBe(3);
    expect((resumed.optimizer as Scheduled).getConfig()).toEqual(
      (first.optimizer as Scheduled).getConfig(),
    );
    await resumed.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    expect(weightBits(resumed)).toEqual(weightBits(straight));
    disposeModels(straight, first, resumed);
    tf.dispose([x, y]);
  });

  it('rejects a wrapper or non-optimizer base, unknown options and bad rates', () => {
    expect(() => scheduled(sam(tf.train.sgd(0.1), { rho: 0.1 }), { learningRate: 0.1 })).toThrow(
      /base must be a tf.train optimizer/,
    );
    const inner = scheduled(tf.train.sgd(0.1), { learningRate: 0.1 });
    expect(() => scheduled(inner, { learningRate: 0.1 })).toThrow(
      /base must be a tf.train optimizer/,
    );
    expect(() => scheduled({} as tf.Optimizer, { learningRate: 0.1 })).toThrow(/base must be/);
    expect(() => scheduled(tf.train.sgd(0.1), { learningRate: 0 })).toThrow(
      /learningRate must be a finite number > 0/,
    );
    expect(() => scheduled(tf.train.sgd(0.1), { learningRate: 0.1, rho: 1 } as never)).toThrow(
      /unknown option 'rho'/,
    );
    const bad = scheduled(tf.train.sgd(0.1), {
      learningRate: piecewiseConstant({ boundaries: [1], values: [0.1, -1] }),
    });
    const w = tf.variable(tf.scalar(1));
    bad.minimize(() => tf.square(w) as tf.Scalar);
    expect(() => bad.minimize(() => tf.square(w) as tf.Scalar)).toThrow(
      /learningRate must be a finite number > 0/,
    );
    tf.dispose(w);
    bad.dispose();
    inner.dispose();
  });
});
