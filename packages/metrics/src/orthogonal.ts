import type { VectorSpace } from '@flood/core';
import { type Random, randomArrays } from './random.js';
import { readScalar } from './read.js';

/**
 * `w` minus its projections on the orthonormal `basis`, by classical Gram–Schmidt
 * applied twice ("twice is enough", Giraud et al. 2005). A new vector (caller
 * owns it); `w` is not consumed.
 */
export function orthogonalise<V, S>(space: VectorSpace<V, S>, w: V, basis: readonly V[]): V {
  return space.scope(() => {
    let out = space.clone(w);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const c = space.dot(out, q);
        out = space.axpby(1, out, space.scalar.mul(c, -1), q);
      }
    }
    return space.keep(out);
  });
}

/**
 * A random unit vector orthogonal to the orthonormal `basis` (Gaussian entries
 * drawn on the host), or `undefined` when three draws all fall (numerically) in
 * the span of `basis`.
 */
export async function randomUnitVector<V, S>(
  space: VectorSpace<V, S>,
  random: Random,
  basis: readonly V[],
): Promise<V | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const z = space.fromArrays(randomArrays(space, random, 'gaussian'));
    const w = orthogonalise(space, z, basis);
    space.dispose(z);
    const norm = await readScalar(space, space.norm(w));
    if (norm > 1e-8 * Math.sqrt(space.dimension)) {
      const q = space.scale(w, 1 / norm);
      space.dispose(w);
      return q;
    }
    space.dispose(w);
  }
  return undefined;
}
