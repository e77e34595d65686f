import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayObjective } from '../array-objective.js';
import { floodProposal } from './flooding.js';
import { plainStep } from './plain.js';

/** L(θ) = ½‖θ‖² + 1: loss ≥ 1, gradient θ. */
const objectiveAt = (theta: number[]) =>
  arrayObjective(
    (t) => ({ loss: 0.5 * t.reduce((s, x) => s + x * x, 0) + 1, gradient: t.slice() }),
    Float64Array.from(theta),
  );

describe('floodProposal', () => {
  it('keeps the gradient above the level, flips it below, zeroes it at the level', () => {
    const obj = objectiveAt([1, -2]); // L = 3.5
    const above = floodProposal(obj.space, plainStep(obj), 3);
    expect(Array.from(above.gradient)).toEqual([1, -2]);
    expect(above.ascended).toBe(0);
    const below = floodProposal(obj.space, plainStep(obj), 4);
    expect(Array.from(below.gradient)).toEqual([-1, 2]);
    expect(below.ascended).toBe(1);
    const at = floodProposal(obj.space, plainStep(obj), 3.5);
    expect(Array.from(at.gradient).map(Math.abs)).toEqual([0, 0]);
    expect(at.ascended).toBe(0);
    expect(at.loss).toBe(3.5); // the raw loss is passed through
    expect(at.gradientEvaluations).toBe(1);
  });

  it('is the gradient of |L − b| + b: matches a central difference of floodedLoss', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        (x, y, b) => {
          const obj = objectiveAt([x, y]);
          const loss = 0.5 * (x * x + y * y) + 1;
          fc.pre(Math.abs(loss - b) > 1e-3);
          const flooded = (t: number[]) => Math.abs(0.5 * (t[0]! ** 2 + t[1]! ** 2) + 1 - b) + b;
          const h = 1e-6;
          const fd = [
            (flooded([x + h, y]) - flooded([x - h, y])) / (2 * h),
            (flooded([x, y + h]) - flooded([x, y - h])) / (2 * h),
          ];
          const p = floodProposal(obj.space, plainStep(obj), b);
          expect(p.gradient[0]).toBeCloseTo(fd[0]!, 5);
          expect(p.gradient[1]).toBeCloseTo(fd[1]!, 5);
        },
      ),
    );
  });

  it('rejects a negative or non-finite level', () => {
    const obj = objectiveAt([1, 2]);
    for (const level of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => floodProposal(obj.space, plainStep(obj), level)).toThrow(
        /level must be a finite number >= 0/,
      );
    }
  });
});
