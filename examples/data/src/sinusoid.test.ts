import { seededRandom } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { permutation, SINUSOID_RADIUS, sinusoid2d, sinusoidLabel } from './sinusoid.js';

describe('sinusoid2d', () => {
  it('draws points in the disc with their clean labels, then flips exactly ⌊n·noise⌋ distinct ones', () => {
    const n = 2001;
    const data = sinusoid2d(n, 0.1, seededRandom(1));
    expect(data.size).toBe(n);
    expect(data.flipped).toHaveLength(200);
    expect(new Set(data.flipped).size).toBe(200);
    expect([...data.flipped]).toEqual([...data.flipped].sort((a, b) => a - b));
    const flipped = new Set(data.flipped);
    let positives = 0;
    for (let i = 0; i < n; i++) {
      const [x1, x2] = [data.x[2 * i]!, data.x[2 * i + 1]!];
      expect(Math.hypot(x1, x2)).toBeLessThanOrEqual(SINUSOID_RADIUS + 1e-6);
      const clean = sinusoidLabel(x1, x2);
      expect(data.y[i]).toBe(flipped.has(i) ? 1 - clean : clean);
      positives += clean;
    }
    // The boundary 1.5·x₁ + sin(1.5·x₂) = 0 is point-symmetric: about half the points are positive.
    expect(Math.abs(positives / n - 0.5)).toBeLessThan(0.05);
  });

  it('fills the disc uniformly: a quarter of the points within radius 1', () => {
    const data = sinusoid2d(4000, 0, seededRandom(2));
    let inner = 0;
    for (let i = 0; i < data.size; i++)
      inner += Math.hypot(data.x[2 * i]!, data.x[2 * i + 1]!) < 1 ? 1 : 0;
    // Binomial(4000, 1/4): standard deviation ≈ 27.
    expect(Math.abs(inner - 1000)).toBeLessThan(110);
  });

  it('is the same for the same seed and different for another', () => {
    expect(sinusoid2d(10, 0.3, seededRandom(5))).toEqual(sinusoid2d(10, 0.3, seededRandom(5)));
    expect(sinusoid2d(10, 0.3, seededRandom(6))).not.toEqual(sinusoid2d(10, 0.3, seededRandom(5)));
  });

  it('refuses bad sizes and noise levels, naming the argument', () => {
    expect(() => sinusoid2d(0, 0.1, seededRandom(1))).toThrow(/size/);
    expect(() => sinusoid2d(2.5, 0.1, seededRandom(1))).toThrow(RangeError);
    expect(() => sinusoid2d(10, -0.1, seededRandom(1))).toThrow(/noise/);
    expect(() => sinusoid2d(10, Number.NaN, seededRandom(1))).toThrow(/noise/);
  });
});

describe('permutation', () => {
  it('is a permutation, and every position is equally likely for an element', () => {
    const random = seededRandom(3);
    const counts = new Array(4).fill(0);
    for (let t = 0; t < 4000; t++) {
      const p = permutation(4, random);
      expect([...p].sort()).toEqual([0, 1, 2, 3]);
      counts[p.indexOf(0)] += 1;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(110);
  });
});
