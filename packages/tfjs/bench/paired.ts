/**
 * Paired timing of a step against its reference (the plain step of the same
 * base optimizer): the two alternate call by call, so both see the same state
 * of a shared machine.
 */
import { seededRandom } from '@flood/core';
import { quantile, type Summary, summarize } from './stats.js';
import { collectGarbage } from './timing.js';

/** How many pairs to take. */
export interface PairPlan {
  /** Timed pairs (one call of each). */
  pairs: number;
  /** Untimed pairs first (JIT, caches, optimizer slots). */
  warmup: number;
  /** The clock, in milliseconds. */
  now: () => number;
}

/** The samples of one paired comparison. */
export interface PairedTimes {
  /** Milliseconds per call of the step. */
  task: number[];
  /** Milliseconds per call of the reference, from the same pairs. */
  reference: number[];
  /** `task / reference` per pair. */
  ratios: Summary;
  /** 95 % bootstrap confidence interval of the median per-pair ratio. */
  interval: [number, number];
}

/**
 * The 95 % percentile-bootstrap confidence interval of the median of `values`
 * (2000 resamples, seeded: the same samples give the same interval).
 */
export function medianInterval(values: readonly number[]): [number, number] {
  const random = seededRandom(values.length);
  const medians: number[] = [];
  const resample = new Array<number>(values.length);
  for (let b = 0; b < 2000; b++) {
    for (let i = 0; i < values.length; i++) {
      resample[i] = values[Math.floor(random() * values.length)]!;
    }
    medians.push(
      quantile(
        [...resample].sort((x, y) => x - y),
        0.5,
      ),
    );
  }
  medians.sort((x, y) => x - y);
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

/**
 * Pairs between forced full garbage collections (untimed, when node runs with
 * `--expose-gc`): the rare large collections then happen between pairs rather
 * than inside one side of a pair, and a collection, dearer than a small model's
 * step, is not paid on every pair.
 */
const GC_EVERY = 8;

/**
 * Times `task` against `reference`, alternating call by call and swapping
 * which one goes first every pair (so an effect of going first or second
 * cancels). The machine this runs on is shared: its speed drifts over seconds
 * (other tenants, frequency), by ±30 % at times, which adjacent calls feel
 * alike, so the ratio of each pair is steadier than a ratio of two medians
 * taken seconds apart. Reported: the median of the per-pair ratios and its
 * bootstrap confidence interval (adjacent calls still differ by ±20 % here:
 * the interval says what a run can resolve).
 */
export function timePaired(task: () => void, reference: () => void, plan: PairPlan): PairedTimes {
  for (let i = 0; i < plan.warmup; i++) {
    reference();
    task();
  }
  const taskTimes: number[] = [];
  const referenceTimes: number[] = [];
  const time = (fn: () => void): number => {
    const start = plan.now();
    fn();
    return plan.now() - start;
  };
  for (let i = 0; i < plan.pairs; i++) {
    if (i % GC_EVERY === 0) collectGarbage?.();
    if (i % 2 === 0) {
      referenceTimes.push(time(reference));
      taskTimes.push(time(task));
    } else {
      taskTimes.push(time(task));
      referenceTimes.push(time(reference));
    }
  }
  const ratios = taskTimes.map((t, i) => t / referenceTimes[i]!);
  return {
    task: taskTimes,
    reference: referenceTimes,
    ratios: summarize(ratios),
    interval: medianInterval(ratios),
  };
}
