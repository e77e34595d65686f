/**
 * Means with t-intervals over seeds, paired differences between methods, and
 * the verdict sentence the demo prints: every claim it makes is computed here
 * from the per-seed numbers.
 */
import { studentQuantile } from './student-t.js';

/** A mean over seeds with its two-sided t-interval. */
export interface Interval {
  /** Number of values (seeds). */
  readonly n: number;
  /** Arithmetic mean. */
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator). */
  readonly sd: number;
  /** Half-width t(level, n − 1)·sd/√n; NaN for one value. */
  readonly halfWidth: number;
  /** mean − halfWidth. */
  readonly low: number;
  /** mean + halfWidth. */
  readonly high: number;
}

/**
 * Mean and `level` (default 95 %) Student-t interval of `values`:
 * mean ± t(level, n − 1)·s/√n. With one value the interval is NaN (unknown).
 */
export function tInterval(values: readonly number[], level = 0.95): Interval {
  const n = values.length;
  if (n < 1 || !values.every(Number.isFinite)) {
    throw new RangeError(`values must be a non-empty list of finite numbers, got ${values}`);
  }
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd =
    n < 2 ? Number.NaN : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const halfWidth = n < 2 ? Number.NaN : (studentQuantile(level, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/** A paired comparison of two methods over the same seeds. */
export interface Comparison {
  /** The method compared. */
  readonly method: string;
  /** What it is compared against. */
  readonly baseline: string;
  /** Interval of the per-seed differences method − baseline. */
  readonly difference: Interval;
  /** Whether the interval excludes 0 ('better' / 'worse'), or not ('unresolved'). */
  readonly outcome: 'better' | 'worse' | 'unresolved';
}

/**
 * The paired comparison of `method` against `baseline`: the t-interval of the
 * per-seed differences (same seed = same data, noise and initial weights), and
 * whether it excludes 0. Needs two or more seeds for an outcome.
 */
export function pairedComparison(
  method: { name: string; values: readonly number[] },
  baseline: { name: string; values: readonly number[] },
  level = 0.95,
): Comparison {
  if (method.values.length !== baseline.values.length) {
    throw new RangeError(
      `values must be paired: ${method.values.length} for ${method.name}, ${baseline.values.length} for ${baseline.name}`,
    );
  }
  const difference = tInterval(
    method.values.map((v, i) => v - baseline.values[i]!),
    level,
  );
  const outcome = difference.low > 0 ? 'better' : difference.high < 0 ? 'worse' : 'unresolved';
  return { method: method.name, baseline: baseline.name, difference, outcome };
}

/** `+1.23 [0.40, 2.06]` in percentage points of an accuracy difference. */
export function formatPoints(d: Interval): string {
  const f = (x: number) => (100 * x).toFixed(1);
  const sign = d.mean >= 0 ? '+' : '−';
  const interval = Number.isNaN(d.halfWidth) ? '' : ` [${f(d.low)}, ${f(d.high)}]`;
  return `${sign}${Math.abs(100 * d.mean).toFixed(1)}${interval}`.replaceAll('-', '−');
}

/**
 * The verdict: which methods beat the baseline, which do worse, and which
 * cannot be told apart from it, with the interval of each difference (in
 * accuracy points). The sentence follows from the comparisons and nothing else.
 */
export function verdictSentence(comparisons: readonly Comparison[], what: string): string {
  if (comparisons.length === 0) throw new RangeError('comparisons must not be empty');
  const n = comparisons[0]!.difference.n;
  if (n < 2) {
    return `${what}: one seed only, so no interval, and no difference can be called significant.`;
  }
  const list = (cs: readonly Comparison[]) =>
    cs.map((c) => `${c.method} (${formatPoints(c.difference)})`).join(', ');
  const groups = (['better', 'worse', 'unresolved'] as const).map((o) =>
    comparisons.filter((c) => c.outcome === o),
  );
  const baselines = [...new Set(comparisons.map((c) => c.baseline))];
  const vs = baselines.length === 1 ? baselines[0]! : 'their baselines';
  const parts: string[] = [];
  if (groups[0]!.length > 0) parts.push(`better than ${vs}: ${list(groups[0]!)}`);
  if (groups[1]!.length > 0) parts.push(`worse than ${vs}: ${list(groups[1]!)}`);
  if (groups[2]!.length > 0) {
    parts.push(`not distinguishable from ${vs} (interval contains 0): ${list(groups[2]!)}`);
  }
  return `${what}, difference to ${vs} in points with its 95 % interval over ${n} paired seeds — ${parts.join('; ')}.`;
}
