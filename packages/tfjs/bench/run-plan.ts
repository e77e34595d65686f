/**
 * The bench's run plan: the settings read from the environment (`BENCH_QUICK`,
 * `BENCH_ONLY`, `BENCH_METHODS`, `BENCH_BACKENDS`, `BENCH_CLOCK`), the models, the
 * samples each backend spends, and the targets; and the progress log.
 */
import type { PairPlan } from './paired.js';
import type { Summary } from './stats.js';
import type { Method } from './steps.js';
import { cpuClock, type RoundPlan } from './timing.js';

/** `BENCH_QUICK=1`: a handful of samples only (a smoke test; results are not written then). */
export const QUICK = process.env.BENCH_QUICK === '1';
/**
 * `BENCH_ONLY=convnet` runs the convnet rows only (of the backends in `BENCH_BACKENDS`)
 * and merges them into the existing docs/benchmarks.json (the other results, and the
 * convnet rows of other backends, kept), then re-renders docs/benchmarks.md.
 */
export const ONLY_CONVNET = process.env.BENCH_ONLY === 'convnet';
/**
 * `BENCH_ONLY=small` runs the small-MLP step suite only (of the backends in
 * `BENCH_BACKENDS`; no curvature, convnet or speed-up rows; nothing written), and
 * `BENCH_METHODS=flooding,SAM,LookSAM k=5` only those methods and the plain
 * steps: a focused before/after timing of a change (a few minutes, not nine).
 */
export const ONLY_SMALL = process.env.BENCH_ONLY === 'small';
/** The methods of `BENCH_METHODS` (comma-separated), or undefined for all (see `ONLY_SMALL`). */
export const ONLY_METHODS = process.env.BENCH_METHODS?.split(',').map((m) => m.trim());
/** `BENCH_BACKENDS=wasm` runs one backend only (for development; nothing is written then). */
export const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',') as Backend[];
/** A run that writes nothing (quick, one backend, or a subset of the steps): prints the Markdown instead. */
export const PARTIAL = QUICK || BACKENDS.length !== 2 || ONLY_SMALL || ONLY_METHODS !== undefined;
/** `BENCH_CLOCK=wall` times wall-clock; the default is this process's CPU time (see `cpuClock`). */
export const CLOCK = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';
/** Batch of the MLP suites. */
export const BATCH = 128;
/** Layer widths of the two MLPs. */
export const MODELS = { small: [784, 256, 10], large: [784, 512, 512, 10] } as const;
/** A backend the bench runs on. */
export type Backend = 'wasm' | 'cpu';
/** An MLP of `MODELS`. */
export type Size = keyof typeof MODELS;

/** How many pairs of (step, plain step) an optimizer-step suite times per method. */
export interface PairBudget {
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
export const BUDGETS: Record<
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
/** Methods timed with the two-pass budget (`PairBudget.twoPass`). */
export const TWO_PASS = new Set<Method>([
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
/** The round plan of every timed task under `BENCH_QUICK`. */
export const quickPlan: RoundPlan = { rounds: 2, perRound: 1, warmup: 1 };
/** The clock of `BENCH_CLOCK`, in ms. */
export const clock = CLOCK === 'cpu' ? cpuClock : () => performance.now();
/** The round plan of a backend's curvature or speed-up tasks. */
export const plan = (backend: Backend, what: 'curvature' | 'speedup'): RoundPlan => ({
  ...(QUICK ? quickPlan : BUDGETS[backend][what]),
  now: clock,
});
/** The pair plan of one method of an optimizer-step suite. */
export const pairPlan = (backend: Backend, size: Size, method: Method): PairPlan => {
  const p = BUDGETS[backend].pairs[size];
  return QUICK
    ? { pairs: 3, warmup: 1, now: clock }
    : { pairs: TWO_PASS.has(method) ? p.twoPass : p.onePass, warmup: p.warmup, now: clock };
};

/** The targets: ratio of a step to the plain step of the same base optimizer. */
export const TARGETS: Partial<Record<Method, number>> = {
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

/** A progress line on stderr, timestamped. */
export const log = (message: string) =>
  console.error(`[bench ${new Date().toISOString()}] ${message}`);

/**
 * Logs each task's median (name padded to `nameWidth`, ms to `msWidth`) and returns
 * the tasks' summaries by name, as the results record them.
 */
export function logSummaries(
  times: Map<string, { summary: Summary }>,
  nameWidth = 26,
  msWidth = 8,
): Record<string, Summary> {
  for (const [name, t] of times)
    log(`  ${name.padEnd(nameWidth)} ${t.summary.median.toFixed(2).padStart(msWidth)} ms`);
  return Object.fromEntries([...times].map(([name, t]) => [name, t.summary]));
}
