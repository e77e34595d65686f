/**
 * The whole demo: every (noise level, seed) pair, cut into tasks (the search,
 * then one per method; see seed-tasks.ts) that run in this thread or spread
 * over worker threads (one core each). Tasks are handed out pair by pair, the
 * most expensive first, so both cores stay busy to the end and pairs finish
 * roughly in order.
 */
import { Worker } from 'node:worker_threads';
import type { Plan } from './plan.js';
import type { RunRecord, SeedResult } from './results.js';
import { runTask } from './seed-run.js';
import {
  assembleSeed,
  iFloodLevel,
  independentMethods,
  type MethodKey,
  type SearchResult,
  type SeedTask,
  seedUnits,
  type TaskResult,
  taskUnits,
} from './seed-tasks.js';
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
  /** One result per (noise, seed), in the plan's noise order, seeds in order. */
  readonly seeds: SeedResult[];
  /** The backend the runs used, in words. */
  readonly backend: string;
  /** Wall seconds. */
  readonly wallSeconds: number;
  /** CPU seconds (user + system) of the whole process, worker threads included. */
  readonly cpuSeconds: number;
}

/** Runs a task somewhere and resolves with its result. */
type Executor = (task: SeedTask) => Promise<TaskResult>;

interface Pair {
  readonly noise: number;
  readonly seed: number;
  search?: SearchResult;
  readonly methods: Map<MethodKey, RunRecord>;
  missing: number;
}

/**
 * The queue of tasks: per pair in order, the search first (iFlood waits for
 * it), then the other methods, most units first.
 */
class Schedule {
  readonly pairs: Pair[];
  private readonly queue: SeedTask[] = [];
  private waiting = 0;
  private wake: (() => void)[] = [];

  constructor(
    plan: Plan,
    private readonly onDone: (index: number, result: SeedResult) => void,
  ) {
    const methods = independentMethods(plan);
    this.pairs = plan.noise.flatMap((noise) =>
      plan.seeds.map((seed) => ({ noise, seed, methods: new Map(), missing: 2 + methods.length })),
    );
    for (const { noise, seed } of this.pairs) {
      this.queue.push({ kind: 'search', noise, seed });
      const tasks = methods.map((method): SeedTask => ({ kind: 'method', noise, seed, method }));
      tasks.sort((a, b) => taskUnits(plan, b) - taskUnits(plan, a));
      this.queue.push(...tasks);
    }
    this.waiting = this.pairs.length; // iFlood tasks not yet created
  }

  /** The next task, or undefined when everything is handed out. */
  async next(): Promise<SeedTask | undefined> {
    for (;;) {
      const task = this.queue.shift();
      if (task) return task;
      if (this.waiting === 0) return undefined;
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }

  /** Records a finished task; a search releases its pair's iFlood task at the front. */
  finish(task: SeedTask, result: TaskResult): void {
    const index = this.pairs.findIndex((p) => p.noise === task.noise && p.seed === task.seed);
    const pair = this.pairs[index]!;
    if (result.kind === 'search') {
      pair.search = result.search;
      this.queue.unshift({
        kind: 'method',
        noise: pair.noise,
        seed: pair.seed,
        method: 'iFlood',
        level: iFloodLevel(result.search),
      });
      this.waiting--;
      for (const w of this.wake.splice(0)) w();
    } else pair.methods.set(result.method, result.run);
    if (--pair.missing === 0) {
      this.onDone(index, assembleSeed(pair.noise, pair.seed, pair.search!, pair.methods));
    }
  }

  /** Wakes every waiting executor (after a failure). */
  abort(): void {
    this.waiting = 0;
    this.queue.length = 0;
    for (const w of this.wake.splice(0)) w();
  }
}

/** Runs the plan and returns every pair's result. */
export async function runExperiment(plan: Plan, o: ExperimentOptions): Promise<ExperimentRun> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const total = plan.noise.reduce((s, noise) => s + plan.seeds.length * seedUnits(plan, noise), 0);
  let done = 0;
  const onUnits = (units: number, label: string) => {
    done += units;
    o.onProgress?.({ label, done, total });
  };
  const results: SeedResult[] = [];
  const schedule = new Schedule(plan, (index, result) => {
    results[index] = result;
    o.onResult?.(result);
  });
  let backend = 'this thread';
  const workers: Worker[] = [];
  const executors: Executor[] = [];
  try {
    if (o.workers <= 0) {
      executors.push((task) =>
        runTask(plan, task, (u, l) => onUnits(u, `${l}, seed ${task.seed}`)),
      );
    } else {
      const count = Math.min(o.workers, schedule.pairs.length * 3);
      const started = await Promise.all(
        Array.from({ length: count }, () => startWorker(plan, o, onUnits)),
      );
      for (const w of started) {
        workers.push(w.worker);
        executors.push(w.run);
      }
      backend = `${started[0]!.backend}, ${count} worker thread${count === 1 ? '' : 's'}`;
    }
    const loop = async (run: Executor) => {
      for (let task = await schedule.next(); task; task = await schedule.next()) {
        try {
          schedule.finish(task, await run(task));
        } catch (error) {
          schedule.abort();
          throw error;
        }
      }
    };
    await Promise.all(executors.map(loop));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (results.length !== schedule.pairs.length || results.some((r) => r === undefined)) {
    throw new Error('a (noise, seed) pair did not finish');
  }
  const usage = process.cpuUsage(cpuStart);
  return {
    seeds: results,
    backend,
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (usage.user + usage.system) / 1e6,
  };
}

/** Starts a worker; resolves once its backend is ready, with a function that runs one task on it. */
function startWorker(
  plan: Plan,
  o: ExperimentOptions,
  onUnits: (units: number, label: string) => void,
): Promise<{ worker: Worker; backend: string; run: Executor }> {
  return new Promise((resolveStart, rejectStart) => {
    const worker = new Worker(new URL('./seed-worker.js', import.meta.url), {
      workerData: { backend: o.backend, fastWasm: o.fastWasm },
    });
    let pending: { resolve: (r: TaskResult) => void; reject: (e: Error) => void } | undefined;
    const fail = (error: Error) => {
      if (pending) pending.reject(error);
      else rejectStart(error);
      pending = undefined;
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        const backend = `${m.backend}${m.fastWasm ? ' with enableFastWasmTraining()' : ''}${m.note ? ` (${m.note})` : ''}`;
        resolveStart({
          worker,
          backend,
          run: (task) =>
            new Promise<TaskResult>((resolve, reject) => {
              pending = { resolve, reject };
              worker.postMessage({ type: 'task', plan, task } satisfies ToWorker);
            }),
        });
      } else if (m.type === 'units') onUnits(m.units, `${m.label}, seed ${m.seed}`);
      else if (m.type === 'result') {
        const p = pending;
        pending = undefined;
        p?.resolve(m.result);
      } else fail(new Error(`worker failed: ${m.message}`));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (pending) fail(new Error(`worker exited with code ${code} during a task`));
    });
  });
}
