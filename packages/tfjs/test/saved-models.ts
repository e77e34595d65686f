/**
 * The saved-model fixture: one small tfjs-layers model per wrapper (and
 * composition), trained three steps and saved with `includeOptimizer: true`,
 * then the weights and optimizer state after one more step. Written by the
 * version of `@flood/tfjs` named in the fixture (`FLOOD_WRITE_FIXTURES=1` runs
 * `saved-models.test.ts` in write mode; then `biome format --write` the files)
 * and read back by every later version:
 * a model saved today must load and continue bit-identically.
 *
 * @module
 */
import { adaptiveFloodLevel, linear } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { backstitch, flooding, gradientPenalty, sam } from '../src/index.js';
import { saveWithOptimizer } from './round-trip.js';

/** One fixture case: its name and how its optimizer is made. */
export interface FixtureCase {
  name: string;
  make: () => tf.Optimizer;
}

/** The wrappers and compositions the fixture covers (schedules where they serialize). */
export const FIXTURE_CASES: FixtureCase[] = [
  {
    name: 'flooding(adam), linear level schedule',
    make: () => flooding(tf.train.adam(0.05), { level: linear({ from: 0.3, to: 0.05, steps: 6 }) }),
  },
  {
    name: 'sam(adagrad)',
    make: () => sam(tf.train.adagrad(0.1), { rho: 0.05 }),
  },
  {
    name: 'asam(adam)',
    make: () => sam(tf.train.adam(0.02), { rho: 0.5, adaptive: true, eta: 0.02 }),
  },
  {
    name: 'backstitch(sgd), ratio schedule, interval 2',
    make: () =>
      backstitch(tf.train.sgd(0.1), {
        ratio: linear({ from: 0.1, to: 0.3, steps: 4 }),
        interval: 2,
      }),
  },
  {
    name: 'backstitch(rmsprop), ascentRate',
    make: () => backstitch(tf.train.rmsprop(0.01), { ascentRate: 0.002 }),
  },
  {
    name: 'gradientPenalty(rmsprop), power 1, skip policy',
    make: () =>
      gradientPenalty(tf.train.rmsprop(0.01), {
        coefficient: 0.1,
        power: 1,
        radius: 0.05,
        onNonFinite: 'skip',
      }),
  },
  {
    name: 'gradientPenalty(adam), power 2',
    make: () => gradientPenalty(tf.train.adam(0.01), { coefficient: 0.05 }),
  },
  {
    name: 'flooding(sam(adam)), adaptive level',
    make: () =>
      flooding(sam(tf.train.adam(0.05), { rho: 0.05 }), {
        level: adaptiveFloodLevel({ fraction: 0.5, patience: 1, initial: 0.2 }),
      }),
  },
  {
    name: 'flooding(gradientPenalty(sgd)), level 0.5, recordGradientNorm',
    make: () =>
      flooding(gradientPenalty(tf.train.sgd(0.05), { coefficient: 0.02 }), {
        level: 0.5,
        recordGradientNorm: true,
      }),
  },
];

/** Dense(4, tanh) → BatchNorm → Dense(1), seeded initialisers. */
export function fixtureModel(optimizer: tf.Optimizer): tfl.LayersModel {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 4,
        inputShape: [3],
        activation: 'tanh',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 11 }),
      }),
      tfl.layers.batchNormalization({}),
      tfl.layers.dense({
        units: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 12 }),
      }),
    ],
  });
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}

/** The fixed batch every fixture step trains on. */
export function fixtureBatch(): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  return {
    xs: tf.tensor2d(
      [0.1, 0.5, -0.3, 0.8, 0.9, -0.7, 0.2, 0.2, 0.4, -0.6, 0.3, 0.1, 0.7, -0.2, -0.9],
      [5, 3],
    ),
    ys: tf.tensor2d([0.3, -0.2, 0.5, 0.1, -0.4], [5, 1]),
  };
}

/** Float32 (or int32) values as their raw 32-bit patterns. */
export function bitsOf(data: Float32Array | Int32Array | Uint8Array): number[] {
  if (data instanceof Float32Array) return Array.from(new Uint32Array(data.slice().buffer));
  return Array.from(data);
}

/** Every model weight and every optimizer weight (name and bits). */
export async function stateOf(
  m: tfl.LayersModel,
): Promise<{ weights: number[][]; optimizer: { name: string; bits: number[] }[] }> {
  const weights = m.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array));
  const named = await m.optimizer.getWeights();
  const optimizer = named.map(({ name, tensor }) => ({
    name,
    bits: bitsOf(tensor.dataSync() as Float32Array),
  }));
  tf.dispose(named.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  return { weights, optimizer };
}

/** Model artifacts as JSON (the weight buffer in base64). */
export interface SavedArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: string;
  trainingConfig?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** Saves `m` (with its optimizer) to JSON. */
export async function saveToJson(m: tfl.LayersModel): Promise<SavedArtifacts> {
  const a = await saveWithOptimizer(m);
  const data = a.weightData as ArrayBuffer;
  return {
    modelTopology: a.modelTopology,
    weightSpecs: a.weightSpecs,
    weightData: Buffer.from(data).toString('base64'),
    ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
    ...(a.format ? { format: a.format } : {}),
    ...(a.generatedBy ? { generatedBy: a.generatedBy } : {}),
  };
}

/** Loads a model saved by {@link saveToJson}. */
export async function loadFromJson(json: SavedArtifacts): Promise<tfl.LayersModel> {
  const buffer = Buffer.from(json.weightData, 'base64');
  const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: json.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData,
      ...(json.trainingConfig
        ? { trainingConfig: json.trainingConfig as tf.io.TrainingConfig }
        : {}),
    }),
  );
}
