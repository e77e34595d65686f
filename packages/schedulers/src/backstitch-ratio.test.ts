import type { Schedule } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { backstitchRatio } from './backstitch-ratio.js';
import { constant } from './constant.js';
import { cosine } from './cosine.js';
import { exponential } from './exponential.js';
import { join } from './join.js';
import { linear } from './linear.js';
import { piecewiseConstant } from './piecewise-constant.js';
import { warmup } from './warmup.js';

/** A schedule from outside this package: t ↦ t / 10 (reaches 1 at step 10). */
const custom = Object.assign((t: number) => t / 10, { toJSON: () => ({ type: 'custom' }) });

describe('backstitchRatio', () => {
  it('passes a valid ratio through unchanged', () => {
    const inner = warmup({ steps: 10, to: 0.3 });
    const r = backstitchRatio(inner);
    for (const t of [0, 3, 10, 500]) expect(r(t)).toBe(inner(t));
    expect(backstitchRatio(0.2)(7)).toBe(0.2);
  });
  it.each([
    ['a number 1', 1],
    ['a negative number', -0.1],
    ['a linear ramp to 1', linear({ from: 0, to: 1, steps: 100 })],
    ['a cosine from 1.5', cosine({ from: 1.5, to: 0.5, steps: 10 })],
    ['a growing exponential', exponential({ from: 0.1, rate: 1.01, steps: 1 })],
    ['a growing exponential clipped at 1', exponential({ from: 0.1, rate: 2, steps: 1, end: 1 })],
    ['a piecewise schedule reaching 1', piecewiseConstant({ boundaries: [5], values: [0.5, 1] })],
    ['a join whose second part is negative', join([constant(0.2), constant(-0.01)], [1000])],
  ])('rejects %s at construction', (_, ratio) => {
    expect(() => backstitchRatio(ratio as number | Schedule)).toThrow(RangeError);
    expect(() => backstitchRatio(ratio as number | Schedule)).toThrow(/ratio must/);
  });
  it('accepts schedules that come close to 1 but never reach it', () => {
    expect(() => backstitchRatio(exponential({ from: 0.99, rate: 0.5, steps: 3 }))).not.toThrow();
    expect(() => backstitchRatio(linear({ from: 0.999, to: 0, steps: 5 }))).not.toThrow();
    // The ramp towards 2 is cut off at 0.18 when the constant takes over.
    const cut = backstitchRatio(
      join([linear({ from: 0, to: 2, steps: 100 }), constant(0.5)], [10]),
    );
    expect(cut(9)).toBeCloseTo(0.18, 15);
  });
  it('checks a foreign schedule at every step and throws at the first step outside [0, 1)', () => {
    const r = backstitchRatio(custom);
    expect(r(9)).toBe(0.9);
    expect(() => r(10)).toThrow(/ratio must be in \[0, 1\), got 1 at step 10/);
  });
  it('rejects what is neither a number nor a schedule', () => {
    expect(() => backstitchRatio('0.2' as unknown as number)).toThrow(
      /ratio must be a number or a Schedule/,
    );
  });
  it('serialises with the inner schedule nested', () => {
    expect(JSON.parse(JSON.stringify(backstitchRatio(0.25)))).toEqual({
      type: 'backstitchRatio',
      ratio: { type: 'constant', value: 0.25 },
    });
  });
});
