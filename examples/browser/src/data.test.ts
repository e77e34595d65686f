import { seededRandom } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { DISC_RADIUS, makeSplit, sinusoid, sinusoidLabel } from './data.js';

describe('sinusoidLabel', () => {
  it('follows sign(1.5 x1 + sin(1.5 x2)), checked by hand', () => {
    expect(sinusoidLabel(1, 0)).toBe(1); // 1.5 > 0
    expect(sinusoidLabel(-1, 0)).toBe(0); // -1.5 < 0
    // x1 = -0.5, x2 = π/3: -0.75 + sin(π/2) = 0.25 > 0
    expect(sinusoidLabel(-0.5, Math.PI / 3)).toBe(1);
    // x1 = 0.5, x2 = -π/3: 0.75 - 1 = -0.25 < 0
    expect(sinusoidLabel(0.5, -Math.PI / 3)).toBe(0);
  });
});

describe('sinusoid', () => {
  it('draws points in the disc and flips exactly floor(n · noise) labels', () => {
    const d = sinusoid(205, 0.1, seededRandom(3));
    expect(d.size).toBe(205);
    expect(d.x.length).toBe(410);
    expect(d.flipped.length).toBe(20);
    expect(new Set(d.flipped).size).toBe(20);
    let wrong = 0;
    for (let i = 0; i < d.size; i++) {
      const x1 = d.x[2 * i]!;
      const x2 = d.x[2 * i + 1]!;
      expect(Math.hypot(x1, x2)).toBeLessThanOrEqual(DISC_RADIUS + 1e-6);
      if (d.y[i] !== sinusoidLabel(x1, x2)) wrong++;
    }
    expect(wrong).toBe(20);
    for (const i of d.flipped) {
      expect(d.y[i]).toBe(1 - sinusoidLabel(d.x[2 * i]!, d.x[2 * i + 1]!));
    }
  });

  it('is uniform in area: about a quarter of the points lie within radius 1', () => {
    const d = sinusoid(4000, 0, seededRandom(5));
    let inner = 0;
    for (let i = 0; i < d.size; i++) if (Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!) < 1) inner++;
    // P(r < 1) = (1/2)^2 = 0.25; binomial sd = √(0.25·0.75/4000) ≈ 0.0068
    expect(Math.abs(inner / d.size - 0.25)).toBeLessThan(0.03);
  });

  it('rejects bad sizes and noise rates with a RangeError naming the argument', () => {
    expect(() => sinusoid(0, 0.1, seededRandom(1))).toThrow(/size/);
    expect(() => sinusoid(2.5, 0.1, seededRandom(1))).toThrow(RangeError);
    expect(() => sinusoid(10, -0.1, seededRandom(1))).toThrow(/noise/);
    expect(() => sinusoid(10, Number.NaN, seededRandom(1))).toThrow(RangeError);
  });
});

describe('makeSplit', () => {
  it('gives a noisy training set and a clean test set, reproducibly', () => {
    const a = makeSplit({ train: 100, test: 300, seed: 9 });
    const b = makeSplit({ train: 100, test: 300, seed: 9 });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.test.y).toEqual(b.test.y);
    expect(a.train.flipped.length).toBe(10);
    expect(a.test.flipped.length).toBe(0);
    for (let i = 0; i < a.test.size; i++) {
      expect(a.test.y[i]).toBe(sinusoidLabel(a.test.x[2 * i]!, a.test.x[2 * i + 1]!));
    }
  });
});
