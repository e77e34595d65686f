import type { Schedule } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { cosine } from './cosine.js';
import { exponential } from './exponential.js';
import { warmup } from './warmup.js';

/** Not a schedule (written as a shorthand property: a literal `then:` would read as a thenable to the linter). */
const then = 2 as unknown as Schedule;

describe('warmup', () => {
  it('rises linearly from 0 by default and holds `to`', () => {
    const s = warmup({ steps: 4, to: 2 });
    expect([0, 1, 2, 3, 4, 5, 1e6].map(s)).toEqual([0, 0.5, 1, 1.5, 2, 2, 2]);
  });
  it('starts at `from` and is non-decreasing', () => {
    const s = warmup({ steps: 9, from: 0.1, to: 0.7 });
    expect(s(0)).toBe(0.1);
    for (let t = 1; t < 20; t++) expect(s(t)).toBeGreaterThanOrEqual(s(t - 1));
    expect(s(9)).toBe(0.7);
  });
  it('hands over to `then` at step `steps`, with `then` restarted at its step 0', () => {
    const then = exponential({ from: 1, rate: 0.5, steps: 10 });
    const s = warmup({ steps: 5, to: 1, then });
    expect(s(4)).toBeCloseTo(0.8, 15);
    expect(s(5)).toBe(1); // then(0)
    expect(s(15)).toBeCloseTo(0.5, 15); // then(10)
  });
  it('with steps = 0 is `then` from step 0', () => {
    const then = cosine({ from: 1, to: 0, steps: 2 });
    const s = warmup({ steps: 0, to: 1, then });
    expect([0, 1, 2].map(s)).toEqual([0 + 1, then(1), 0]);
  });
  it.each([
    [{ steps: -1, to: 1 }, /steps must be an integer >= 0/],
    [{ steps: 3, to: Number.NaN }, /to must be a finite number/],
    [{ steps: 3, to: 1, from: Number.NEGATIVE_INFINITY }, /from must be a finite number/],
    [{ steps: 3, to: 1, then }, /then must be a Schedule/],
  ])('rejects %o', (o, message) => {
    expect(() => warmup(o)).toThrow(RangeError);
    expect(() => warmup(o)).toThrow(message);
  });
});
