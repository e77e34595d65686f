import { describe, expect, it } from 'vitest';
import { linearScale, linePath, niceMax } from './scale.js';

describe('linearScale', () => {
  it('maps the domain ends to the range ends, inverted axes included', () => {
    const y = linearScale([0, 2], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(2)).toBe(0);
    expect(y(0.5)).toBe(75);
    expect(linearScale([1, 1], [0, 10])(5)).toBe(5);
  });
});

describe('niceMax', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(0.7)).toBe(1);
    expect(niceMax(0.69)).toBe(1);
    expect(niceMax(1.3)).toBe(2);
    expect(niceMax(2.2)).toBeCloseTo(2.5, 12);
    expect(niceMax(0.31)).toBeCloseTo(0.5, 12);
    expect(niceMax(0.5)).toBeCloseTo(0.5, 12);
    expect(niceMax(42)).toBe(50);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(Number.NaN)).toBe(1);
  });
});

describe('linePath', () => {
  it('draws through (i, v) and breaks at non-finite values', () => {
    const x = linearScale([0, 4], [0, 40]);
    const y = linearScale([0, 1], [10, 0]);
    expect(linePath([0, 0.5, Number.NaN, 1, 0.25], x, y)).toBe('M0 10L10 5M30 0L40 7.5');
    expect(linePath([], x, y)).toBe('');
  });
});
