/** Interleaved timing of several tasks in one process, with tinybench. */
import { Bench } from 'tinybench';
import { type Summary, summarize } from './stats.js';

/** Something to time: one call is one sample. */
export interface TimedTask {
  /** Unique name. */
  name: string;
  /** The work (synchronous or async). */
  fn: () => unknown;
  /** Runs before this task's samples in every round (not timed). */
  before?: () => void;
  /** Runs after this task's samples in every round (not timed). */
  after?: () => void;
}

/**
 * Milliseconds of CPU time (user + system) used by this process so far. tfjs's
 * cpu and wasm backends run synchronously on this thread, so the CPU time of a
 * step is its work, unaffected by other processes competing for the cores
 * (wall-clock time on a loaded machine measures the scheduler as much as the step).
 */
export function cpuClock(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Node's `gc()` when it runs with `--expose-gc` (`pnpm bench` does), else
 * undefined. Called before every sample here (untimed): a collection then never
 * lands inside one method's sample and not another's (CPU time counts the
 * collector's work); `paired.ts` calls it between pairs.
 */
export const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** How many samples to take. */
export interface RoundPlan {
  /** Rounds; each round runs every task, in an order rotated by one each round. */
  rounds: number;
  /** Timed calls per task per round. */
  perRound: number;
  /** Untimed calls per task in the first round only (JIT, caches, optimizer slots). */
  warmup: number;
  /** The clock, in milliseconds (default `performance.now`, wall-clock). */
  now?: () => number;
}

/**
 * Times every task in `rounds` interleaved rounds (task order rotated each
 * round, so slow drifts of the machine hit all tasks alike) and returns each
 * task's samples (milliseconds per call) and their summary.
 */
export async function timeInterleaved(
  tasks: readonly TimedTask[],
  plan: RoundPlan,
): Promise<Map<string, { samples: number[]; summary: Summary }>> {
  const samples = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    const bench = new Bench({
      iterations: plan.perRound,
      time: 0,
      warmup: round === 0 && plan.warmup > 0,
      warmupIterations: plan.warmup,
      warmupTime: 0,
      retainSamples: true,
      throws: true,
      ...(plan.now ? { now: plan.now } : {}),
    });
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length]!;
      bench.add(task.name, task.fn, {
        ...(task.before ? { beforeAll: task.before } : {}),
        ...(task.after ? { afterAll: task.after } : {}),
        ...(collectGarbage ? { beforeEach: collectGarbage } : {}),
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!('latency' in result) || result.latency.samples === undefined) {
        throw new Error(`benchmark task ${task.name} produced no samples (${result.state})`);
      }
      samples.get(task.name)!.push(...result.latency.samples);
    }
  }
  return new Map(
    [...samples].map(([name, s]) => [name, { samples: s, summary: summarize(s) }] as const),
  );
}
