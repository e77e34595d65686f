/**
 * Seeded random numbers generated on the host, so that every metric draws the
 * same probes and directions on every backend (Float64Array, tfjs cpu, wasm, …).
 *
 * @module
 */
import { seededRandom, type VectorSpace } from '@flood/core';

/**
 * A seeded pseudo-random generator: `@flood/core`'s `seededRandom` (mulberry32)
 * for uniforms, Box–Muller for Gaussians.
 */
export interface Random {
  /** A uniform number in `[0, 1)`. */
  uniform(): number;
  /** A standard normal number, `N(0, 1)` (Box–Muller). */
  gaussian(): number;
  /** `+1` or `−1` with probability ½ each (a Rademacher sign). */
  rademacher(): number;
}

/**
 * A {@link Random} seeded with `seed`, an integer in `[0, 2³²)`. Two generators
 * with the same seed produce the same sequence. Its uniforms are exactly those
 * of `@flood/core`'s `seededRandom(seed)` (mulberry32); the Gaussians and signs
 * are drawn from them.
 *
 * @throws RangeError if `seed` is not an integer in `[0, 2³²)`.
 */
export function seededGenerator(seed: number): Random {
  const uniform = seededRandom(seed);
  let spare: number | undefined;
  const gaussian = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    // Box–Muller on u1 ∈ (0, 1] so that log(u1) is finite.
    const u1 = 1 - uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  const rademacher = (): number => (uniform() < 0.5 ? -1 : 1);
  return { uniform, gaussian, rademacher };
}

/** The distribution of the entries of a random vector. */
export type RandomKind = 'gaussian' | 'rademacher';

/**
 * Host arrays (one `Float64Array` per block of `space`, in order) with entries
 * drawn independently from `kind`.
 */
export function randomArrays<V, S>(
  space: VectorSpace<V, S>,
  random: Random,
  kind: RandomKind,
): Float64Array[] {
  const draw = kind === 'gaussian' ? random.gaussian : random.rademacher;
  return space.blocks.map((b) => {
    const a = new Float64Array(b.size);
    for (let i = 0; i < b.size; i++) a[i] = draw();
    return a;
  });
}

/** A random vector of `space` (caller owns it), drawn on the host then uploaded. */
export function randomVector<V, S>(space: VectorSpace<V, S>, random: Random, kind: RandomKind): V {
  return space.fromArrays(randomArrays(space, random, kind));
}
