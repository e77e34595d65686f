/**
 * `perturb` in `model.fit`: the kernel-only probe (ASAM's choice) on a linear
 * model against the float64 reference, and SAM-ON (the probe on the
 * normalisation layer only) against a reference made with tfjs autodiff on a
 * twin model and the offset formed in float64 (nothing of the optimizer's code).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { close, grad, lin, offset, THETA0, X, Y } from '../test/two-variable-problem.js';
import { sam } from './sam.js';
import type { FloodOptimizer } from './wrapper.js';

const lr = 0.1;

describe('perturb in model.fit', () => {
  it('kernel only: one full-batch step equals θ − η·∇L(θ + ρ·Pg/‖Pg‖) in float64', async () => {
    const rho = 0.3;
    const optimizer = sam(tf.train.sgd(lr), { rho, perturb: (v) => v.name.endsWith('kernel') });
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
    model.setWeights([tf.tensor2d(THETA0.slice(0, 2), [2, 1]), tf.tensor1d([THETA0[2]!])]);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.tensor2d(X);
    const y = tf.tensor2d(Y, [Y.length, 1]);
    await model.fit(x, y, { epochs: 1, batchSize: X.length, shuffle: false, verbose: 0 });
    const [k, b] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const want = lin(
      [1, THETA0],
      [-lr, grad(lin([1, THETA0], [1, offset(grad(THETA0), rho, [1, 1, 0])]))],
    );
    close([...k!, ...b!], want);
    expect(optimizer.getConfig().perturb).toEqual([true, false]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('SAM-ON: only the BatchNorm γ, β are probed; the step equals the autodiff reference', async () => {
    const rho = 0.2;
    const isNorm = (v: tf.Variable) => /batch_normalization/.test(v.name);
    const build = (optimizer: tf.Optimizer) => {
      const m = tfl.sequential({
        layers: [
          tfl.layers.dense({
            units: 3,
            inputShape: [2],
            kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
          }),
          tfl.layers.batchNormalization({
            gammaInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 4 }),
            betaInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 5 }),
          }),
          tfl.layers.dense({
            units: 1,
            kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }),
          }),
        ],
      });
      m.compile({ optimizer, loss: 'meanSquaredError' });
      return m;
    };
    const x = tf.tensor2d([0.1, 0.5, -0.3, 0.8, 0.9, -0.7, 0.2, 0.2, -1, 0.4], [5, 2]);
    const y = tf.tensor2d([0.3, -0.2, 0.5, 0.1, -0.4], [5, 1]);

    // Reference: gradients by tfjs autodiff on a twin, the probe offset in float64.
    const twin = build(tf.train.sgd(lr));
    const vars = twin.trainableWeights.map((w) => w.read() as tf.Variable);
    const chosen = vars.map(isNorm);
    expect(chosen.filter(Boolean)).toHaveLength(2); // γ and β
    const gradients = (): number[][] => {
      const { grads, value } = tf.variableGrads(
        () => tf.losses.meanSquaredError(y, twin.apply(x, { training: true }) as tf.Tensor),
        vars,
      );
      const out = vars.map((v) => Array.from(grads[v.name]!.dataSync()));
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const theta = vars.map((v) => Array.from(v.dataSync()));
    const g = gradients();
    const pNorm = Math.sqrt(
      g.reduce((s, gi, i) => s + (chosen[i] ? gi.reduce((t, x) => t + x * x, 0) : 0), 0),
    );
    vars.forEach((v, i) => {
      if (!chosen[i]) return;
      v.assign(
        tf.tensor(
          theta[i]!.map((t, j) => t + (rho * g[i]![j]!) / (pNorm + 1e-12)),
          v.shape,
        ),
      );
    });
    const gProbe = gradients();
    const want = theta.map((t, i) => t.map((tj, j) => tj - lr * gProbe[i]![j]!));

    const optimizer = sam(tf.train.sgd(lr), { rho, perturb: isNorm }) as FloodOptimizer;
    const model = build(optimizer);
    await model.fit(x, y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    const got = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    got.forEach((gi, i) => {
      close(gi, want[i]!);
    });
    expect(optimizer.getConfig().perturb).toEqual(chosen);
    // The filter matters here: SAM over every variable lands elsewhere.
    const full = build(sam(tf.train.sgd(lr), { rho }));
    await full.fit(x, y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    const other = full.trainableWeights.flatMap((w) => Array.from(w.read().dataSync()));
    const gap = Math.max(...other.map((v, j) => Math.abs(v - want.flat()[j]!)));
    expect(gap).toBeGreaterThan(1e-4);
    for (const m of [twin, model, full]) {
      m.optimizer.dispose();
      m.dispose();
    }
    tf.dispose([x, y]);
  });
});
