import type { VectorSpace } from '@flood/core';
import { orthogonalise, randomUnitVector } from './orthogonal.js';
import type { Random } from './random.js';
import { readScalar } from './read.js';
import { sortByMagnitude, symmetricEigen } from './symmetric-eigen.js';

/** Settings of {@link powerEigenvalues}. */
export interface PowerSettings {
  /** How many eigenvalues. */
  k: number;
  /** The most products per eigenvalue. */
  maxIterations: number;
  /** Relative residual tolerance. */
  tolerance: number;
  /** Start vectors. */
  random: Random;
}

/**
 * The `k` eigenvalues of largest magnitude of the symmetric operator `multiply`
 * by power iteration with deflation (as PyHessian's `eigenvalues`): each
 * iterate is orthogonalised against the eigenvectors already found, giving the
 * deflated product `w = P·Hv`, `λ = vᵀHv`, and the vector is accepted once
 * `‖w − λv‖ ≤ tolerance·|λ|`. A final Rayleigh–Ritz step on the `k` vectors
 * (`k` more products, a `k×k` eigen-solve) removes the cross-talk that deflation
 * against inexact vectors leaves, and gives the explicit residuals
 * `‖Hx − θx‖` that decide `converged`. Converges at the rate `|λᵢ₊₁/λᵢ|` per
 * product, so it stalls when two magnitudes are close (e.g. `λ` and `−λ`): then
 * `converged` is false. Results sorted by decreasing magnitude.
 */
export async function powerEigenvalues<V, S>(
  space: VectorSpace<V, S>,
  multiply: (v: V) => V,
  settings: PowerSettings,
): Promise<{ eigenvalues: number[]; residuals: number[]; iterations: number; converged: boolean }> {
  const found: V[] = [];
  const products: V[] = [];
  let iterations = 0;
  try {
    for (let i = 0; i < settings.k; i++) {
      let v = (await randomUnitVector(space, settings.random, found)) as V | undefined;
      if (v === undefined)
        throw new Error('could not draw a start vector orthogonal to the found ones');
      for (let it = 0; it < settings.maxIterations; it++) {
        const current: V = v;
        const hv = multiply(current);
        iterations += 1;
        const value = await readScalar(space, space.dot(hv, current));
        const w = orthogonalise(space, hv, found);
        space.dispose(hv);
        const residual = await readScalar(
          space,
          space.scope(() => space.keep(space.norm(space.axpby(1, w, -value, current)))),
        );
        const norm = await readScalar(space, space.norm(w));
        if (residual <= settings.tolerance * Math.abs(value) || norm === 0) {
          space.dispose(w);
          break;
        }
        v = space.scale(w, 1 / norm);
        space.dispose(w, current);
      }
      found.push(v);
    }
    // Rayleigh–Ritz on span(found): G = VᵀHV, G = YΘYᵀ, x = VY, Hx = (HV)Y.
    for (const q of found) products.push(multiply(q));
    const g: number[][] = [];
    for (const q of found) {
      const row: number[] = [];
      for (const hq of products) row.push(await readScalar(space, space.dot(q, hq)));
      g.push(row);
    }
    const ritz = sortByMagnitude(symmetricEigen(g));
    const residuals: number[] = [];
    for (let i = 0; i < settings.k; i++) {
      const y = ritz.vectors[i]!;
      const theta = ritz.values[i]!;
      const r = space.scope(() => {
        let x = space.scale(found[0]!, y[0]!);
        let hx = space.scale(products[0]!, y[0]!);
        for (let j = 1; j < found.length; j++) {
          x = space.axpby(1, x, y[j]!, found[j]!);
          hx = space.axpby(1, hx, y[j]!, products[j]!);
        }
        return space.keep(space.norm(space.axpby(1, hx, -theta, x)));
      });
      residuals.push(await readScalar(space, r));
    }
    return {
      eigenvalues: ritz.values,
      residuals,
      iterations: iterations + settings.k,
      converged: residuals.every((r, i) => r <= settings.tolerance * Math.abs(ritz.values[i]!)),
    };
  } finally {
    space.dispose(...found, ...products);
  }
}
