import { seededRandom } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { sinusoid } from './sinusoid.js';

describe('sinusoid', () => {
  it('puts points in the disc of radius 2 and flips ⌊n·noise⌋ of the labels', () => {
    const n = 4000;
    const data = sinusoid(n, 0.1, seededRandom(1));
    let flipped = 0;
    for (let i = 0; i < n; i++) {
      const [x1, x2] = [data.x[2 * i]!, data.x[2 * i + 1]!];
      expect(Math.hypot(x1, x2)).toBeLessThanOrEqual(2);
      const clean = 1.5 * x1 + Math.sin(1.5 * x2) > 0 ? 1 : 0;
      if (data.y[i] !== clean) flipped++;
    }
    expect(flipped).toBe(400);
  });
  it('is the same for the same seed', () => {
    expect(sinusoid(10, 0.1, seededRandom(5))).toEqual(sinusoid(10, 0.1, seededRandom(5)));
  });
});
