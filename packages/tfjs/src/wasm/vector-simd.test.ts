import { describe, expect, it } from 'vitest';
import { U32, values } from '../../test/wasm-kernel-check.js';
import { VECTOR_MODULE, type VectorSimd, vectorSimdFor } from './vector-simd.js';

/** A memory of its own with the loops, and float32 arrays placed in it at byte offsets. */
function setup(bytes: number) {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const simd = vectorSimdFor(memory) as VectorSimd;
  const put = (at: number, data: ArrayLike<number>) =>
    new Float32Array(memory.buffer, at, data.length).set(data);
  const get = (at: number, n: number) => new Float32Array(memory.buffer, at, n);
  return { memory, simd, put, get };
}

/** Float64 oracle of Σ t(i) and Σ |t(i)|. */
function oracle(n: number, t: (i: number) => number): { value: number; abs: number } {
  let value = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    value += t(i);
    abs += Math.abs(t(i));
  }
  return { value, abs };
}

/**
 * Float32 accumulation in 32 lanes, combined pairwise, then up to 31 tail entries:
 * within (n/32 + 36)·u·Σ|t| of the exact sum (the module's bound, plus the final rounding).
 */
function expectSum(got: number, n: number, t: (i: number) => number) {
  const { value, abs } = oracle(n, t);
  expect(Math.abs(got - value)).toBeLessThanOrEqual(
    (n / 32 + 36) * U32 * abs + Math.abs(value) * U32,
  );
}

const SIZES = [0, 1, 3, 4, 7, 8, 31, 32, 33, 63, 127, 129, 1003, 200_000, 200_003];

