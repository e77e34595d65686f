/**
 * The @flood/tfjs benchmark: `pnpm bench` at the root (builds first), or
 * `pnpm --filter @flood/tfjs bench` after a build. Writes `docs/benchmarks.json`
 * and `docs/benchmarks.md` from the same run. `BENCH_QUICK=1` takes a handful of
 * samples only (a smoke test; results are not written then); `BENCH_RENDER=1`
 * only re-renders the Markdown from the JSON (after editing `bench/analysis.md`).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import { CONVNET, createConvnet, trainingKernelTasks } from './convnet.js';
import { curvatureTasks, LONG, SHORT } from './curvature.js';
import { type KernelAccount, kernelAccount, kernelDiff } from './kernels.js';
import { peakExtraBytes } from './memory.js';
import { createMlp } from './mlp.js';
import { type PairedTimes, type PairPlan, timePaired } from './paired.js';
import { renderMarkdown } from './report.js';
import type {
  BenchResults,
  ConvnetResult,
  CurvatureResult,
  SpeedupResult,
  StepResult,
  SuiteResult,
} from './results.js';
import { speedupTasks } from './speedup.js';
import { summarize } from './stats.js';
import { createStep, createSteps, type Method, SETTINGS } from './steps.js';
import { cpuClock, type RoundPlan, timeInterleaved } from './timing.js';

const QUICK = process.env.BENCH_QUICK === '1';
/**
 * `BENCH_ONLY=convnet` runs the convnet rows only (of the backends in `BENCH_BACKENDS`)
 * and merges them into the existing docs/benchmarks.json (the other results, and the
 * convnet rows of other backends, kept), then re-renders docs/benchmarks.md.
 */
const ONLY_CONVNET = process.env.BENCH_ONLY === 'convnet';
/**
 * `BENCH_ONLY=small` runs the small-MLP step suite only (of the backends in
 * `BENCH_BACKENDS`; no curvature, convnet or speed-up rows; nothing written), and
 * `BENCH_METHODS=flooding,SAM,LookSAM k=5` only those methods and the plain
 * steps: a focused before/after timing of a change (a few minutes, not nine).
 */
const ONLY_SMALL = process.env.BENCH_ONLY === 'small';
const ONLY_METHODS = process.env.BENCH_METHODS?.split(',').map((m) => m.trim());
/** `BENCH_BACKENDS=wasm` runs one backend only (for development; nothing is written then). */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',') as Backend[];
const PARTIAL = QUICK || BACKENDS.length !== 2 || ONLY_SMALL || ONLY_METHODS !== undefined;
/** `BENCH_CLOCK=wall` times wall-clock; the default is this process's CPU time (see `cpuClock`). */
const CLOCK = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';
const BATCH = 128;
const MODELS = { small: [784, 256, 10], large: [784, 512, 512, 10] } as const;
type Backend = 'wasm' | 'cpu';
type Size = keyof typeof MODELS;

/** How many pairs of (step, plain step) an optimizer-step suite times per method. */
interface PairBudget {
  /** For one-pass methods (whose targets, 1.03 and 1.05, need the most precision). */
  onePass: number;
  /** For two-pass methods (target 2.1) and those timing several calls per run. */
  twoPass: number;
  /** Untimed pairs first. */
  warmup: number;
}
/**
 * What each backend spends. `curvature`, `speedup`: samples of those tasks; cpu
 * is ~10× slower than wasm, hence fewer. `pairs`: pairs per method of the
 * optimizer-step suites, by model size. Adjacent calls differ by ±20 % on this
 * machine, so the precision of a median ratio grows like √pairs; the counts
 * spend the 5-minute budget where the targets are tightest.
 */
const BUDGETS: Record<
  Backend,
  { curvature: RoundPlan; speedup: RoundPlan; pairs: Record<Size, PairBudget> }
