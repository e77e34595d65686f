/**
 * From the per-seed results to what the demo claims: per method the mean clean
 * test accuracy with its 95 % t-interval over seeds, the paired difference to
 * plain training, and the verdict sentence; per method the curvature too.
 */
import { type RunRecord, reportedAccuracy, type SeedResult } from './results.js';
import {
  type Comparison,
  type Interval,
  pairedComparison,
  tInterval,
  verdictSentence,
} from './stats/interval.js';

/** One method's row at one noise level. */
export interface MethodSummary {
  /** Method name. */
  readonly name: string;
  /** Its setting (from the first seed). */
  readonly setting: string;
  /** Clean test accuracy at the reported epoch, per seed (seed order). */
  readonly accuracies: readonly number[];
  /** Their mean and 95 % interval. */
  readonly accuracy: Interval;
  /** Paired difference to plain (absent for plain itself). */
  readonly vsPlain?: Comparison;
  /** Mean training loss of the reported epoch (mean raw mini-batch loss). */
  readonly trainLoss: Interval;
  /** Reported epochs, per seed. */
  readonly epochs: readonly number[];
  /** Top Hessian eigenvalue over seeds, when measured. */
  readonly topEigenvalue?: Interval;
  /** Hessian trace over seeds, when measured. */
  readonly trace?: Interval;
  /** How the curvature was measured (exact or finite differences). */
  readonly curvatureMethod?: string;
  /** Gradient evaluations per step. */
  readonly gradientsPerStep: number;
}

/** Everything the report says about one noise level. */
export interface NoiseSummary {
  /** Noise rate of the training and validation labels. */
  readonly noise: number;
  /** Noisy-label entropy H (nats). */
  readonly entropy: number;
  /** Seeds. */
  readonly seeds: readonly number[];
  /** Flood level chosen on validation, per seed. */
  readonly chosenLevels: readonly number[];
  /**
   * The level adaptive flooding ended with, per seed (0: it never set one), and
   * the epoch it set it at (0: never); absent when that method did not run.
   */
  readonly adaptiveLevels?: readonly { readonly level: number; readonly epoch: number }[];
  /** The rows, in the runs' order. */
  readonly methods: readonly MethodSummary[];
  /** Flooding against plain + early stopping (the question the issue asks). */
  readonly floodVsEarlyStop?: Comparison;
  /** The verdict sentence, computed from the comparisons. */
  readonly verdict: string;
  /** Plain's curvature at flooding's training loss, over the seeds where flooding won. */
  readonly plainAtFloodLoss?: { topEigenvalue: Interval; trace: Interval; trainLoss: Interval };
}

const interval = (values: number[]): Interval | undefined =>
  values.length > 0 ? tInterval(values) : undefined;

/** Summaries per noise level, from the results of one noise level's seeds. */
export function summariseNoise(results: readonly SeedResult[]): NoiseSummary {
  if (results.length === 0) throw new RangeError('results must not be empty');
  const noise = results[0]!.noise;
  if (results.some((r) => r.noise !== noise)) {
    throw new RangeError('results must all have the same noise level');
  }
  const names = results[0]!.runs.map((r) => r.name);
  const runOf = (seed: SeedResult, name: string): RunRecord => {
    const run = seed.runs.find((r) => r.name === name);
    if (!run) throw new RangeError(`seed ${seed.seed} has no run named ${name}`);
    return run;
  };
  const plain = { name: 'plain', values: results.map((s) => reportedAccuracy(runOf(s, 'plain'))) };
  const methods: MethodSummary[] = names.map((name) => {
    const runs = results.map((s) => runOf(s, name));
    const accuracies = runs.map(reportedAccuracy);
    const curv = runs.flatMap((r) => (r.curvature ? [r.curvature] : []));
    const eig = interval(curv.map((c) => c.topEigenvalue));
    const tr = interval(curv.map((c) => c.trace));
    return {
      name,
      setting: runs[0]!.setting,
      accuracies,
      accuracy: tInterval(accuracies),
      ...(name === 'plain'
        ? {}
        : { vsPlain: pairedComparison({ name, values: accuracies }, plain) }),
      trainLoss: tInterval(runs.map((r) => r.history[r.reportedEpoch - 1]!.trainLoss)),
      epochs: runs.map((r) => r.reportedEpoch),
      ...(eig ? { topEigenvalue: eig } : {}),
      ...(tr ? { trace: tr } : {}),
      ...(curv.length > 0
        ? { curvatureMethod: [...new Set(curv.map((c) => c.method))].join(', ') }
        : {}),
      gradientsPerStep: runs[0]!.gradientsPerStep,
    };
  });
  const byName = (n: string) => methods.find((m) => m.name === n);
  const flood = byName('flooding');
  const early = byName('plain + early stop');
  const floodVsEarlyStop =
    flood && early
      ? pairedComparison(
          { name: 'flooding', values: flood.accuracies },
          { name: 'plain + early stop', values: early.accuracies },
        )
      : undefined;
  const comparisons = methods.flatMap((m) => (m.vsPlain ? [m.vsPlain] : []));
  let verdict = verdictSentence(
    comparisons,
    `At ${100 * noise} % label noise, clean test accuracy`,
  );
  if (floodVsEarlyStop && floodVsEarlyStop.difference.n >= 2) {
    verdict += ` ${verdictSentence([floodVsEarlyStop], 'Flooding against a well-timed early stop')}`;
  }
  const atLoss = results.flatMap((r) => (r.plainAtFloodLoss ? [r.plainAtFloodLoss] : []));
  const adaptiveRuns = results.flatMap((s) => s.runs.filter((r) => r.levelChanges));
  const adaptiveLevels =
    adaptiveRuns.length === results.length
      ? adaptiveRuns.map((r) => {
          const last = r.levelChanges!.at(-1);
          return last ? { level: last.level, epoch: last.epoch } : { level: 0, epoch: 0 };
        })
      : undefined;
  return {
    noise,
    entropy: results[0]!.entropy,
    seeds: results.map((r) => r.seed),
    chosenLevels: results.map((r) => r.chosenLevel),
    ...(adaptiveLevels ? { adaptiveLevels } : {}),
    methods,
    ...(floodVsEarlyStop ? { floodVsEarlyStop } : {}),
    verdict,
    ...(atLoss.length > 0
      ? {
          plainAtFloodLoss: {
            topEigenvalue: tInterval(atLoss.map((c) => c.topEigenvalue)),
            trace: tInterval(atLoss.map((c) => c.trace)),
            trainLoss: tInterval(atLoss.map((c) => c.trainLoss)),
          },
        }
      : {}),
  };
}

/** One summary per noise level, lowest noise first. */
export function summarise(results: readonly SeedResult[]): NoiseSummary[] {
  const levels = [...new Set(results.map((r) => r.noise))].sort((a, b) => a - b);
  return levels.map((n) => summariseNoise(results.filter((r) => r.noise === n)));
}

/** The adaptive levels of a noise level in words, or '' when adaptive flooding did not run. */
export function adaptiveText(s: NoiseSummary): string {
  if (!s.adaptiveLevels) return '';
  return `adaptive level per seed: ${s.adaptiveLevels
    .map((a) => (a.epoch === 0 ? 'never set' : `${a.level.toFixed(2)} (epoch ${a.epoch})`))
    .join(', ')}`;
}
