/**
 * Monotonicity where it is promised, and the analytic ranges used by
 * `backstitchRatio`, checked on random configurations against sampled values.
 */
import type { Schedule } from '@flood/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosine } from './cosine.js';
import { valueRange } from './define-schedule.js';
import { exponential } from './exponential.js';
import { floodLevel } from './flood-level.js';
import { linear } from './linear.js';
import { warmup } from './warmup.js';

const finite = fc.double({ min: -50, max: 50, noNaN: true });
const steps = fc.integer({ min: 0, max: 120 });
const ramp = fc.record({ from: finite, to: finite, steps });

/** Values at steps 0 … n − 1. */
const sample = (s: Schedule, n = 160) => Array.from({ length: n }, (_, t) => s(t));

/** True if `values` never move against `sign` (+1: never decrease, −1: never increase). */
function monotone(values: readonly number[], sign: 1 | -1): boolean {
  for (let i = 1; i < values.length; i++) {
    if ((values[i]! - values[i - 1]!) * sign < 0) return false;
  }
  return true;
}

describe('monotonicity', () => {
  it('linear and cosine move from `from` towards `to` and never turn back', () => {
    fc.assert(
      fc.property(ramp, fc.boolean(), (o, useCosine) => {
        const values = sample(useCosine ? cosine(o) : linear(o));
        expect(monotone(values, o.to >= o.from ? 1 : -1)).toBe(true);
        expect(values[0]).toBe(o.steps === 0 ? o.to : o.from);
        expect(values[values.length - 1]).toBe(o.to);
      }),
      { numRuns: 200 },
    );
  });
  it('warmup (default then) and floodLevel never decrease when rising', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5, noNaN: true }),
        steps,
        steps,
        fc.constantFrom('linear' as const, 'cosine' as const),
        (level, delay, length, shape) => {
          expect(monotone(sample(warmup({ steps: length, to: level })), 1)).toBe(true);
          expect(monotone(sample(floodLevel({ level, delay, warmup: length, shape })), 1)).toBe(
            true,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
  it('exponential with from > 0 strictly decreases for rate < 1 (until it meets `end`)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (from, rate, length) => {
          const values = sample(exponential({ from, rate, steps: length }), 60);
          for (let t = 1; t < values.length; t++) expect(values[t]).toBeLessThan(values[t - 1]!);
          const clipped = sample(exponential({ from, rate, steps: length, end: from / 4 }), 200);
          expect(monotone(clipped, -1)).toBe(true);
          expect(Math.min(...clipped)).toBeGreaterThanOrEqual(from / 4);
          // Once the unclipped value is below `end`, the value is `end` exactly.
          if (rate ** (199 / length) < 0.2) expect(clipped[199]).toBe(from / 4);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('valueRange', () => {
  it('bounds every sampled value of linear, cosine, exponential and floodLevel', () => {
    const schedule = fc.oneof(
      ramp.map(linear),
      ramp.map(cosine),
      fc
        .record({
          from: finite,
          rate: fc.double({ min: 0.3, max: 3, noNaN: true }),
          steps: fc.integer({ min: 1, max: 50 }),
          staircase: fc.boolean(),
        })
        .map(exponential),
      fc
        .record({ level: fc.double({ min: 0, max: 3, noNaN: true }), delay: steps, warmup: steps })
        .map(floodLevel),
    );
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 200 }), (s, horizon) => {
        const values = sample(s, horizon);
        const range = valueRange(s, horizon)!;
        expect(range.min).toBe(Math.min(...values));
        expect(range.max).toBe(Math.max(...values));
        const all = valueRange(s)!;
        expect(all.min).toBeLessThanOrEqual(range.min);
        expect(all.max).toBeGreaterThanOrEqual(range.max);
      }),
      { numRuns: 200 },
    );
  });
});
