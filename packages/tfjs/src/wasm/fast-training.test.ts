import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose } from '../../test/matrix-oracle.js';
import { live, values } from '../../test/wasm-kernel-check.js';
import { enableFastWasmTraining, isFastWasmTrainingEnabled } from './fast-training.js';

/** Dense inputs → hidden → outputs with deterministic weights and data, trained 3 SGD steps. */
function trainDense(
  activation: 'relu' | 'linear',
  [batch, inputs, hidden, outputs]: readonly [number, number, number, number],
): Float32Array[] {
  return tf.tidy(() => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [inputs], units: hidden, activation }),
        tfl.layers.dense({ units: outputs, activation: 'linear' }),
      ],
    });
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(values(w.size, 10 + i), w.shape)));
    const x = tf.tensor(values(batch * inputs, 7), [batch, inputs]);
    const y = tf.tensor(values(batch * outputs, 8), [batch, outputs]);
    const opt = tf.train.sgd(0.1);
    for (let step = 0; step < 3; step++) {
      opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
    }
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    opt.dispose();
    model.dispose();
    return weights;
  });
}

describe('enableFastWasmTraining', () => {
  const undos: (() => void)[] = [];
  afterEach(() => {
    for (const undo of undos.splice(0)) undo();
  });
  it('replaces the wasm matMul and Identity kernels and undo restores the very same registrations', () => {
    const batchMatMul = tf.getKernel('BatchMatMul', 'wasm');
    const fused = tf.getKernel('_FusedMatMul', 'wasm');
    const identity = tf.getKernel('Identity', 'wasm');
    const cpu = tf.getKernel('BatchMatMul', 'cpu');
    expect(batchMatMul).toBeDefined();
    const undo = enableFastWasmTraining();
    expect(isFastWasmTrainingEnabled()).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(batchMatMul);
    expect(tf.getKernel('_FusedMatMul', 'wasm')).not.toBe(fused);
    expect(tf.getKernel('Identity', 'wasm')).not.toBe(identity);
    expect(tf.getKernel('BatchMatMul', 'cpu')).toBe(cpu);
    undo();
    expect(isFastWasmTrainingEnabled()).toBe(false);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(batchMatMul);
    expect(tf.getKernel('_FusedMatMul', 'wasm')).toBe(fused);
    expect(tf.getKernel('Identity', 'wasm')).toBe(identity);
  });

  it('is idempotent: a second call installs nothing new and the last undo restores', () => {
    const original = tf.getKernel('BatchMatMul', 'wasm');
    const first = enableFastWasmTraining();
    const replaced = tf.getKernel('BatchMatMul', 'wasm');
    const second = enableFastWasmTraining();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(replaced);
    first();
    first();
    expect(isFastWasmTrainingEnabled()).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(replaced);
    second();
    expect(isFastWasmTrainingEnabled()).toBe(false);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(original);
  });

  for (const sizes of [
    [16, 6, 8, 3],
    [2, 24, 20, 16],
  ] as const) {
    for (const activation of ['relu', 'linear'] as const) {
      it(`tf.layers Dense ${sizes.slice(1).join('→')} (${activation}), batch ${sizes[0]}: trains to the same weights, without leaks`, () => {
        const reference = trainDense(activation, sizes);
        undos.push(enableFastWasmTraining());
        const before = live();
        const fast = trainDense(activation, sizes);
        expect(live()).toEqual(before);
        expect(fast).toHaveLength(reference.length);
        for (const [i, w] of fast.entries()) expectClose(w, reference[i]!, 1e-5);
        // The steps moved the weights: the comparison is not between two initial states.
        const initial = values(reference[0]!.length, 10);
        expect(reference[0]!.some((v, i) => Math.abs(v - initial[i]!) > 1e-4)).toBe(true);
      });
    }
  }
});
