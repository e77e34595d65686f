import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { saveAndLoad, weightBits } from '../test/round-trip.js';
import { disposeModels, regressionBatch, regressor } from '../test/small-models.js';
import { accumulate } from './accumulate.js';
import { flooding } from './flooding.js';
import { sam } from './sam.js';

// Micro-batches of L(w) = mean((x·w − y)²) and their float64 gradients.
const BATCHES = [
  {
    x: [
      [1, 2],
      [0.5, -1],
    ],
    y: [1, -0.5],
  },
  {
    x: [
      [-1.5, 0.25],
      [0.3, 0.8],
    ],
    y: [2, 0.1],
  },
  {
    x: [
      [0.7, -0.4],
      [1.2, 0.9],
    ],
    y: [-0.3, 0.6],
  },
];
const W0 = [0.3, -0.2];
function grad(b: (typeof BATCHES)[number], w: readonly number[]): number[] {
  const r = b.x.map((x, i) => x[0]! * w[0]! + x[1]! * w[1]! - b.y[i]!);
  return [0, 1].map((j) => (2 / r.length) * b.x.reduce((s, x, i) => s + x[j]! * r[i]!, 0));
}
const nrm = (v: number[]) => Math.hypot(...v);

function problem() {
  const w = tf.variable(tf.tensor1d(W0));
  const data = BATCHES.map((b) => ({ x: tf.tensor2d(b.x), y: tf.tensor1d(b.y) }));
  const loss = (k: number) => () =>
    tf.tidy(() => {
      const pred = tf.squeeze(tf.matMul(data[k]!.x, tf.reshape(w, [2, 1])));
      return tf.mean(tf.square(tf.sub(pred, data[k]!.y))) as tf.Scalar;
    });
  return {
    w,
    loss,
    read: () => Array.from(w.dataSync()),
    dispose: () => tf.dispose([w, ...data.flatMap((d) => [d.x, d.y])]),
  };
}
const close = (got: number[], want: number[]) => {
  got.forEach((v, i) => {
    expect(Math.abs(v - want[i]!)).toBeLessThan(2e-6 * (1 + Math.abs(want[i]!)));
  });
};
const lr = 0.1;

