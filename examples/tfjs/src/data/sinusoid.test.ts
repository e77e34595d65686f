import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { SINUSOID_RADIUS, sinusoid2d, sinusoidLabel } from './sinusoid.js';

describe('sinusoidLabel', () => {
  it('is the sign of 1.5·x1 + sin(1.5·x2), hand-checked', () => {
    expect(sinusoidLabel(1, 0)).toBe(1);
    expect(sinusoidLabel(-1, 0)).toBe(0);
    // 1.5·0.5 + sin(−1.5·1.5) = 0.75 − 0.778 < 0
    expect(sinusoidLabel(0.5, -1.5)).toBe(0);
    // 1.5·0.5 + sin(−1.5·0.2) = 0.75 − 0.296 > 0
    expect(sinusoidLabel(0.5, -0.2)).toBe(1);
  });
});

describe('sinusoid2d', () => {
  it('puts every point in the disc of radius 2 and fills it', () => {
    const d = sinusoid2d(2000, 0, mulberry32(1));
    let outer = 0;
    for (let i = 0; i < d.n; i++) {
      const r = Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!);
      expect(r).toBeLessThanOrEqual(SINUSOID_RADIUS);
      if (r > SINUSOID_RADIUS / Math.SQRT2) outer++;
    }
    // Uniform in area: half the points lie outside radius 2/√2.
    expect(outer / d.n).toBeGreaterThan(0.45);
    expect(outer / d.n).toBeLessThan(0.55);
  });

  it('flips exactly ⌊n·noise⌋ labels', () => {
    const n = 205;
    const d = sinusoid2d(n, 0.1, mulberry32(4));
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (d.y[i] !== sinusoidLabel(d.x[2 * i]!, d.x[2 * i + 1]!)) wrong++;
    }
    expect(wrong).toBe(20);
  });

  it('is clean without noise, reproducible, and has both classes', () => {
    const a = sinusoid2d(300, 0, mulberry32(9));
    const b = sinusoid2d(300, 0, mulberry32(9));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    for (let i = 0; i < a.n; i++) expect(a.y[i]).toBe(sinusoidLabel(a.x[2 * i]!, a.x[2 * i + 1]!));
    const ones = a.y.reduce((s, v) => s + v, 0);
    expect(ones).toBeGreaterThan(90);
    expect(ones).toBeLessThan(210);
  });

  it('rejects bad sizes and noise rates', () => {
    expect(() => sinusoid2d(0, 0.1, mulberry32(1))).toThrow(/n must be a positive integer/);
    expect(() => sinusoid2d(10, 1, mulberry32(1))).toThrow(/noise must be in \[0, 1\)/);
  });
});
