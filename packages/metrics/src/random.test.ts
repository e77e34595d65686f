import { arraySpace } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { randomArrays, randomVector, seededGenerator } from './random.js';

describe('seededGenerator', () => {
  it('is deterministic under a seed and differs across seeds', () => {
    const a = seededGenerator(7);
    const b = seededGenerator(7);
    const c = seededGenerator(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });
  it('matches the published mulberry32 for seeds 0, 1 and 2³² − 1', () => {
    // Reference implementation (bryc/code, jshash/PRNGs.md); seed 0 → 0x6d2b79f5 state.
    for (const seed of [0, 1, 2 ** 32 - 1]) {
      let s = seed;
      const ref = () => {
        s = (s + 0x6d2b79f5) | 0;
        let t = Math.imul(s ^ (s >>> 15), 1 | s);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const r = seededGenerator(seed);
      for (let i = 0; i < 100; i++) expect(r.uniform()).toBe(ref());
    }
    expect(seededGenerator(0).uniform()).toBe(0.26642920868471265);
  });
  it('draws standard normals and Rademacher signs with the right moments', () => {
    const r = seededGenerator(3);
    const n = 40_000;
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.gaussian();
      m1 += z / n;
      m2 += (z * z) / n;
      m4 += z ** 4 / n;
    }
    // Standard errors: 1/√n = 0.005, √2/√n = 0.007, √96/√n = 0.05.
    expect(Math.abs(m1)).toBeLessThan(0.02);
    expect(Math.abs(m2 - 1)).toBeLessThan(0.03);
    expect(Math.abs(m4 - 3)).toBeLessThan(0.2);
    const signs = Array.from({ length: n }, () => r.rademacher());
    expect(signs.every((x) => x === 1 || x === -1)).toBe(true);
    expect(Math.abs(signs.reduce((a, b) => a + b, 0) / n)).toBeLessThan(0.02);
  });
  it('rejects a bad seed', () => {
    expect(() => seededGenerator(-1)).toThrow(RangeError);
    expect(() => seededGenerator(1.5)).toThrow(/seed/);
    expect(() => seededGenerator(2 ** 32)).toThrow(/seed/);
    for (const seed of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => seededGenerator(seed)).toThrow(/^seed must be an integer in \[0, 2\^32\)/);
    }
  });
});

describe('randomVector', () => {
  it('fills every block in order', () => {
    const space = arraySpace(7, [
      { name: 'w', shape: [2, 2] },
      { name: 'b', shape: [3] },
    ]);
    const arrays = randomArrays(space, seededGenerator(1), 'rademacher');
    expect(arrays.map((a) => a.length)).toEqual([4, 3]);
    const v = randomVector(space, seededGenerator(1), 'rademacher');
    expect(Array.from(v)).toEqual([...arrays[0]!, ...arrays[1]!]);
  });
});
