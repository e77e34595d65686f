/**
 * A small dense symmetric eigen-solver on the host (cyclic Jacobi rotations), used
 * for the Lanczos tridiagonal matrices and as a test oracle.
 *
 * @module
 */

/** Eigen-decomposition `A = V·diag(values)·Vᵀ` of a symmetric matrix. */
export interface SymmetricEigen {
  /** The eigenvalues, in no particular order. */
  values: number[];
  /** `vectors[i]` is the unit eigenvector of `values[i]` (length `n`). */
  vectors: number[][];
}

/**
 * Eigenvalues and eigenvectors of a real symmetric `n×n` matrix by the cyclic
 * Jacobi method (Golub & Van Loan §8.5): rotations annihilate each off-diagonal
 * entry in turn until the off-diagonal mass is below `1e-15·‖A‖_F` (quadratic
 * convergence; accurate to a few ulps of `‖A‖`). Cost O(n³) per sweep, a handful
 * of sweeps: for the small matrices here (n ≲ 300).
 *
 * @param matrix - rows of a symmetric matrix (only symmetry up to rounding is
 *   assumed: the mean of `A` and `Aᵀ` is decomposed). Not modified.
 * @throws RangeError if the matrix is not square or has non-finite entries.
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigen {
  const n = matrix.length;
  const a: number[][] = matrix.map((row, i) => {
    if (row.length !== n) {
      throw new RangeError(`matrix must be square: row ${i} has ${row.length} entries, not ${n}`);
    }
    return row.map((x, j) => {
      if (!Number.isFinite(x)) throw new RangeError(`matrix[${i}][${j}] must be finite, got ${x}`);
      return 0.5 * (x + matrix[j]![i]!);
    });
  });
  const v: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  let total = 0;
  for (const row of a) for (const x of row) total += x * x;
  const threshold = 1e-30 * total;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p]![q]! ** 2;
    if (off <= threshold) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q] (Rutishauser's stable form).
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return {
    values: a.map((row, i) => row[i]!),
    vectors: Array.from({ length: n }, (_, i) => v.map((row) => row[i]!)),
  };
}

/**
 * The eigenvalues of the symmetric tridiagonal matrix with diagonal `alpha` and
 * off-diagonal `beta` (`beta.length = alpha.length − 1`), with their unit
 * eigenvectors, sorted by decreasing magnitude (ties: positive first).
 */
export function tridiagonalEigen(
  alpha: readonly number[],
  beta: readonly number[],
): SymmetricEigen {
  const n = alpha.length;
  if (beta.length !== Math.max(0, n - 1)) {
    throw new RangeError(`beta must have ${Math.max(0, n - 1)} entries, got ${beta.length}`);
  }
  const m: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      i === j ? alpha[i]! : j === i + 1 ? beta[i]! : i === j + 1 ? beta[j]! : 0,
    ),
  );
  return sortByMagnitude(symmetricEigen(m));
}

/** The pairs sorted by decreasing `|λ|`; equal magnitudes: the positive one first. */
export function sortByMagnitude(eigen: SymmetricEigen): SymmetricEigen {
  const order = eigen.values
    .map((value, i) => ({ value, i }))
    .sort((x, y) => Math.abs(y.value) - Math.abs(x.value) || y.value - x.value)
    .map((e) => e.i);
  return {
    values: order.map((i) => eigen.values[i]!),
    vectors: order.map((i) => eigen.vectors[i]!),
  };
}
