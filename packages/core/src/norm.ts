/**
 * `‖a‖₂ = √(Σ aᵢ²)` of a host array in float64, scaled by the largest entry
 * (like BLAS `dnrm2`) so the squares neither overflow nor underflow: entries
 * near 1e200 or 1e-200 give the right norm where the textbook sum gives `∞`
 * or `0`. A non-finite entry gives `∞` (±∞) or `NaN` (NaN); an empty or
 * all-zero array gives `0`.
 *
 * @param a - the entries.
 * @returns the Euclidean norm.
 */
export function euclideanNorm(a: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (Number.isNaN(v)) return Number.NaN;
    if (v > scale) scale = v;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! / scale) ** 2;
  return scale * Math.sqrt(sum);
}