> = {
  wasm: {
    curvature: { rounds: 10, perRound: 2, warmup: 1 },
    speedup: { rounds: 4, perRound: 4, warmup: 2 },
    pairs: {
      small: { onePass: 120, twoPass: 50, warmup: 2 },
      large: { onePass: 30, twoPass: 16, warmup: 1 },
    },
  },
  cpu: {
    curvature: { rounds: 4, perRound: 1, warmup: 0 },
    speedup: { rounds: 1, perRound: 1, warmup: 0 },
    pairs: {
      small: { onePass: 4, twoPass: 3, warmup: 0 },
      large: { onePass: 1, twoPass: 1, warmup: 0 },
    },
  },
};
const TWO_PASS = new Set<Method>([
  'backstitch',
  'gradient penalty',
  'SAM',
  'ASAM',
  'GSAM',
  'Friendly SAM',
  // Several calls per timed run (see Step.calls): as few pairs as the two-pass methods.
  'LookSAM k=5',
  'accumulate ×4',
]);
const quickPlan: RoundPlan = { rounds: 2, perRound: 1, warmup: 1 };
const clock = CLOCK === 'cpu' ? cpuClock : () => performance.now();
const plan = (backend: Backend, what: 'curvature' | 'speedup'): RoundPlan => ({
  ...(QUICK ? quickPlan : BUDGETS[backend][what]),
  now: clock,
});
const pairPlan = (backend: Backend, size: Size, method: Method): PairPlan => {
  const p = BUDGETS[backend].pairs[size];
  return QUICK
    ? { pairs: 3, warmup: 1, now: clock }
    : { pairs: TWO_PASS.has(method) ? p.twoPass : p.onePass, warmup: p.warmup, now: clock };
};

/** The targets: ratio of a step to the plain step of the same base optimizer. */
const TARGETS: Partial<Record<Method, number>> = {
  flooding: 1.03,
  'floodLoss individual': 1.05,
  backstitch: 2.1,
  'gradient penalty': 2.1,
  SAM: 2.1,
  ASAM: 2.1,
  GSAM: 2.1,
  'Friendly SAM': 2.1,
  // The methods issue: LookSAM at every: 5 within 1.3× a plain step (wasm, the small MLP).
  'LookSAM k=5': 1.3,
};

const log = (message: string) => console.error(`[bench ${new Date().toISOString()}] ${message}`);

