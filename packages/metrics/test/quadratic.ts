/**
 * Test oracles: quadratics `L(θ) = ½ θᵀAθ + bᵀθ` with a known spectrum, built
 * independently of the code under test (Householder reflections from a
 * deterministic sequence).
 */
import { arrayObjective } from '@flood/core';

/** A deterministic pseudo-random sequence in (−1, 1), independent of src/random.ts. */
export function sequence(seed: number): () => number {
  let x = seed + 0.5;
  return () => {
    x = (x * 9301 + 49297) % 233280;
    return (2 * x) / 233280 - 1;
  };
}

/** `A = Q diag(spectrum) Qᵀ` with `Q` a product of three Householder reflections. */
export function matrixWithSpectrum(spectrum: readonly number[], seed = 1): number[][] {
  const n = spectrum.length;
  const next = sequence(seed);
  let q: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let r = 0; r < 3; r++) {
    const u = Array.from({ length: n }, () => next());
    const uu = u.reduce((a, x) => a + x * x, 0);
    // q ← (I − 2uuᵀ/uᵀu) q
    const uq = Array.from({ length: n }, (_, j) => u.reduce((a, ui, i) => a + ui * q[i]![j]!, 0));
    q = q.map((row, i) => row.map((x, j) => x - (2 * u[i]! * uq[j]!) / uu));
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      spectrum.reduce((a, l, m) => a + q[i]![m]! * l * q[j]![m]!, 0),
    ),
  );
}

/** `A·v`. */
export function multiply(a: readonly (readonly number[])[], v: Float64Array): Float64Array {
  return Float64Array.from(a, (row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

/** `½ θᵀAθ + bᵀθ` as an array objective, with the exact product `Av` unless `exact` is false. */
export function quadraticObjective(
  a: number[][],
  options: {
    exact?: boolean;
    blocks?: { name: string; shape: number[] }[];
    theta?: Float64Array;
    b?: Float64Array;
  } = {},
) {
  const n = a.length;
  const b = options.b ?? new Float64Array(n);
  const theta = options.theta ?? Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  return arrayObjective(
    (t) => {
      const at = multiply(a, t);
      let loss = 0;
      for (let i = 0; i < n; i++) loss += 0.5 * t[i]! * at[i]! + b[i]! * t[i]!;
      return { loss, gradient: at.map((x, i) => x + b[i]!) };
    },
    theta,
    {
      ...(options.exact === false ? {} : { hessianVectorProduct: (_t, v) => multiply(a, v) }),
      ...(options.blocks ? { blocks: options.blocks } : {}),
    },
  );
}
