import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';

/**
 * An independent mulberry32, written from the published algorithm (bryc,
 * `PRNGs.md`) in exact BigInt arithmetic mod 2³² instead of `Math.imul` and
 * `>>>`: returns the raw 32-bit outputs.
 */
function mulberry32Reference(seed: number, count: number): bigint[] {
  const mod = 2n ** 32n;
  const mul = (a: bigint, b: bigint) => (a * b) % mod;
  let state = BigInt(seed) % mod;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5n) % mod;
    let t = mul(state ^ (state >> 15n), state | 1n);
    t = ((t + mul(t ^ (t >> 7n), t | 61n)) % mod) ^ t;
    out.push(t ^ (t >> 14n));
  }
  return out;
}

const draws = (seed: number, count: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random());
};

describe('seededRandom', () => {
  it('returns the known mulberry32 outputs (32-bit integers / 2³², checked with Python big ints)', () => {
    const known: [number, number[]][] = [
      [0, [1144304738, 1416247, 958946056]],
      [1, [2693262067, 11749833, 2265367787]],
      [42, [2581720956, 1925393290, 3661312704]],
      [2 ** 32 - 1, [3850105811, 813802916, 3073704848]],
    ];
    for (const [seed, ints] of known) {
      expect(draws(seed, 3)).toEqual(ints.map((k) => k / 2 ** 32));
    }
    expect(draws(0, 1)[0]).toBe(0.26642920868471265);
    expect(draws(42, 2)).toEqual([0.6011037519201636, 0.44829055899754167]);
  });

  it('equals an independent BigInt mulberry32 for any seed in [0, 2³²)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const reference = mulberry32Reference(seed, 50).map((k) => Number(k) / 2 ** 32);
        expect(draws(seed, 50)).toEqual(reference);
      }),
      { numRuns: 200 },
    );
    for (const seed of [0, 1, 2 ** 31, 2 ** 32 - 1]) {
      expect(draws(seed, 2000)).toEqual(
        mulberry32Reference(seed, 2000).map((k) => Number(k) / 2 ** 32),
      );
    }
  });

  it('is deterministic under a seed, differs across seeds, and keeps one state per generator', () => {
    expect(draws(7, 20)).toEqual(draws(7, 20));
    expect(draws(8, 20)).not.toEqual(draws(7, 20));
    const a = seededRandom(7);
    const b = seededRandom(7);
    const interleaved = Array.from({ length: 10 }, () => [a(), b()]);
    expect(interleaved.map(([x]) => x)).toEqual(draws(7, 10));
    expect(interleaved.map(([, y]) => y)).toEqual(draws(7, 10));
  });

  it('draws multiples of 2⁻³² in [0, 1) with the moments of U(0, 1)', () => {
    const n = 100_000;
    const xs = draws(3, n);
    expect(xs.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 2 ** 32))).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    // U(0, 1): mean 1/2 (standard error 1/√(12n) ≈ 0.0009), variance 1/12 ≈ 0.0833
    // (standard error √(1/180 / n) ≈ 0.00024); the bounds are about 5 standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0012);
    // Ten equal bins each hold about a tenth (standard error ≈ 0.00095).
    const bins = new Array<number>(10).fill(0);
    for (const x of xs) bins[Math.floor(10 * x)]! += 1 / n;
    for (const p of bins) expect(Math.abs(p - 0.1)).toBeLessThan(0.005);
  });

  it('rejects a seed that is not an integer in [0, 2³²), naming seed and the range', () => {
    const bad = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -1,
      1.5,
      2 ** 32,
      2 ** 53,
      '3' as unknown as number,
    ];
    for (const seed of bad) {
      expect(() => seededRandom(seed)).toThrow(RangeError);
      expect(() => seededRandom(seed)).toThrow(/^seed must be an integer in \[0, 2\^32\), got /);
    }
    expect(() => seededRandom(-1)).toThrow('seed must be an integer in [0, 2^32), got -1');
    expect(() => seededRandom(0)).not.toThrow();
    expect(() => seededRandom(2 ** 32 - 1)).not.toThrow();
  });
});