async function runSuite(backend: Backend, size: Size, fast: boolean): Promise<SuiteResult> {
  const model = createMlp(MODELS[size], BATCH);
  // The two flooding diagnostics (with ‖g‖, hand-written) are timed on wasm only (time budget).
  const steps = createSteps(model).filter(
    (s) =>
      (backend === 'wasm' ||
        (s.method !== 'flooding + ‖g‖' && s.method !== 'hand-written flooding')) &&
      (ONLY_METHODS === undefined || s.method === 'plain' || ONLY_METHODS.includes(s.method)),
  );
  log(`${backend} ${model.name}: ${steps.length} steps, each in pairs with the plain step`);
  // One untimed step each first: creates optimizer slots and compiles the code paths.
  for (const step of steps) step.run();
  const memory = new Map<string, number>();
  const accounts = new Map<string, KernelAccount>();
  for (const step of steps) {
    // Memory and kernel launches do not depend on the machine's speed; the slow
    // cpu backend skips them on the large model to stay within the time budget.
    if (backend === 'cpu' && size === 'large') break;
    const { peak, leaked } = peakExtraBytes(step.run);
    if (leaked !== 0) throw new Error(`${step.name} leaked ${leaked} tensors in one step`);
    memory.set(step.name, peak);
    if (backend === 'wasm' && step.calls === undefined) {
      accounts.set(step.name, await kernelAccount(step.run, model.parameterBytes / 4));
    }
  }
  // Every step against the plain step of its base, alternating call by call.
  const paired = new Map<string, PairedTimes>();
  const plainTimes = new Map<string, number[]>();
  for (const step of steps) {
    if (step.method === 'plain') continue;
    const plain = steps.find((s) => s.base === step.base && s.method === 'plain')!;
    // A step of several calls is timed against as many plain steps, and reported per call.
    const calls = step.calls ?? 1;
    const reference =
      calls === 1
        ? plain.run
        : () => {
            for (let i = 0; i < calls; i++) plain.run();
          };
    const raw = timePaired(step.run, reference, pairPlan(backend, size, step.method));
    const perCall = (t: number[]) => t.map((x) => x / calls);
    const times = { ...raw, task: perCall(raw.task), reference: perCall(raw.reference) };
    paired.set(step.name, times);
    plainTimes.set(plain.name, [...(plainTimes.get(plain.name) ?? []), ...times.reference]);
  }
  const results: StepResult[] = steps.map((step) => {
    const plainName = `${step.base} plain`;
    const own = paired.get(step.name);
    const ratios = own?.ratios ?? { n: 0, median: 1, q1: 1, q3: 1, iqr: 0 };
    const interval: [number, number] = own?.interval ?? [1, 1];
    const target = TARGETS[step.method];
    const peak = memory.get(step.name);
    const plainPeak = memory.get(plainName);
    const account = accounts.get(step.name);
    const plainAccount = accounts.get(plainName);
    return {
      name: step.name,
      base: step.base,
      method: step.method,
      time: summarize(own ? own.task : plainTimes.get(plainName)!),
      ratio: ratios.median,
      ratioQ1: ratios.q1,
      ratioQ3: ratios.q3,
      ratioInterval: interval,
      pairs: ratios.n,
      ...(target === undefined ? {} : { target }),
      ...(peak !== undefined && plainPeak !== undefined
        ? { peakExtraBytes: peak, extraParameterCopies: (peak - plainPeak) / model.parameterBytes }
        : {}),
      ...(account && plainAccount
        ? {
            kernels: account.kernels,
            elementsPerParameter: account.elementsPerParameter,
            kernelsVsPlain: kernelDiff(account, plainAccount),
          }
        : {}),
    };
  });
  for (const step of steps) step.dispose();
  for (const r of results) {
    log(
      `  ${r.name.padEnd(26)} ${r.time.median.toFixed(2).padStart(8)} ms  ×${r.ratio.toFixed(3)}  ` +
        `+${((r.peakExtraBytes ?? Number.NaN) / 2 ** 20).toFixed(2)} MiB`,
    );
  }
  const result: SuiteResult = {
    backend,
    model: model.name,
    parameters: model.parameterBytes / 4,
    parameterBytes: model.parameterBytes,
    batch: BATCH,
    fastWasmTraining: fast,
    steps: results,
  };
  model.dispose();
  return result;
}

async function runCurvature(backend: Backend): Promise<CurvatureResult> {
  const model = createMlp(MODELS.small, BATCH);
  // On cpu (10× slower) only the HVP is timed; the metrics' probes run on wasm.
  const { tasks, dispose } = curvatureTasks(model, backend === 'wasm');
  log(`${backend} ${model.name}: curvature probes`);
  const times = await timeInterleaved(tasks, plan(backend, 'curvature'));
  dispose();
  model.dispose();
  const median = (name: string) => times.get(name)!.summary.median;
  const gradientMs = median('gradient');
  const freshGradientMs = median('gradient at new θ');
  const marginal = (prefix: string) =>
    times.has(`${prefix} ×${LONG}`)
      ? (median(`${prefix} ×${LONG}`) - median(`${prefix} ×${SHORT}`)) /
        (LONG - SHORT) /
        freshGradientMs
      : undefined;
  for (const [name, t] of times)
    log(`  ${name.padEnd(26)} ${t.summary.median.toFixed(2).padStart(8)} ms`);
  return {
    backend,
    model: model.name,
    tasks: Object.fromEntries([...times].map(([name, t]) => [name, t.summary])),
    gradientMs,
    freshGradientMs,
    hvp: median('HVP') / freshGradientMs,
    hvpInFixedUnits: median('HVP') / gradientMs,
    exactHvp: median('exact HVP') / freshGradientMs,
    exactHvpInFixedUnits: median('exact HVP') / gradientMs,
    ...(backend === 'wasm'
      ? {
          lanczosStep: marginal('hessianEigenvalues'),
          hutchinsonProbe: marginal('hessianTrace'),
        }
      : {}),
  };
}

