/**
 * The float64 arithmetic the test oracles are written in (plain loops over
 * `ArrayLike<number>`, independent of `arraySpace`), and the error measures the
 * tests compare with: `relativeError`, `distance` and the convergence `orders`.
 */

/** `Σ xᵢyᵢ`. */
export function dotOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** `√Σ xᵢ²`. */
export function normOf(x: ArrayLike<number>): number {
  return Math.sqrt(dotOf(x, x));
}

/** `Σ aᵢ·xᵢ` over pairs `[aᵢ, xᵢ]`, entrywise. */
export function combine(...terms: [number, ArrayLike<number>][]): Float64Array {
  const n = terms[0]![1].length;
  const out = new Float64Array(n);
  for (const [a, x] of terms) for (let i = 0; i < n; i++) out[i]! += a * x[i]!;
  return out;
}

/** `‖x − y‖`. */
export function distance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return normOf(combine([1, x], [-1, y]));
}

/** `‖x − y‖ / ‖y‖` (or `‖x − y‖` when `y = 0`). */
export function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const diff = normOf(combine([1, x], [-1, y]));
  const scale = normOf(y);
  return scale === 0 ? diff : diff / scale;
}

/**
 * The order p of an error that behaves like `C·εᵖ`, from errors at successive
 * ε that halve: `log2(e(ε)/e(ε/2))` for each neighbouring pair.
 */
export function orders(errors: readonly number[]): number[] {
  return errors.slice(1).map((e, i) => Math.log2(errors[i]! / e));
}
