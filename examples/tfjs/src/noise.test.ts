import { describe, expect, it } from 'vitest';
import { noisyLabelEntropy, symmetricNoise } from './noise.js';
import { mulberry32 } from './random.js';

describe('symmetricNoise', () => {
  it('flips exactly ⌊n·rate⌋ labels, each to another class, and leaves the rest', () => {
    const labels = Int32Array.from({ length: 1003 }, (_, i) => i % 10);
    const { labels: noisy, flipped } = symmetricNoise(labels, 0.4, 10, mulberry32(5));
    expect(flipped.length).toBe(401);
    expect(new Set(flipped).size).toBe(401);
    const flippedSet = new Set(flipped);
    let changed = 0;
    for (let i = 0; i < labels.length; i++) {
      if (flippedSet.has(i)) {
        expect(noisy[i]).not.toBe(labels[i]);
        expect(noisy[i]).toBeGreaterThanOrEqual(0);
        expect(noisy[i]).toBeLessThan(10);
      } else expect(noisy[i]).toBe(labels[i]);
      if (noisy[i] !== labels[i]) changed++;
    }
    expect(changed).toBe(401);
    expect(labels[0]).toBe(0); // input untouched
  });

  it('draws the new class uniformly over the other K − 1 classes', () => {
    const labels = new Int32Array(90_000); // all class 0
    const { labels: noisy } = symmetricNoise(labels, 0.9, 10, mulberry32(1));
    const counts = new Array(10).fill(0);
    for (const y of noisy) counts[y]++;
    expect(counts[0]).toBe(9000);
    // 81 000 flips over 9 classes: 9 000 each, binomial sd ≈ 89.
    for (let k = 1; k < 10; k++) expect(Math.abs(counts[k] - 9000)).toBeLessThan(450);
  });

  it('is the identity at rate 0 and rejects bad arguments', () => {
    const labels = Int32Array.from([1, 2, 3]);
    expect(Array.from(symmetricNoise(labels, 0, 4, mulberry32(1)).labels)).toEqual([1, 2, 3]);
    expect(() => symmetricNoise(labels, 1, 4, mulberry32(1))).toThrow(RangeError);
    expect(() => symmetricNoise(labels, 0.5, 1, mulberry32(1))).toThrow(/classes/);
    expect(() => symmetricNoise(Int32Array.from([7, 7]), 0.5, 4, mulberry32(1))).toThrow(/labels/);
  });
});

describe('noisyLabelEntropy', () => {
  it('is the entropy of the noisy label distribution (direct sum as the oracle)', () => {
    for (const [rate, k] of [
      [0.4, 10],
      [0.1, 2],
      [0.2, 10],
      [0.6, 10],
    ] as const) {
      const p = [1 - rate, ...new Array(k - 1).fill(rate / (k - 1))];
      const direct = -p.reduce((s, q) => s + q * Math.log(q), 0);
      expect(noisyLabelEntropy(rate, k)).toBeCloseTo(direct, 12);
    }
    expect(noisyLabelEntropy(0.4, 10)).toBeCloseTo(1.5519, 4);
    expect(noisyLabelEntropy(0, 10)).toBe(0);
    expect(() => noisyLabelEntropy(-0.1, 10)).toThrow(/rate/);
  });
});
