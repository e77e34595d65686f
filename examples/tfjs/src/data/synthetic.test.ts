import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { classCounts } from './dataset.js';
import { gaussian, spiral, twoGaussians } from './synthetic.js';

describe('gaussian', () => {
  it('has mean 0 and variance 1 (20 000 draws)', () => {
    const r = mulberry32(3);
    const v = Array.from({ length: 20_000 }, () => gaussian(r));
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.03); // sd of the mean 0.007
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('twoGaussians', () => {
  it('puts class 1 around mean·1 and flips ⌊n·noise⌋ labels', () => {
    const clean = twoGaussians(2000, 0, mulberry32(1));
    expect(classCounts(clean)).toEqual([1000, 1000]);
    let m0 = 0;
    let m1 = 0;
    for (let i = 0; i < 2000; i++) {
      const s = clean.x.subarray(i * 10, i * 10 + 10).reduce((a, b) => a + b, 0) / 10;
      if (clean.y[i] === 0) m0 += s / 1000;
      else m1 += s / 1000;
    }
    expect(Math.abs(m0)).toBeLessThan(0.05);
    expect(Math.abs(m1 - 1)).toBeLessThan(0.05);
    const noisy = twoGaussians(2000, 0.1, mulberry32(1));
    let flipped = 0;
    for (let i = 0; i < 2000; i++) if (noisy.y[i] !== clean.y[i]) flipped++;
    expect(flipped).toBe(200);
    expect(() => twoGaussians(1, 0, mulberry32(1))).toThrow(/n must/);
  });
});

describe('spiral', () => {
  it('puts class 1 at radius a + π and class 0 at radius a (spread 0: exact)', () => {
    const d = spiral(400, 0, mulberry32(2), 0);
    for (let i = 0; i < d.n; i++) {
      const [u, v] = [d.x[2 * i]!, d.x[2 * i + 1]!];
      const radius = Math.hypot(u, v);
      let a = Math.atan2(v, u);
      // radius − label·π is a, and a ≡ atan2 (mod 2π).
      const base = radius - d.y[i]! * Math.PI;
      a = ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      const diff = (((base - a) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      expect(Math.min(diff, 2 * Math.PI - diff)).toBeLessThan(1e-4);
    }
    expect(classCounts(d)).toEqual([200, 200]);
    expect(() => spiral(10, 1, mulberry32(1))).toThrow(/noise/);
  });
});
