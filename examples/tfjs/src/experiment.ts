/**
 * The whole demo: every (noise level, seed) pair run by {@link runSeed}, in
 * this thread or spread over worker threads (one core each).
 */
import { Worker } from 'node:worker_threads';
import type { Plan } from './plan.js';
import type { SeedResult } from './results.js';
import { runSeed, seedUnits } from './seed-run.js';
import type { FromWorker, ToWorker } from './seed-worker.js';

/** Progress in gradient-evaluation units (epochs × gradients per step). */
export interface Progress {
  /** Method and seed that just finished an epoch. */
  readonly label: string;
  /** Units done so far. */
  readonly done: number;
  /** Units of the whole experiment. */
  readonly total: number;
}

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Worker threads (0: run in this thread on its current tfjs backend). */
  readonly workers: number;
  /** Backend each worker sets up. */
  readonly backend: 'wasm' | 'cpu';
  /** `enableFastWasmTraining()` in each worker. */
  readonly fastWasm: boolean;
  /** Called after every epoch of every run. */
  readonly onProgress?: (p: Progress) => void;
  /** Called with each (noise, seed) result as soon as it is complete (to save partial runs). */
  readonly onResult?: (result: SeedResult) => void;
}

/** What {@link runExperiment} returns. */
export interface ExperimentRun {
  /** One result per (noise, seed), noise-major, seeds in order. */
  readonly seeds: SeedResult[];
  /** The backend the runs used, in words. */
  readonly backend: string;
  /** Wall seconds. */
  readonly wallSeconds: number;
  /** CPU seconds (user + system) of the whole process, worker threads included. */
  readonly cpuSeconds: number;
}

/** Runs the plan and returns every seed's result. */
export async function runExperiment(plan: Plan, o: ExperimentOptions): Promise<ExperimentRun> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const tasks = plan.noise.flatMap((noise) => plan.seeds.map((seed) => ({ noise, seed })));
  const total = tasks.reduce((s, t) => s + seedUnits(plan, t.noise), 0);
  let done = 0;
  const onUnits = (units: number, label: string) => {
    done += units;
    o.onProgress?.({ label, done, total });
  };
  const results = new Array<SeedResult>(tasks.length);
  let backend = 'this thread';
  if (o.workers <= 0) {
    for (const [i, t] of tasks.entries()) {
      results[i] = await runSeed(plan, t.noise, t.seed, (u, l) =>
        onUnits(u, `${l}, seed ${t.seed}`),
      );
      o.onResult?.(results[i]!);
    }
  } else {
    backend = await runInWorkers(plan, tasks, results, o, onUnits);
  }
  const usage = process.cpuUsage(cpuStart);
  return {
    seeds: results,
    backend,
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (usage.user + usage.system) / 1e6,
  };
}

async function runInWorkers(
  plan: Plan,
  tasks: { noise: number; seed: number }[],
  results: SeedResult[],
  o: ExperimentOptions,
  onUnits: (units: number, label: string) => void,
): Promise<string> {
  let next = 0;
  let backend = '';
  const count = Math.min(o.workers, tasks.length);
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./seed-worker.js', import.meta.url), {
        workerData: { backend: o.backend, fastWasm: o.fastWasm },
      });
      let current = -1;
      const send = () => {
        if (next >= tasks.length) {
          worker.postMessage({ type: 'stop' } satisfies ToWorker);
          return;
        }
        current = next++;
        const t = tasks[current]!;
        worker.postMessage({ type: 'task', plan, noise: t.noise, seed: t.seed } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          backend = `${m.backend}${m.fastWasm ? ' with enableFastWasmTraining()' : ''}${m.note ? ` (${m.note})` : ''}`;
          send();
        } else if (m.type === 'units') onUnits(m.units, `${m.label}, seed ${m.seed}`);
        else if (m.type === 'result') {
          results[current] = m.result;
          o.onResult?.(m.result);
          send();
        } else {
          void worker.terminate();
          reject(new Error(`worker failed: ${m.message}`));
        }
      });
      worker.on('error', reject);
      worker.on('exit', () => resolve());
    });
  await Promise.all(Array.from({ length: count }, one));
  if (results.some((r) => r === undefined))
    throw new Error('a worker stopped before its task ended');
  return `${backend}, ${count} worker thread${count === 1 ? '' : 's'}`;
}