describe('accumulate', () => {
  it('SGD, 3 micro-batches: θ unchanged, then θ − η·mean(g_t); iterations count optimizer steps', () => {
    const p = problem();
    const opt = accumulate(tf.train.sgd(lr), { steps: 3 });
    for (let k = 0; k < 2; k++) {
      opt.minimize(p.loss(k), false, [p.w]);
      expect(p.read()).toEqual(Array.from(Float32Array.from(W0)));
      expect(opt.pending).toBe(k + 1);
      expect(opt.iterations).toBe(0);
    }
    opt.minimize(p.loss(2), false, [p.w]);
    const mean = [0, 1].map((j) => BATCHES.reduce((s, b) => s + grad(b, W0)[j]!, 0) / 3);
    close(
      p.read(),
      W0.map((w, j) => w - lr * mean[j]!),
    );
    expect(opt.iterations).toBe(1);
    expect(opt.pending).toBe(0);
    opt.dispose();
    p.dispose();
  });

  it('accumulate(sam): each micro-batch probes on its own (m-sharpness)', () => {
    const rho = 0.1;
    const p = problem();
    const opt = accumulate(sam(tf.train.sgd(lr), { rho }), { steps: 2 });
    opt.minimize(p.loss(0), false, [p.w]);
    opt.minimize(p.loss(1), false, [p.w]);
    const samGrad = (b: (typeof BATCHES)[number]) => {
      const g = grad(b, W0);
      return grad(
        b,
        W0.map((w, j) => w + (rho * g[j]!) / (nrm(g) + 1e-12)),
      );
    };
    const g0 = samGrad(BATCHES[0]!);
    const g1 = samGrad(BATCHES[1]!);
    close(
      p.read(),
      W0.map((w, j) => w - (lr * (g0[j]! + g1[j]!)) / 2),
    );
    opt.dispose();
    p.dispose();
  });

  it('flooding(accumulate(sam)) floods each micro-batch; bad compositions are refused', () => {
    const p = problem();
    const opt = flooding(accumulate(sam(tf.train.sgd(lr), { rho: 0 }), { steps: 2 }), {
      level: 100,
    });
    opt.minimize(p.loss(0), false, [p.w]);
    opt.minimize(p.loss(1), false, [p.w]);
    const g = [0, 1].map((j) => (grad(BATCHES[0]!, W0)[j]! + grad(BATCHES[1]!, W0)[j]!) / 2);
    close(
      p.read(),
      W0.map((w, j) => w + lr * g[j]!),
    ); // below the level: ascent
    opt.dispose();
    p.dispose();
    expect(() => sam(accumulate(tf.train.sgd(lr), { steps: 2 }), { rho: 0.1 })).toThrow(
      /cannot wrap Accumulate/,
    );
    const inner = accumulate(tf.train.sgd(lr), { steps: 2 });
    expect(() => accumulate(inner, { steps: 2 })).toThrow(/accumulate cannot wrap accumulate/);
    expect(() => accumulate(tf.train.sgd(lr), { steps: 0 })).toThrow(
      /steps must be an integer >= 1/,
    );
    expect(() => accumulate(tf.train.sgd(lr), { steps: 2, rho: 1 } as never)).toThrow(
      /unknown option 'rho'/,
    );
    inner.dispose();
  });

  it('a refused micro-batch is left out of the mean; its sums carry to the next step', async () => {
    const p = problem();
    const opt = accumulate(tf.train.sgd(lr), { steps: 2, onNonFinite: 'skip' });
    opt.minimize(p.loss(0), false, [p.w]);
    const before = tf.memory().numTensors;
    // The second call closes the window but is refused (on the device): nothing moves.
    opt.minimize(() => tf.mul(p.loss(1)(), Number.NaN) as tf.Scalar, false, [p.w]);
    expect((await opt.lastStep!.refused.data())[0]).toBe(1);
    expect(p.read()).toEqual(Array.from(Float32Array.from(W0)));
    opt.minimize(p.loss(1), false, [p.w]);
    expect(p.read()).toEqual(Array.from(Float32Array.from(W0)));
    opt.minimize(p.loss(2), false, [p.w]);
    // The step takes the mean of the three committed micro-batches.
    const g = [0, 1].map((j) => BATCHES.reduce((s, b) => s + grad(b, W0)[j]!, 0) / 3);
    close(
      p.read(),
      W0.map((w, j) => w - lr * g[j]!),
    );
    expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
    expect(opt.iterations).toBe(1);
    for (let i = 0; i < 4; i++) opt.minimize(p.loss(i % 3), false, [p.w]);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    p.dispose();
  });

  it('a refused micro-batch inside a window is left out of the mean and adds no iteration', async () => {
    const p = problem();
    const opt = accumulate(tf.train.sgd(lr), { steps: 3, onNonFinite: 'skip' });
    opt.minimize(p.loss(0), false, [p.w]);
    opt.minimize(() => tf.mul(p.loss(1)(), Number.NaN) as tf.Scalar, false, [p.w]);
    expect(opt.pending).toBe(2);
    opt.minimize(p.loss(1), false, [p.w]);
    const g = [0, 1].map((j) => (grad(BATCHES[0]!, W0)[j]! + grad(BATCHES[1]!, W0)[j]!) / 2);
    close(
      p.read(),
      W0.map((w, j) => w - lr * g[j]!),
    );
    for (let i = 0; i < 6; i++) opt.minimize(p.loss(i % 3), false, [p.w]);
    expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
    // Nine micro-batches, three windows: three optimizer steps.
    expect(opt.iterations).toBe(3);
    opt.dispose();
    p.dispose();
  });

  it('a micro-batch whose loss throws: the call throws, the sums, the count and the weights stay as they were', async () => {
    const p = problem();
    const q = problem();
    const opt = accumulate(sam(tf.train.adam(0.05), { rho: 0.1 }), { steps: 3 });
    const twin = accumulate(sam(tf.train.adam(0.05), { rho: 0.1 }), { steps: 3 });
    const bitsOf = async (o: ReturnType<typeof accumulate>, w: tf.Variable) => {
      const weights = await o.getWeights();
      expect(weights.map((x) => x.name)).toContain('flood/Accumulate/sum/0'); // the sums compared too
      const out = [w, ...weights.map((x) => x.tensor)].map((t) =>
        Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer)),
      );
      tf.dispose(weights.filter((x) => !(x.tensor instanceof tf.Variable)).map((x) => x.tensor));
      return out;
    };
    for (let k = 0; k < 3; k++) opt.minimize(p.loss(k), false, [p.w]); // Adam's slots exist
    opt.minimize(p.loss(0), false, [p.w]); // one micro-batch in the sums
    for (let k = 0; k < 3; k++) twin.minimize(q.loss(k), false, [q.w]);
    twin.minimize(q.loss(0), false, [q.w]);
    const before = await bitsOf(opt, p.w);
    const tensors = tf.memory().numTensors;
    let calls = 0;
    const throwing = () => {
      if (calls++ === 1) throw new Error('boom'); // at SAM's probe
      return p.loss(1)();
    };
    expect(() => opt.minimize(throwing, false, [p.w])).toThrow(/boom/);
    expect(calls).toBe(2);
    expect(opt.pending).toBe(1);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await bitsOf(opt, p.w)).toEqual(before);
    // The window goes on as if the failed call had not been made.
    for (const k of [1, 2]) {
      opt.minimize(p.loss(k), false, [p.w]);
      twin.minimize(q.loss(k), false, [q.w]);
    }
    expect(opt.pending).toBe(0);
    expect(await bitsOf(opt, p.w)).toEqual(await bitsOf(twin, q.w));
    expect(p.read()).not.toEqual(Array.from(Float32Array.from(W0)));
    opt.dispose();
    twin.dispose();
    p.dispose();
    q.dispose();
  });

  it('model.fit: batch 2 with steps 2 equals SGD at batch 4; save/load mid-accumulation continues bit-identically', async () => {
    const model = (optimizer: tf.Optimizer) => regressor(optimizer, { seed: 9 });
    const { x, y } = regressionBatch();
    const big = model(tf.train.sgd(0.2));
    await big.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const small = model(accumulate(tf.train.sgd(0.2), { steps: 2 }));
    await small.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    const a = big.getWeights().map((w) => Array.from(w.dataSync()));
    small.getWeights().forEach((w, i) => {
      close(Array.from(w.dataSync()), a[i]!);
    });

    const straight = model(accumulate(tf.train.adam(0.05), { steps: 3 }));
    await straight.fit(x, y, { epochs: 4, batchSize: 2, shuffle: false, verbose: 0 });
    const first = model(accumulate(tf.train.adam(0.05), { steps: 3 }));
    await first.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 }); // 4 micro-batches: 1 pending
    const resumed = await saveAndLoad(first);
    expect(resumed.optimizer.getClassName()).toBe('Accumulate');
    expect((resumed.optimizer as ReturnType<typeof accumulate>).pending).toBe(1);
    await resumed.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(weightBits(resumed)).toEqual(weightBits(straight));
    disposeModels(big, small, straight, first, resumed);
    tf.dispose([x, y]);
  });
});
