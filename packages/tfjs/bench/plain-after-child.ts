/**
 * One child process of the plain-after bench (see plain-after.ts): times plain
 * Adam steps, runs wrapper steps (or one emulated patch) in between, times again.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { sam } from '@flood/tfjs';
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { cpuClock } from './timing.js';

/** A backend the rows run on. */
export type Backend = 'cpu' | 'wasm';
/** A model of `MODELS`. */
export type ModelName = 'mlp' | 'conv';
/** What a child runs between the two timings (see the file comment of plain-after.ts). */
export const MODES = [
  'wrapper',
  'fit',
  'control',
  'bool',
  'random',
  'assign',
  'keep',
  'push',
] as const;
/** One of `MODES`. */
export type Mode = (typeof MODES)[number];

/** Wrapper (or emulated patch) steps between the two timings. */
export const WRAPPER_STEPS = 50;
/** Timed plain steps before and after (after 3 untimed warm-up steps). */
export const PLAIN = { cpu: 10, wasm: 30 } as const;
/** Untimed warm-up steps before each timing (wasm needs more: its first steps grow memory and warm caches). */
export const WARMUP = { cpu: 10, wasm: 200 } as const;

/** The two models: name as reported, batch, input shape. */
export const MODELS: Record<ModelName, { name: string; batch: number; input: number[] }> = {
  mlp: { name: 'dense MLP 784-256-10 (dropout, BatchNorm)', batch: 64, input: [784] },
  conv: {
    name: 'conv 16×16×1: BatchNorm → conv 3×3×16 → pool → dropout → dense 10',
    batch: 32,
    input: [16, 16, 1],
  },
};

function build(name: ModelName): tfl.Sequential {
  const seed = 1;
  const layers =
    name === 'mlp'
      ? [
          tfl.layers.dense({
            inputShape: [784],
            units: 256,
            activation: 'relu',
            kernelInitializer: tfl.initializers.heNormal({ seed }),
          }),
          tfl.layers.batchNormalization(),
          tfl.layers.dropout({ rate: 0.25 }),
        ]
      : [
          tfl.layers.batchNormalization({ inputShape: [16, 16, 1] }),
          tfl.layers.conv2d({
            filters: 16,
            kernelSize: 3,
            activation: 'relu',
            kernelInitializer: tfl.initializers.heNormal({ seed }),
          }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.dropout({ rate: 0.25 }),
          tfl.layers.flatten(),
        ];
  return tfl.sequential({
    layers: [
      ...layers,
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 1 }),
      }),
    ],
  });
}

/** Median of `xs` (mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Emulates one patch the old probe pass installed, around `step`. */
function patched(mode: Mode, step: () => void): void {
  if (mode === 'random') {
    const original = Math.random;
    Math.random = () => original();
    try {
      step();
    } finally {
      Math.random = original;
    }
  } else if (mode === 'assign') {
    const proto = tf.Variable.prototype as { assign(v: tf.Tensor): void };
    const own = Object.getOwnPropertyDescriptor(proto, 'assign')!;
    const original = proto.assign;
    proto.assign = function (this: tf.Variable, v: tf.Tensor) {
      original.call(this, v);
    };
    try {
      step();
    } finally {
      Object.defineProperty(proto, 'assign', own);
    }
  } else if (mode === 'keep') {
    const engine = tf.engine();
    const original = engine.keep;
    engine.keep = <T extends tf.Tensor>(t: T): T => original.call(engine, t) as T;
    try {
      step();
    } finally {
      delete (engine as { keep?: unknown }).keep;
    }
  } else if (mode === 'push') {
    const original = Array.prototype.push;
    Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
      return original.apply(this, items);
    };
    try {
      step();
    } finally {
      Array.prototype.push = original;
    }
  } else {
    step();
  }
}

/** One child: times plain steps, runs the wrapper (or patch) steps, times again. */
export async function child(backend: Backend, name: ModelName, mode: Mode): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();
  if (backend === 'wasm') enableFastWasmTraining();
  const spec = MODELS[name];
  const model = build(name);
  const x = tf.randomUniform([spec.batch, ...spec.input], 0, 1, 'float32', 7);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32', 8) as tf.Tensor1D, 10),
  );
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const plain = tf.train.adam(1e-3);
  const loss = () =>
    tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  const plainStep = () => {
    plain.minimize(loss, false, vars);
  };
  const time = (n: number): number => {
    for (let i = 0; i < WARMUP[backend]; i++) plainStep();
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = cpuClock();
      plainStep();
      times.push(cpuClock() - t0);
    }
    return median(times);
  };
  const before = time(PLAIN[backend]);
  const t0 = cpuClock();
  if (mode === 'wrapper' || mode === 'fit') {
    const opt = mode === 'fit' ? tf.train.adam(1e-3) : sam(tf.train.adam(1e-3), { rho: 0.05 });
    model.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tile(x, [WRAPPER_STEPS, ...spec.input.map(() => 1)]);
    const ys = tf.tile(y, [WRAPPER_STEPS, 1]);
    await model.fit(xs, ys, { batchSize: spec.batch, epochs: 1, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);
    opt.dispose();
  } else if (mode === 'bool') {
    // No patch: what the wrappers' non-finite guard runs besides the plain step
    // (bool and int tensors through the elementwise kernels).
    for (let i = 0; i < WRAPPER_STEPS; i++) {
      plainStep();
      tf.tidy(() => {
        for (const v of vars) {
          const ok = tf.all(tf.isFinite(v));
          tf.cast(tf.logicalNot(ok), 'float32');
          tf.where(tf.broadcastTo(ok, v.shape), v, tf.zerosLike(v));
        }
      });
    }
  } else {
    for (let i = 0; i < WRAPPER_STEPS; i++) patched(mode, plainStep);
  }
  const between = cpuClock() - t0;
  const after = time(PLAIN[backend]);
  process.stdout.write(
    `${JSON.stringify({ backend, model: name, mode, before, after, ratio: after / before, between })}\n`,
  );
}
