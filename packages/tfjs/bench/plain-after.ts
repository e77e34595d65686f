/**
 * "Plain after wrapper": does running wrapper steps slow down the rest of the
 * process? In one fresh Node process per (backend, model), times plain
 * `tf.train.adam` steps, then runs 50 SAM steps in `model.fit` (with an accuracy
 * metric, dropout and BatchNorm in the model), then times the same plain steps
 * again. The ratio after/before is the lasting cost the wrapper leaves behind
 * (1 = none). A modified built-in prototype (`Array.prototype.push`) made V8 drop
 * fast paths for the whole process; this row guards against its return.
 *
 * `pnpm --filter @flood/tfjs bench:plain-after` (after a build) runs every
 * configuration and writes its section of docs/benchmarks.md (between markers,
 * kept by the main bench's re-render). `node out/plain-after.js <backend> <model>
 * <mode>` runs one child; `mode` is `wrapper` (the row), `control` (plain steps
 * only, no wrapper), `fit` (plain Adam in `model.fit` with the metric), `bool`
 * (the ops of the wrappers' non-finite guard around plain steps), or one of the
 * patches the wrapper used to install during
 * every probe pass, emulated alone around each of 50 plain steps: `random`
 * (`Math.random`), `assign` (`assign` on `tf.Variable.prototype`), `keep` (an own
 * `keep` on the engine, then deleted) and `push` (`Array.prototype.push`).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sam } from '@flood/tfjs';
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { cpuClock } from './timing.js';

type Backend = 'cpu' | 'wasm';
type ModelName = 'mlp' | 'conv';
const MODES = ['wrapper', 'fit', 'control', 'bool', 'random', 'assign', 'keep', 'push'] as const;
type Mode = (typeof MODES)[number];

/** Wrapper (or emulated patch) steps between the two timings. */
const WRAPPER_STEPS = 50;
/** Timed plain steps before and after (after 3 untimed warm-up steps). */
const PLAIN = { cpu: 10, wasm: 30 } as const;
/** Untimed warm-up steps before each timing (wasm needs more: its first steps grow memory and warm caches). */
const WARMUP = { cpu: 10, wasm: 200 } as const;

const MODELS: Record<ModelName, { name: string; batch: number; input: number[] }> = {
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

function median(xs: number[]): number {
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
async function child(backend: Backend, name: ModelName, mode: Mode): Promise<void> {
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

interface Row {
  backend: Backend;
  model: ModelName;
  mode: Mode;
  before: number;
  after: number;
  ratio: number;
}

const START = '<!-- plain-after-bench -->';
const END = '<!-- /plain-after-bench -->';

/** Processes per cell (`PLAIN_AFTER_REPEATS`, default 3): the machine's load moves single runs. */
const REPEATS = Number(process.env.PLAIN_AFTER_REPEATS ?? 3);

function render(rows: Row[]): string {
  const lines: string[] = [];
  const ratios = (b: Backend, m: ModelName, mode: Mode) =>
    rows.filter((r) => r.backend === b && r.model === m && r.mode === mode).map((r) => r.ratio);
  const cell = (xs: number[]) =>
    `**${median(xs).toFixed(2)}** (${xs.map((x) => x.toFixed(2)).join(', ')})`;
  for (const b of ['cpu', 'wasm'] as const) {
    for (const m of ['mlp', 'conv'] as const) {
      const w = rows.filter((r) => r.backend === b && r.model === m && r.mode === 'wrapper');
      if (w.length === 0) continue;
      const spec = MODELS[m];
      lines.push(
        `| ${b} | ${spec.name}, batch ${spec.batch} | ${median(w.map((r) => r.before)).toFixed(1)} | ${cell(ratios(b, m, 'wrapper'))} | ${cell(ratios(b, m, 'control'))} |`,
      );
    }
  }
  const analysis = readFileSync(new URL('../bench/plain-after.md', import.meta.url), 'utf8');
  return `${START}
## Plain steps after wrapper steps (same process)

Generated by \`pnpm --filter @flood/tfjs bench:plain-after\` on ${new Date().toISOString().slice(0, 10)}. ${REPEATS} fresh Node processes per cell, alternating wrapper and control (median, then each run, of the ratio): in each, the median CPU time of ${PLAIN.cpu} (cpu) or ${PLAIN.wasm} (wasm) plain \`tf.train.adam\` steps (after ${WARMUP.cpu} or ${WARMUP.wasm} untimed ones), then ${WRAPPER_STEPS} SAM steps in \`model.fit\` (accuracy metric; the model has dropout and BatchNorm), then the same plain steps again. "control" runs ${WRAPPER_STEPS} plain steps in place of the SAM steps, in its own process: steps also speed up or slow down with time alone (warm-up, the shared machine's load), so the wrapper's lasting cost is its ratio against the control's. Wasm runs with \`enableFastWasmTraining()\`.

| backend | model | plain step before, ms (median) | after/before, ${WRAPPER_STEPS} SAM steps between | after/before, control |
|---|---|---:|---:|---:|
${lines.join('\n')}

${analysis.trim()}
${END}`;
}

async function main(): Promise<void> {
  const [backend, name, mode] = process.argv.slice(2) as [Backend?, ModelName?, Mode?];
  if (backend && name && mode) {
    if (!MODES.includes(mode)) throw new RangeError(`mode must be one of ${MODES.join(', ')}`);
    return child(backend, name, mode);
  }
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  for (const b of ['cpu', 'wasm'] as const) {
    for (const m of ['mlp', 'conv'] as const) {
      for (const mode of Array.from(
        { length: REPEATS },
        () => ['control', 'wrapper'] as const,
      ).flat()) {
        const out = execFileSync(
          process.execPath,
          ['--expose-gc', '--single-threaded', self, b, m, mode],
          {
            encoding: 'utf8',
          },
        );
        const row = JSON.parse(out.trim().split('\n').at(-1)!) as Row;
        console.log(JSON.stringify(row));
        rows.push(row);
      }
    }
  }
  const path = new URL('../../../docs/benchmarks.md', import.meta.url);
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const section = render(rows);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

await main();