describe('vector-simd: fused float32 loops in WebAssembly', () => {
  it('the module validates (SIMD) and is small enough to compile synchronously everywhere', () => {
    expect(WebAssembly.validate(VECTOR_MODULE)).toBe(true);
    expect(VECTOR_MODULE.length).toBeLessThan(4096);
  });

  for (const n of SIZES) {
    // Byte offsets 0 and 4 (not 16-aligned) for x; y elsewhere, misaligned by 8.
    for (const shift of [0, 4]) {
      it(`n = ${n}, x at +${shift}: sum, sum of squares and dot equal a float64 oracle to float32 rounding`, () => {
        const { simd, put } = setup(8 * n + 64);
        const x = values(n, 3 + n);
        const y = values(n, 5 + n);
        const [ax, ay] = [shift, 4 * n + 8 + shift + 8];
        put(ax, x);
        put(ay, y);
        expectSum(simd.sum(ax, n), n, (i) => x[i]!);
        expectSum(simd.sumOfSquares(ax, n), n, (i) => x[i]! * x[i]!);
        expectSum(simd.dot(ax, ay, n), n, (i) => x[i]! * y[i]!);
        if (n === 0) expect(simd.sum(ax, 0)).toBe(0);
      });

      it(`n = ${n}, x at +${shift}: axpby equals fl(fl(a·x) + fl(b·y)) bit for bit, nothing else written`, () => {
        const { simd, put, get } = setup(12 * n + 96);
        const x = values(n, 7 + n);
        const y = values(n, 11 + n);
        const [ax, ay, out] = [shift, 4 * n + 16 + shift, 8 * n + 32 + shift];
        put(ax, x);
        put(ay, y);
        const guard = get(out + 4 * n, 4);
        guard.fill(42);
        const [a, b] = [Math.fround(-0.37), Math.fround(1.9)];
        simd.axpby(out, a, ax, b, ay, n);
        const want = Float32Array.from(x, (xi, i) =>
          Math.fround(Math.fround(a * xi) + Math.fround(b * y[i]!)),
        );
        expect(get(out, n)).toEqual(want);
        expect(Array.from(guard)).toEqual([42, 42, 42, 42]);
      });
    }
  }

  describe('non-finite values propagate as in a plain float32 sum', () => {
    const n = 1003;
    /** Entries set to a special value: `[index, value]` pairs (indices ≥ 992 are in the tail). */
    const cases: [string, [number, number][], number][] = [
      ['a NaN in a vector lane', [[100, Number.NaN]], Number.NaN],
      ['a NaN in the tail', [[n - 1, Number.NaN]], Number.NaN],
      ['+∞', [[5, Number.POSITIVE_INFINITY]], Number.POSITIVE_INFINITY],
      ['−∞ in the tail', [[n - 2, Number.NEGATIVE_INFINITY]], Number.NEGATIVE_INFINITY],
      [
        '+∞ and −∞ in different lanes',
        [
          [0, Infinity],
          [1, -Infinity],
        ],
        Number.NaN,
      ],
      [
        '+∞ in a lane and −∞ in the tail',
        [
          [3, Infinity],
          [n - 1, -Infinity],
        ],
        Number.NaN,
      ],
    ];
    /** A plain float32 sum, one entry at a time. */
    const plain = (x: Float32Array, t: (v: number, i: number) => number) =>
      x.reduce((acc, v, i) => Math.fround(acc + Math.fround(t(v, i))), 0);
    for (const [label, pokes, want] of cases) {
      it(`${label}: sum, sum of squares and dot are what a plain float32 sum gives`, () => {
        const { simd, put } = setup(8 * n);
        const x = values(n, 1);
        const y = values(n, 2);
        for (const [i, v] of pokes) x[i] = v;
        put(0, x);
        put(4 * n, y);
        expect(simd.sum(0, n)).toBe(want);
        expect(simd.sum(0, n)).toBe(plain(x, (v) => v));
        expect(simd.sumOfSquares(0, n)).toBe(plain(x, (v) => v * v));
        expect(simd.dot(0, 4 * n, n)).toBe(plain(x, (v, i) => v * y[i]!));
      });
    }

    it('an overflowing sum of squares is +∞, an overflowing dot ±∞, though every entry is finite', () => {
      const m = 100;
      const { simd, put } = setup(8 * m);
      const big = new Float32Array(m).fill(2e19); // (2e19)² = 4e38 > 3.4e38: each square overflows
      put(0, big);
      expect(simd.sumOfSquares(0, m)).toBe(Number.POSITIVE_INFINITY);
      const large = new Float32Array(m).fill(1e37); // no single product overflows, their sum does
      put(4 * m, large);
      expect(simd.dot(4 * m, 4 * m, m)).toBe(Number.POSITIVE_INFINITY);
      const neg = Float32Array.from(large, (v) => -v * 1e-1);
      put(0, neg);
      expect(simd.dot(0, 4 * m, m)).toBe(Number.NEGATIVE_INFINITY);
      put(0, new Float32Array(m).fill(3e38));
      expect(simd.sum(0, m)).toBe(Number.POSITIVE_INFINITY);
    });
  });

  it('falls back (undefined, no throw) on a shared memory or a module the engine refuses', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    expect(vectorSimdFor(shared)).toBeUndefined();
    const plain = new WebAssembly.Memory({ initial: 1 });
    const broken = VECTOR_MODULE.slice();
    broken[broken.length - 1] = 0xff; // the last body's `end` replaced: invalid
    expect(WebAssembly.validate(broken)).toBe(false);
    expect(vectorSimdFor(plain, broken)).toBeUndefined();
    expect(vectorSimdFor(plain)).toBeDefined();
    expect(vectorSimdFor(plain)).toBe(vectorSimdFor(plain)); // one instance per memory
  });

  it('keeps working after the memory grows (the backend heap grows as tensors are made)', () => {
    const { memory, simd } = setup(64);
    memory.grow(3);
    const at = 3 * 65536;
    new Float32Array(memory.buffer, at, 5).set([1, 2, 3, 4, 5]);
    expect(simd.sum(at, 5)).toBe(15);
  });
});
