import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arraySpace } from './array-space.js';

const n = 7;
const vec = fc
  .array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n })
  // Squares of |x| < 1e-150 underflow in the naive oracle; the space's scaled norm does not.
  .map((a) => Float64Array.from(a, (x) => (Math.abs(x) < 1e-150 ? 0 : x)));
const scalar = fc.double({ min: -1e3, max: 1e3, noNaN: true });

describe('arraySpace operations vs naive formulas', () => {
  const space = arraySpace(n);

  it('axpby, scale, add, sub, mul, absPlus are entrywise (property)', () => {
    fc.assert(
      fc.property(vec, vec, scalar, scalar, (x, y, a, b) => {
        const xs = Array.from(x);
        const ys = Array.from(y);
        expect(Array.from(space.axpby(a, x, b, y))).toEqual(xs.map((v, i) => a * v + b * ys[i]!));
        expect(Array.from(space.scale(x, a))).toEqual(xs.map((v) => a * v));
        expect(Array.from(space.add(x, y))).toEqual(xs.map((v, i) => v + ys[i]!));
        expect(Array.from(space.sub(x, y))).toEqual(xs.map((v, i) => v - ys[i]!));
        expect(Array.from(space.mul(x, y))).toEqual(xs.map((v, i) => v * ys[i]!));
        expect(Array.from(space.absPlus(x, 0.5))).toEqual(xs.map((v) => Math.abs(v) + 0.5));
      }),
    );
  });

  it('dot is Σxᵢyᵢ and norm is √Σxᵢ² (property)', () => {
    fc.assert(
      fc.property(vec, vec, (x, y) => {
        let d = 0;
        let s = 0;
        for (let i = 0; i < n; i++) {
          d += x[i]! * y[i]!;
          s += x[i]! * x[i]!;
        }
        expect(space.dot(x, y)).toBe(d);
        const norm = space.norm(x);
        expect(Math.abs(norm - Math.sqrt(s))).toBeLessThanOrEqual(1e-14 * Math.sqrt(s));
      }),
    );
  });

  it('norm neither overflows nor underflows, and propagates non-finite entries', () => {
    expect(space.norm(Float64Array.of(3e200, 4e200, 0, 0, 0, 0, 0))).toBeCloseTo(5e200, -186);
    expect(space.norm(Float64Array.of(3e-200, 4e-200, 0, 0, 0, 0, 0)) / 5e-200).toBeCloseTo(1, 14);
    expect(space.norm(new Float64Array(n))).toBe(0);
    expect(space.norm(Float64Array.of(Number.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 0))).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(space.norm(Float64Array.of(Number.NaN, 1, 0, 0, 0, 0, 0))).toBeNaN();
  });

  it('zeros, clone, and operations never alias or consume their inputs', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6, 7);
    expect(Array.from(space.zeros())).toEqual(new Array(n).fill(0));
    const c = space.clone(x);
    c[0] = 99;
    expect(x[0]).toBe(1);
    const s = space.scale(x, 1);
    expect(s).not.toBe(x);
    space.add(x, x);
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('scalar ops are float64 arithmetic', async () => {
    const s = space.scalar;
    expect(s.add(1, 2)).toBe(3);
    expect(s.sub(1, 2)).toBe(-1);
    expect(s.mul(3, 2)).toBe(6);
    expect(s.div(1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect([s.sign(-2), s.sign(0), s.sign(5)]).toEqual([-1, 0, 1]);
    expect(s.max(1, 2)).toBe(2);
    expect([s.greater(2, 1), s.greater(1, 1)]).toEqual([1, 0]);
    expect(await s.read(4)).toBe(4);
  });

  it('rejects vectors of the wrong length', () => {
    expect(() => space.add(new Float64Array(n), new Float64Array(n - 1))).toThrow(RangeError);
    expect(() => space.norm(new Float64Array(3))).toThrow(/vector must have length 7, got 3/);
  });
});

describe('arraySpace blocks', () => {
  it('splits into named blocks and round-trips through arrays', async () => {
    const space = arraySpace(5, [
      { name: 'w', shape: [2, 2] },
      { name: 'b', shape: [] },
    ]);
    expect(space.blocks.map((b) => [b.name, b.size])).toEqual([
      ['w', 4],
      ['b', 1],
    ]);
    const x = Float64Array.of(1, 2, 3, 4, 5);
    const parts = await space.toArrays(x);
    expect(parts.map((p) => Array.from(p))).toEqual([[1, 2, 3, 4], [5]]);
    expect(Array.from(space.fromArrays(parts))).toEqual([1, 2, 3, 4, 5]);
    expect(space.dimension).toBe(5);
    expect(space.machineEpsilon).toBe(Number.EPSILON);
  });

  it('rejects bad layouts', () => {
    expect(() => arraySpace(0)).toThrow(/dimension must be an integer >= 1/);
    expect(() => arraySpace(2.5)).toThrow(RangeError);
    expect(() => arraySpace(5, [{ name: 'w', shape: [2, 2] }])).toThrow(
      /blocks must add up to dimension 5, got 4/,
    );
    const space = arraySpace(3, [
      { name: 'a', shape: [1] },
      { name: 'b', shape: [2] },
    ]);
    expect(() => space.fromArrays([new Float64Array(1)])).toThrow(/expected 2 blocks/);
    expect(() => space.fromArrays([new Float64Array(1), new Float64Array(3)])).toThrow(
      /block b must have 2 entries, got 3/,
    );
  });
});
