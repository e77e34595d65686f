import { seededRandom } from '@flood/core';
import { sinusoid2d } from '@flood/example-data';
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
  it('is the shared Sinusoid2d with float32 labels for tensors', () => {
    const d = sinusoid(205, 0.1, seededRandom(3));
    const shared = sinusoid2d(205, 0.1, seededRandom(3));
    expect(d.y).toBeInstanceOf(Float32Array);
    expect([...d.y]).toEqual([...shared.y]);
    expect(d.x).toEqual(shared.x);
    expect(d.flipped).toEqual(shared.flipped);
    expect(DISC_RADIUS).toBe(2);
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
