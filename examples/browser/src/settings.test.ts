import { describe, expect, it } from 'vitest';
import { DEFAULTS, floodProp, parseSettings } from './settings.js';

describe('parseSettings', () => {
  it('takes defaults for absent keys and reads the given ones', () => {
    expect(parseSettings('')).toEqual(DEFAULTS);
    expect(parseSettings('?b=0.1&epochs=50&base=sgd')).toEqual({
      ...DEFAULTS,
      level: 0.1,
      epochs: 50,
      base: 'sgd',
    });
  });

  it('rejects out-of-range values with a RangeError naming the parameter', () => {
    expect(() => parseSettings('?b=-1')).toThrow(/^b must be/);
    expect(() => parseSettings('?b=abc')).toThrow(RangeError);
    expect(() => parseSettings('?epochs=2.5')).toThrow(/epochs/);
    expect(() => parseSettings('?method=nope')).toThrow(/method/);
    expect(() => parseSettings('?base=nope')).toThrow(/base/);
  });
});

describe('floodProp', () => {
  it('is the fraction of ascending steps among the last window', () => {
    expect(floodProp([])).toBeNaN();
    // last 4 of [1, 1, 0, 1, 0]: 1, 0, 1, 0 → 0.5
    expect(floodProp([1, 1, 0, 1, 0], 4)).toBe(0.5);
    expect(floodProp([0, 0])).toBe(0);
    expect(floodProp(Array.from({ length: 30 }, (_, i) => (i < 25 ? 0 : 1)))).toBe(5 / 20);
  });
});
