/** The convnet rows: wrappers timed against the plain step on a small convnet, and its training kernels. */
import { CONVNET, createConvnet, trainingKernelTasks } from './convnet.js';
import { timePaired } from './paired.js';
import type { ConvnetResult, StepResult } from './results.js';
import {
  type Backend,
  clock,
  log,
  logSummaries,
  type PairBudget,
  QUICK,
  quickPlan,
  TARGETS,
  TWO_PASS,
} from './run-plan.js';
import { summarize } from './stats.js';
import { createStep, type Method } from './steps.js';
import { type RoundPlan, timeInterleaved } from './timing.js';

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

/**
 * Times the convnet rows: each wrapper of `CONVNET_METHODS` against the plain SGD step,
 * call by call, then the training kernels of its layers.
 */
export async function runConvnet(backend: Backend, fast: boolean): Promise<ConvnetResult> {
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
  const kernels = logSummaries(times, 60, 9);
  return {
    backend,
    model: CONVNET.name,
    parameters,
    batch: CONVNET_BATCH,
    fastWasmTraining: fast,
    steps: rows,
    kernels,
  };
}
