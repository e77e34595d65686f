import { describe, expect, it } from 'vitest';
import { formatPoints, pairedComparison, tInterval, verdictSentence } from './interval.js';

describe('tInterval', () => {
  it('is mean ± t·s/√n (hand computation)', () => {
    // values 1, 2, 3, 4, 5: mean 3, s = √2.5, t(0.95, 4) = 2.776445.
    const r = tInterval([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(r.halfWidth).toBeCloseTo((2.776445105 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
    expect(r.low).toBeCloseTo(3 - r.halfWidth, 12);
  });

  it('covers the true mean about 95 % of the time (simulation)', () => {
    let state = 12345;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const normal = () =>
      Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    let covered = 0;
    const trials = 4000;
    for (let i = 0; i < trials; i++) {
      const r = tInterval([normal(), normal(), normal()]);
      if (r.low <= 0 && r.high >= 0) covered++;
    }
    // Binomial sd at p = 0.95, n = 4000: 0.0034.
    expect(covered / trials).toBeGreaterThan(0.935);
    expect(covered / trials).toBeLessThan(0.965);
  });

  it('has no interval for one value and rejects empty or non-finite input', () => {
    expect(Number.isNaN(tInterval([0.5]).halfWidth)).toBe(true);
    expect(() => tInterval([])).toThrow(RangeError);
    expect(() => tInterval([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('pairedComparison and verdictSentence', () => {
  const plain = { name: 'plain', values: [0.6, 0.65, 0.62] };

  it('calls a difference only when the paired interval excludes 0', () => {
    const flood = pairedComparison({ name: 'flooding', values: [0.85, 0.88, 0.86] }, plain);
    expect(flood.outcome).toBe('better');
    expect(flood.difference.mean).toBeCloseTo(0.24, 12);
    // Differences −0.01, +0.02, −0.02: the interval contains 0.
    const sam = pairedComparison({ name: 'SAM', values: [0.59, 0.67, 0.6] }, plain);
    expect(sam.outcome).toBe('unresolved');
    const bad = pairedComparison({ name: 'bad', values: [0.5, 0.56, 0.51] }, plain);
    expect(bad.outcome).toBe('worse');
    const text = verdictSentence([flood, sam, bad], 'Clean test accuracy');
    expect(text).toContain('better than plain: flooding (+24.0 [');
    expect(text).toContain('worse than plain: bad (−10.0 [');
    expect(text).toContain('not distinguishable from plain (interval contains 0): SAM (−0.3 [');
    expect(text).toContain('over 3 paired seeds');
  });

  it('says nothing is significant with one seed, and requires paired lengths', () => {
    const one = pairedComparison({ name: 'a', values: [0.9] }, { name: 'b', values: [0.5] });
    expect(one.outcome).toBe('unresolved');
    expect(verdictSentence([one], 'x')).toMatch(/one seed only, so no interval/);
    expect(() => pairedComparison({ name: 'a', values: [1, 2] }, plain)).toThrow(/paired/);
    expect(formatPoints(tInterval([-0.012, -0.01]))).toMatch(/^−1\.1 \[−/);
  });
});
