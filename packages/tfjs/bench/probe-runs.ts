/** The curvature-probe and fast-wasm speed-up runs, each of interleaved tasks on the small MLP. */
import { curvatureTasks, LONG, SHORT } from './curvature.js';
import { createMlp } from './mlp.js';
import type { CurvatureResult, SpeedupResult } from './results.js';
import { BATCH, type Backend, log, logSummaries, MODELS, plan } from './run-plan.js';
import { speedupTasks } from './speedup.js';
import { timeInterleaved } from './timing.js';

/** Times the curvature probes (HVP; on wasm also the Lanczos and Hutchinson steps) on the small MLP. */
export async function runCurvature(backend: Backend): Promise<CurvatureResult> {
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
  const summaries = logSummaries(times);
  return {
    backend,
    model: model.name,
    tasks: summaries,
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

/** Times a core and a layers step with and without `enableFastWasmTraining` on the small MLP. */
export async function runSpeedup(backend: Backend): Promise<SpeedupResult> {
  const model = createMlp(MODELS.small, BATCH);
  const { tasks, dispose } = speedupTasks(model);
  log(`${backend} ${model.name}: enableFastWasmTraining before/after`);
  const times = await timeInterleaved(tasks, plan(backend, 'speedup'));
  dispose();
  model.dispose();
  const median = (name: string) => times.get(name)!.summary.median;
  const summaries = logSummaries(times);
  return {
    backend,
    model: model.name,
    tasks: summaries,
    coreSpeedup: median('core step, stock kernels') / median('core step, fast'),
    layersSpeedup: median('layers step, stock kernels') / median('layers step, fast'),
  };
}