async function runSpeedup(backend: Backend): Promise<SpeedupResult> {
  const model = createMlp(MODELS.small, BATCH);
  const { tasks, dispose } = speedupTasks(model);
  log(`${backend} ${model.name}: enableFastWasmTraining before/after`);
  const times = await timeInterleaved(tasks, plan(backend, 'speedup'));
  dispose();
  model.dispose();
  const median = (name: string) => times.get(name)!.summary.median;
  for (const [name, t] of times)
    log(`  ${name.padEnd(26)} ${t.summary.median.toFixed(2).padStart(8)} ms`);
  return {
    backend,
    model: model.name,
    tasks: Object.fromEntries([...times].map(([name, t]) => [name, t.summary])),
    coreSpeedup: median('core step, stock kernels') / median('core step, fast'),
    layersSpeedup: median('layers step, stock kernels') / median('layers step, fast'),
  };
}

/** Batch of the convnet rows, and the wrappers timed on it (SGD base). */
const CONVNET_BATCH = 32;
const CONVNET_METHODS: readonly Method[] = [
  'plain',
  'flooding',
  'backstitch',
  'gradient penalty',
  'SAM',
  'ASAM',
];
/** Pairs per wrapper on the convnet; a cpu step takes seconds (its conv gradients are plain JS loops). */
const CONVNET_PAIRS: Record<Backend, PairBudget> = {
  wasm: { onePass: 60, twoPass: 30, warmup: 2 },
  cpu: { onePass: 2, twoPass: 1, warmup: 0 },
};
const CONVNET_KERNEL_PLANS: Record<Backend, RoundPlan> = {
  wasm: { rounds: 4, perRound: 5, warmup: 2 },
  cpu: { rounds: 1, perRound: 1, warmup: 0 },
};

async function runConvnet(backend: Backend, fast: boolean): Promise<ConvnetResult> {
  const model = createConvnet(CONVNET_BATCH);
  const steps = CONVNET_METHODS.map((method) => createStep(model, 'sgd', method));
  log(`${backend} ${model.name}, batch ${CONVNET_BATCH}: ${steps.length} steps`);
  for (const step of steps) step.run();
  const [plain, ...wrapped] = steps as [(typeof steps)[number], ...typeof steps];
  const plainTimes: number[] = [];
  const rows: StepResult[] = [];
  for (const step of wrapped) {
    const p = CONVNET_PAIRS[backend];
    const pairs = QUICK ? 2 : TWO_PASS.has(step.method) ? p.twoPass : p.onePass;
    const times = timePaired(step.run, plain.run, {
      pairs,
      warmup: QUICK ? 0 : p.warmup,
      now: clock,
    });
    plainTimes.push(...times.reference);
    const target = TARGETS[step.method];
    rows.push({
      name: step.name,
      base: step.base,
      method: step.method,
      time: summarize(times.task),
      ratio: times.ratios.median,
      ratioQ1: times.ratios.q1,
      ratioQ3: times.ratios.q3,
      ratioInterval: times.interval,
      pairs: times.ratios.n,
      ...(target === undefined ? {} : { target }),
    });
    log(
      `  ${step.name.padEnd(26)} ${rows.at(-1)!.time.median.toFixed(1).padStart(9)} ms  ×${times.ratios.median.toFixed(3)}`,
    );
  }
  rows.unshift({
    name: plain.name,
    base: plain.base,
    method: plain.method,
    time: summarize(plainTimes),
    ratio: 1,
    ratioQ1: 1,
    ratioQ3: 1,
    ratioInterval: [1, 1],
    pairs: 0,
  });
  for (const step of steps) step.dispose();
  const parameters = model.parameterBytes / 4;
  model.dispose();
  const { tasks, dispose } = trainingKernelTasks(CONVNET_BATCH);
  const kernelPlan = QUICK ? quickPlan : CONVNET_KERNEL_PLANS[backend];
  const times = await timeInterleaved(tasks, { ...kernelPlan, now: clock });
  dispose();
  for (const [name, t] of times)
    log(`  ${name.padEnd(60)} ${t.summary.median.toFixed(2).padStart(9)} ms`);
  return {
    backend,
    model: CONVNET.name,
    parameters,
    batch: CONVNET_BATCH,
    fastWasmTraining: fast,
    steps: rows,
    kernels: Object.fromEntries([...times].map(([name, t]) => [name, t.summary])),
  };
}

