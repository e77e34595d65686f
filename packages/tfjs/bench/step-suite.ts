/** The optimizer-step suites: each method's step timed against the plain step, on one MLP. */
import { type KernelAccount, kernelAccount, kernelDiff } from './kernels.js';
import { peakExtraBytes } from './memory.js';
import { createMlp } from './mlp.js';
import { type PairedTimes, timePaired } from './paired.js';
import type { StepResult, SuiteResult } from './results.js';
import {
  BATCH,
  type Backend,
  log,
  MODELS,
  ONLY_METHODS,
  pairPlan,
  type Size,
  TARGETS,
} from './run-plan.js';
import { summarize } from './stats.js';
import { createSteps } from './steps.js';

/**
 * Times one optimizer-step suite: every step of `createSteps` on one MLP against the
 * plain step of its base, call by call, with its peak memory and (wasm) kernel launches.
 */
export async function runSuite(backend: Backend, size: Size, fast: boolean): Promise<SuiteResult> {
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
