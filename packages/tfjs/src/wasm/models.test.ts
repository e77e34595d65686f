/**
 * Convolutional and embedding models train on wasm with every wrapper, through
 * `model.fit`, to the same weights as on cpu up to float32 rounding, without leaks.
 * Only the public API of the wrappers is used.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { live, onBackend, values } from '../../test/wasm-kernel-check.js';
import { backstitch } from '../backstitch.js';
import { flooding } from '../flooding.js';
import { gradientPenalty } from '../gradient-penalty.js';
import { sam } from '../sam.js';
import { enableFastWasmTraining } from './fast-training.js';

const CLASSES = 3;
const EXAMPLES = 16;
const BATCH = 8;

/** The tfjs-examples MNIST convnet, shrunk: conv → pool → conv → pool → flatten → dropout → dense. */
function convnet(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [12, 12, 1], kernelSize: 3, filters: 4, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.conv2d({ kernelSize: 3, filters: 6, activation: 'relu', padding: 'same' }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.25, seed: 7 }),
      tfl.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
}

/** Embedding → flatten → dense softmax. */
function embeddingFlatten(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.embedding({ inputDim: 12, outputDim: 4, inputLength: 6 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
}

/** Embedding → global average pooling → dense softmax. */
function embeddingPooled(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.embedding({ inputDim: 12, outputDim: 5, inputLength: 6 }),
      tfl.layers.globalAveragePooling1d(),
      tfl.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
}

interface ModelCase {
  name: string;
  build: () => tfl.Sequential;
  /** Inputs as data, shape and dtype (ids for embeddings, some repeated within a batch). */
  inputs: () => tf.Tensor;
}

const models: ModelCase[] = [
  {
    name: 'convnet',
    build: convnet,
    inputs: () => tf.tensor4d(values(EXAMPLES * 144, 11), [EXAMPLES, 12, 12, 1]),
  },
  {
    name: 'embedding → flatten → dense',
    build: embeddingFlatten,
    inputs: () =>
      tf.tensor2d(
        Int32Array.from(values(EXAMPLES * 6, 12), (v) => Math.floor((v + 1) * 6)),
        [EXAMPLES, 6],
        'int32',
      ),
  },
  {
    name: 'embedding → globalAveragePooling1d → dense',
    build: embeddingPooled,
    inputs: () =>
      tf.tensor2d(
        Int32Array.from(values(EXAMPLES * 6, 13), (v) => Math.floor((v + 1) * 6)),
        [EXAMPLES, 6],
        'int32',
      ),
  },
];

/** Every wrapper, and plain SGD. A flood level of 5 lies above every loss here: each step ascends. */
const wrappers: { name: string; make: () => tf.Optimizer }[] = [
  { name: 'plain sgd', make: () => tf.train.sgd(0.1) },
  { name: 'flooding', make: () => flooding(tf.train.sgd(0.1), { level: 5 }) },
  { name: 'sam', make: () => sam(tf.train.sgd(0.1), { rho: 0.05 }) },
  { name: 'sam adaptive', make: () => sam(tf.train.sgd(0.1), { rho: 0.5, adaptive: true }) },
  { name: 'backstitch', make: () => backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 }) },
  { name: 'gradientPenalty', make: () => gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.1 }) },
  {
    name: 'flooding(sam)',
    make: () => flooding(sam(tf.train.sgd(0.1), { rho: 0.05 }), { level: 5 }),
  },
];

/**
 * Builds the model with seeded weights on `backend`, fits it for two epochs of two
 * batches (one `fit` each, no shuffling), checks that the second epoch leaves no tensor
 * or buffer behind, and returns the initial and final weights.
 */
async function train(backend: string, model: ModelCase, wrapper: (typeof wrappers)[number]) {
  return onBackend(backend, async () => {
    const before = live();
    const net = model.build();
    const seeded = net
      .getWeights()
      .map((w, i) => tf.tidy(() => tf.mul(tf.tensor(values(w.size, 100 + i), w.shape), 0.5)));
    net.setWeights(seeded);
    tf.dispose(seeded);
    const initial = net.getWeights().map((w) => w.dataSync().slice());
    const optimizer = wrapper.make();
    net.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const x = model.inputs();
    const y = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          Int32Array.from({ length: EXAMPLES }, (_, i) => (i * 7) % CLASSES),
          'int32',
        ),
        CLASSES,
      ),
    );
    const options = { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 as const };
    await net.fit(x, y, options);
    const afterOne = live();
    await net.fit(x, y, options);
    expect(live()).toEqual(afterOne);
    const weights = net.getWeights().map((w) => w.dataSync().slice());
    net.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
    expect(live()).toEqual(before);
    return { initial, weights };
  });
}

describe.runIf(process.env.FLOOD_BACKEND === 'wasm')(
  'convolutional and embedding models on wasm',
  () => {
    let undo: () => void = () => undefined;
    beforeAll(() => {
      undo = enableFastWasmTraining();
    });
    afterAll(() => undo());

    for (const model of models) {
      for (const wrapper of wrappers) {
        it(`${model.name}, ${wrapper.name}: model.fit on wasm gives cpu's weights up to float32 rounding, no leaks`, async () => {
          const cpu = await train('cpu', model, wrapper);
          const wasm = await train('wasm', model, wrapper);
          expect(wasm.weights).toHaveLength(cpu.weights.length);
          for (const [i, reference] of cpu.weights.entries()) {
            const scale = Math.max(...Array.from(reference, Math.abs));
            const got = wasm.weights[i] ?? new Float32Array();
            let worst = 0;
            for (const [j, v] of reference.entries())
              worst = Math.max(worst, Math.abs((got[j] ?? Number.NaN) - v));
            expect(worst).toBeLessThan(1e-5 * scale);
            // Every weight tensor moved: the comparison is between trained states.
            const moved = reference.some(
              (v, j) => Math.abs(v - (cpu.initial[i]?.[j] ?? Number.NaN)) > 1e-4 * scale,
            );
            expect(moved).toBe(true);
          }
        });
      }
    }
  },
);
