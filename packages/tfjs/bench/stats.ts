/** Order statistics of timing samples. */

/** Median and inter-quartile range of a sample, in the sample's units. */
export interface Summary {
  /** Number of samples. */
  n: number;
  /** The median (linear interpolation between order statistics). */
  median: number;
  /** First quartile. */
  q1: number;
  /** Third quartile. */
  q3: number;
  /** `q3 − q1`. */
  iqr: number;
}

/** The `p`-quantile (0 ≤ p ≤ 1) of sorted values, interpolating linearly. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Median, quartiles and IQR of `values`. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((x, y) => x - y);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  return { n: sorted.length, median: quantile(sorted, 0.5), q1, q3, iqr: q3 - q1 };
}
