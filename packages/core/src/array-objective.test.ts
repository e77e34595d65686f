import { describe, expect, it } from 'vitest';
import { arrayObjective } from './array-objective.js';

/** L = Σ (i+1)·θᵢ², ∇L = 2(i+1)θᵢ. */
const weighted = (t: Float64Array) => ({
  loss: t.reduce((s, x, i) => s + (i + 1) * x * x, 0),
  gradient: t.map((x, i) => 2 * (i + 1) * x),
});

describe('arrayObjective', () => {
  it('evaluates at θ and θ + δ without moving θ', () => {
    const obj = arrayObjective(weighted, Float64Array.of(1, -1));
    expect(obj.evaluate()).toEqual({ loss: 3, gradient: Float64Array.of(2, -4) });
    const at = obj.evaluate(Float64Array.of(1, 1)); // θ + δ = (2, 0)
    expect(at.loss).toBe(4);
    expect(Array.from(at.gradient)).toEqual([4, 0]);
    expect(obj.loss(Float64Array.of(0, 2))).toBe(1 + 2);
    expect(Array.from(obj.parameters())).toEqual([1, -1]);
  });

  it('never moves θ, even when fn mutates its argument or throws', () => {
    const initial = Float64Array.of(1, 2, 3);
    const obj = arrayObjective((t) => {
      t.fill(42); // scribble over the argument
      throw new Error('boom');
    }, initial);
    expect(() => obj.evaluate(Float64Array.of(1, 1, 1))).toThrow('boom');
    expect(() => obj.evaluate()).toThrow('boom');
    expect(() => obj.loss()).toThrow('boom');
    expect(Array.from(obj.parameters())).toEqual([1, 2, 3]);
    initial[0] = 7; // the objective owns a copy
    expect(obj.parameters()[0]).toBe(1);
  });

  it('hands out copies: mutating parameters() or a gradient does not touch θ', () => {
    const obj = arrayObjective((t) => ({ loss: 0, gradient: t }), Float64Array.of(1, 2));
    obj.parameters()[0] = 9;
    obj.evaluate().gradient[1] = 9;
    expect(Array.from(obj.parameters())).toEqual([1, 2]);
  });

  it('moveBy adds δ for good; setParameters replaces θ', () => {
    const obj = arrayObjective(weighted, Float64Array.of(1, -1));
    obj.moveBy(Float64Array.of(0.5, 1));
    expect(Array.from(obj.parameters())).toEqual([1.5, 0]);
    obj.setParameters(Float64Array.of(3, 4));
    expect(Array.from(obj.parameters())).toEqual([3, 4]);
    expect(() => obj.setParameters(Float64Array.of(1))).toThrow(/length 2/);
    expect(() => obj.moveBy(Float64Array.of(1))).toThrow(RangeError);
  });

  it('offers an exact Hessian-vector product at the current θ only when given one', () => {
    const plain = arrayObjective(weighted, Float64Array.of(1, 1));
    expect(plain.hessianVectorProduct).toBeUndefined();
    const seen: number[][] = [];
    const obj = arrayObjective(weighted, Float64Array.of(1, 1), {
      hessianVectorProduct: (t, v) => {
        seen.push(Array.from(t));
        return v.map((x, i) => 2 * (i + 1) * x);
      },
    });
    obj.moveBy(Float64Array.of(1, 0));
    expect(Array.from(obj.hessianVectorProduct!(Float64Array.of(1, 1)))).toEqual([2, 4]);
    expect(seen).toEqual([[2, 1]]);
    expect(() => obj.hessianVectorProduct!(Float64Array.of(1))).toThrow(/v must be/);
  });

  it('rejects bad inputs and malformed results', () => {
    expect(() => arrayObjective(weighted, new Float64Array(0))).toThrow(/initial must be/);
    expect(() => arrayObjective(weighted, [1, 2] as unknown as Float64Array)).toThrow(RangeError);
    expect(() => arrayObjective(42 as unknown as typeof weighted, Float64Array.of(1))).toThrow(
      /fn must be a function/,
    );
    const short = arrayObjective(
      () => ({ loss: 0, gradient: new Float64Array(1) }),
      Float64Array.of(1, 2),
    );
    expect(() => short.evaluate()).toThrow(/gradient must be a Float64Array of length 2/);
    const noLoss = arrayObjective(
      () => ({ loss: undefined as unknown as number, gradient: new Float64Array(2) }),
      Float64Array.of(1, 2),
    );
    expect(() => noLoss.evaluate()).toThrow(/loss must be a number/);
  });
});