/** Runs the convnet rows only and merges them into docs/benchmarks.json (see `ONLY_CONVNET`). */
async function mainConvnetOnly(): Promise<void> {
  tf.env().set('PROD', true);
  const convnet: ConvnetResult[] = [];
  for (const backend of BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
    await tf.ready();
    const undo = backend === 'wasm' ? enableFastWasmTraining() : undefined;
    convnet.push(await runConvnet(backend, undo !== undefined));
    undo?.();
  }
  const saved = JSON.parse(readFileSync(new URL('benchmarks.json', DOCS), 'utf8')) as BenchResults;
  const kept = (saved.convnet ?? []).filter((r) => !BACKENDS.includes(r.backend as Backend));
  const order = (r: ConvnetResult) => (r.backend === 'wasm' ? 0 : 1);
  const results: BenchResults = {
    ...saved,
    convnet: [...kept, ...convnet].sort((a, b) => order(a) - order(b)),
  };
  if (QUICK) {
    console.log(renderMarkdown(results));
    log('partial convnet run done (nothing written)');
    return;
  }
  writeFileSync(new URL('benchmarks.json', DOCS), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL('benchmarks.md', DOCS), renderMarkdown(results));
  log('convnet rows merged into docs/benchmarks.json and docs/benchmarks.md');
}

const DOCS = new URL('../../../docs/', import.meta.url);

async function main(): Promise<void> {
  if (process.env.BENCH_RENDER === '1') {
    // Re-render docs/benchmarks.md from docs/benchmarks.json (after editing analysis.md).
    const saved = JSON.parse(
      readFileSync(new URL('benchmarks.json', DOCS), 'utf8'),
    ) as BenchResults;
    writeFileSync(new URL('benchmarks.md', DOCS), renderMarkdown(saved));
    log('re-rendered docs/benchmarks.md from docs/benchmarks.json');
    return;
  }
  if (ONLY_CONVNET) {
    await mainConvnetOnly();
    return;
  }
  const started = Date.now();
  const loadAverageStart = os.loadavg();
  const suites: SuiteResult[] = [];
  const curvature: CurvatureResult[] = [];
  const speedup: SpeedupResult[] = [];
  const convnet: ConvnetResult[] = [];
  // Silences the cpu backend's "use tfjs-node" banner (PROD only turns off tfjs's warn/log).
  tf.env().set('PROD', true);
  for (const backend of BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
    await tf.ready();
    const undo = backend === 'wasm' ? enableFastWasmTraining() : undefined;
    for (const size of ['small', 'large'] as const) {
      if (ONLY_SMALL && size === 'large') continue;
      suites.push(await runSuite(backend, size, undo !== undefined));
    }
    if (ONLY_SMALL) {
      undo?.();
      continue;
    }
    curvature.push(await runCurvature(backend));
    convnet.push(await runConvnet(backend, undo !== undefined));
    undo?.();
    if (backend === 'wasm') speedup.push(await runSpeedup(backend));
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    command:
      'pnpm bench  (= pnpm turbo run build --filter=@flood/tfjs... && pnpm --filter @flood/tfjs bench)',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    cpuSeconds: Math.round(cpuClock() / 1000),
    clock: CLOCK,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      tfjs: tf.version_core,
      loadAverageStart,
      loadAverageEnd: os.loadavg(),
    },
    settings: { ...SETTINGS, batch: BATCH },
    suites,
    curvature,
    speedup,
    convnet,
  };
  const markdown = renderMarkdown(results);
  if (PARTIAL) {
    console.log(markdown);
    log(`partial run done in ${results.durationSeconds} s (nothing written)`);
    return;
  }
  writeFileSync(new URL('benchmarks.json', DOCS), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL('benchmarks.md', DOCS), markdown);
  log(`done in ${results.durationSeconds} s: docs/benchmarks.md, docs/benchmarks.json`);
}

await main();
