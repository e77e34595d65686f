import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';

describe('constant', () => {
  it('is its value at every step, including step 0 and large steps', () => {
    const s = constant(0.25);
    for (const t of [0, 1, 17, 1e6, Number.MAX_SAFE_INTEGER]) expect(s(t)).toBe(0.25);
  });
  it('serialises to its JSON form', () => {
    expect(JSON.parse(JSON.stringify(constant(-3)))).toEqual({ type: 'constant', value: -3 });
  });
  it.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects value %s', (v) => {
    expect(() => constant(v)).toThrow(RangeError);
    expect(() => constant(v)).toThrow(/value must be a finite number/);
  });
  it.each([-1, 0.5, Number.NaN])('rejects step %s (steps are integers >= 0)', (t) => {
    expect(() => constant(1)(t)).toThrow(/step must be an integer >= 0/);
  });
});
