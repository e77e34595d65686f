/**
 * The probe-pass guards modify no built-in and no tfjs prototype or engine
 * method: after many steps of every wrapper, in `model.fit` with metrics and in
 * a custom loop, with dropout and BatchNorm, the built-ins, the engine and the
 * tfjs prototypes have exactly the properties they had before, still in V8's
 * fast mode, and no assignment to them was attempted (they are made read-only
 * while the wrappers run, so an assignment throws in the strict-mode library).
 */
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { accumulate } from './accumulate.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { friendlySam } from './friendly-sam.js';
import { gradientPenalty } from './gradient-penalty.js';
import { gsam } from './gsam.js';
import { lookSam } from './look-sam.js';
import { sam } from './sam.js';
import { scheduled } from './scheduled.js';

const engine = tf.engine();
const watched: [string, object][] = [
  ['Array.prototype', Array.prototype],
  ['Object.prototype', Object.prototype],
  ['Function.prototype', Function.prototype],
  ['Math', Math],
  ['Number.prototype', Number.prototype],
  ['String.prototype', String.prototype],
  ['Map.prototype', Map.prototype],
  ['Set.prototype', Set.prototype],
  ['WeakMap.prototype', WeakMap.prototype],
  ['Promise.prototype', Promise.prototype],
  ['Float32Array.prototype', Object.getPrototypeOf(Float32Array.prototype) as object],
  ['engine', engine],
  ['Engine.prototype', Object.getPrototypeOf(engine) as object],
  ['tf.Tensor.prototype', tf.Tensor.prototype],
  ['tf.Variable.prototype', tf.Variable.prototype],
  ['tf.Optimizer.prototype', tf.Optimizer.prototype],
];

/** Every own property of `o` with its descriptor's values (identity-compared). */
function ownProperties(o: object): Map<PropertyKey, unknown[]> {
  const out = new Map<PropertyKey, unknown[]>();
  for (const key of Reflect.ownKeys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key)!;
    out.set(key, [d.value, d.get, d.set, d.writable, d.enumerable, d.configurable]);
  }
  return out;
}

/** `%HasFastProperties(o)`: false once V8 has put `o` into dictionary mode. */
function fastPropertiesCheck(): (o: object) => boolean {
  setFlagsFromString('--allow-natives-syntax');
  return new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
}

/** Makes the methods of the watched built-ins and tfjs objects read-only while `fn` runs. */
async function readOnly(fn: () => Promise<void>): Promise<void> {
  const made: [object, PropertyKey][] = [];
  for (const [, o] of watched) {
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      if (typeof d.value === 'function' && d.writable && d.configurable) {
        Object.defineProperty(o, key, { writable: false });
        made.push([o, key]);
      }
    }
  }
  try {
    await fn();
  } finally {
    for (const [o, key] of made) Object.defineProperty(o, key, { writable: true });
  }
}

const wrappers: [string, () => tf.Optimizer][] = [
  ['flooding', () => flooding(tf.train.adam(0.01), { level: 0.05 })],
  ['sam', () => sam(tf.train.adam(0.01), { rho: 0.05 })],
  ['flooding(sam)', () => flooding(sam(tf.train.sgd(0.05), { rho: 0.05 }), { level: 0.05 })],
  ['backstitch', () => backstitch(tf.train.sgd(0.05), { ascentRate: 0.01 })],
  ['gradientPenalty', () => gradientPenalty(tf.train.sgd(0.05), { coefficient: 0.1 })],
  ['gsam', () => gsam(tf.train.sgd(0.05), { rho: 0.05, alpha: 0.1 })],
  ['lookSam', () => lookSam(tf.train.sgd(0.05), { rho: 0.05, every: 2 })],
  ['friendlySam', () => friendlySam(tf.train.sgd(0.05), { rho: 0.05 })],
  ['accumulate', () => accumulate(sam(tf.train.sgd(0.05), { rho: 0.05 }), { steps: 2 })],
  [
    'sam(scheduled)',
    () => sam(scheduled(tf.train.sgd(0.05), { learningRate: 0.05 }), { rho: 0.05 }),
  ],
];

function model(): tfl.LayersModel {
  const input = tfl.input({ shape: [6] });
  let h = tfl.layers
    .dense({
      units: 8,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dropout({ rate: 0.25 }).apply(h) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Every wrapper: steps in model.fit with metrics, then in a custom loop. */
async function trainEveryWrapper(): Promise<void> {
  const x = tf.randomUniform([16, 6], -1, 1, 'float32', 3);
  const y = tf.randomUniform([16, 1], -1, 1, 'float32', 4);
  const tensors = tf.memory().numTensors;
  for (const [name, make] of wrappers) {
    const m = model();
    const optimizer = make();
    m.compile({ optimizer, loss: 'meanSquaredError', metrics: ['mse', 'mae'] });
    const h = await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(h.history.mse, name).toHaveLength(2);
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () =>
      tf.tidy(() =>
        tf.losses.meanSquaredError(y, m.apply(x, { training: true }) as tf.Tensor),
      ) as tf.Scalar;
    for (let i = 0; i < 4; i++) optimizer.minimize(loss, false, vars);
    m.dispose();
    optimizer.dispose();
  }
  expect(tf.memory().numTensors).toBe(tensors);
  tf.dispose([x, y]);
}

// In this order: the read-only pass changes property attributes of the
// built-ins itself, which puts some of them into dictionary mode.
describe('no global patches', () => {
  it('after steps of every wrapper (fit with metrics, custom loop; dropout, BatchNorm) every global has the same properties, in fast mode', async () => {
    const fast = fastPropertiesCheck();
    const before = watched.map(([, o]) => ownProperties(o));
    const fastBefore = watched.map(([, o]) => fast(o));
    await trainEveryWrapper();
    await trainEveryWrapper();
    watched.forEach(([name, o], i) => {
      expect(ownProperties(o), name).toEqual(before[i]);
      // V8 makes a prototype fast when first used as one, never slow again
      // unless it is modified: nothing fast may have turned slow.
      if (fastBefore[i]) expect(fast(o), `${name} has fast properties`).toBe(true);
    });
    expect(fastBefore[watched.findIndex(([n]) => n === 'engine')]).toBe(true);
    expect(fastBefore[watched.findIndex(([n]) => n === 'Array.prototype')]).toBe(true);
  });

  it('no wrapper assigns to a method of a built-in or of tfjs (they are read-only meanwhile)', async () => {
    await readOnly(trainEveryWrapper);
  });
});
