import { describe, expect, it } from 'vitest';
import { arrayObjective } from '../array-objective.js';
import { arraySpace } from '../array-space.js';
import { plainStep } from './plain.js';
import { probeAt, towards, ZERO_NORM } from './probe.js';

const space = arraySpace(3);

describe('towards', () => {
  it('is radius·v/‖v‖', () => {
    const v = Float64Array.of(3, 0, -4); // ‖v‖ = 5
    expect(Array.from(towards(space, v, 5, 10))).toEqual([6, 0, -8]);
  });

  it('is the zero vector when ‖v‖ < 1e-30 (zero gradient: direction undefined)', () => {
    expect(ZERO_NORM).toBe(1e-30);
    const zero = towards(space, new Float64Array(3), 0, 1);
    expect(zero.every((x) => x === 0)).toBe(true);
    const tiny = Float64Array.of(1e-31, 0, 0);
    expect(towards(space, tiny, 1e-31, 1).every((x) => x === 0)).toBe(true);
    // Just above the threshold the direction is used.
    const small = Float64Array.of(2e-30, 0, 0);
    expect(Array.from(towards(space, small, 2e-30, 1))).toEqual([1, 0, 0]);
  });

  it('rejects a negative or non-finite radius', () => {
    for (const r of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => towards(space, Float64Array.of(1, 0, 0), 1, r)).toThrow(
        /radius must be a finite number >= 0/,
      );
    }
  });
});

describe('probeAt and plainStep', () => {
  /** L = ½‖θ‖², ∇L = θ. */
  const obj = () =>
    arrayObjective(
      (t) => ({ loss: 0.5 * t.reduce((s, x) => s + x * x, 0), gradient: t.slice() }),
      Float64Array.of(1, 2, 2),
    );

  it('probeAt evaluates at θ + δ and leaves θ alone', () => {
    const o = obj();
    const e = probeAt(o, Float64Array.of(1, 0, -2));
    expect(e.loss).toBe(0.5 * (4 + 4 + 0));
    expect(Array.from(e.gradient)).toEqual([2, 2, 0]);
    expect(Array.from(o.parameters())).toEqual([1, 2, 2]);
  });

  it('plainStep hands over g0 with its norm and one evaluation', () => {
    const p = plainStep(obj());
    expect(Array.from(p.gradient)).toEqual([1, 2, 2]);
    expect(p.gradientNorm).toBe(3);
    expect(p.loss).toBe(4.5);
    expect(p.gradientEvaluations).toBe(1);
    expect(p.displacement).toBeUndefined();
  });
});
