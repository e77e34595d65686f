import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum } from '../test/quadratic.js';
import { sortByMagnitude, symmetricEigen, tridiagonalEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('solves a 2×2 in closed form', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with vectors (1, 1)/√2 and (1, −1)/√2.
    const { values, vectors } = sortByMagnitude(
      symmetricEigen([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0]![0]! * vectors[0]![1]!)).toBeCloseTo(0.5, 14);
    expect(vectors[1]![0]! * vectors[1]![1]!).toBeCloseTo(-0.5, 14);
  });
  it('recovers a known indefinite spectrum with orthonormal eigenvectors', () => {
    const spectrum = [-9, 7, 4.5, -2, 1, 0.25, 0, -0.125, 3, 5];
    const a = matrixWithSpectrum(spectrum, 5);
    const { values, vectors } = symmetricEigen(a);
    expect([...values].sort((x, y) => x - y)).toEqual(
      [...spectrum].sort((x, y) => x - y).map((x) => expect.closeTo(x, 12)),
    );
    for (let i = 0; i < values.length; i++) {
      const v = vectors[i]!;
      const av = a.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
      av.forEach((x, j) => {
        expect(x).toBeCloseTo(values[i]! * v[j]!, 12);
      });
      for (let m = 0; m < values.length; m++) {
        const d = v.reduce((s, x, j) => s + x * vectors[m]![j]!, 0);
        expect(d).toBeCloseTo(i === m ? 1 : 0, 12);
      }
    }
  });
  it('rejects non-square and non-finite input', () => {
    expect(() => symmetricEigen([[1, 2]])).toThrow(RangeError);
    expect(() => symmetricEigen([[Number.NaN]])).toThrow(/finite/);
  });
});

describe('tridiagonalEigen', () => {
  it('matches the closed form of a Toeplitz tridiagonal, sorted by magnitude', () => {
    // diag a, off-diag b: λ_j = a + 2b·cos(jπ/(n+1)), j = 1..n.
    const n = 12;
    const a = -0.3;
    const b = 1.7;
    const exact = Array.from(
      { length: n },
      (_, j) => a + 2 * b * Math.cos(((j + 1) * Math.PI) / (n + 1)),
    );
    const { values } = tridiagonalEigen(Array(n).fill(a), Array(n - 1).fill(b));
    const sorted = [...exact].sort((x, y) => Math.abs(y) - Math.abs(x) || y - x);
    values.forEach((v, i) => {
      expect(v).toBeCloseTo(sorted[i]!, 12);
    });
    expect(Math.abs(values[0]!)).toBeGreaterThanOrEqual(Math.abs(values[1]!));
  });
  it('rejects a mismatched off-diagonal', () => {
    expect(() => tridiagonalEigen([1, 2], [])).toThrow(/beta/);
  });
});
