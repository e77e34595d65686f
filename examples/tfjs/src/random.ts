/**
 * A small seeded random number generator, so every run of the demo (data
 * subsampling, label noise, batch order) is reproducible from one integer seed.
 */
import { seededGenerator } from '@flood/metrics';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Mulberry32: a 32-bit generator with a 2^32 period, plenty for shuffling and
 * sampling a few hundred thousand numbers. Same seed, same sequence. It is
 * `@flood/metrics`' generator (the one its probes use), seeded with `seed mod 2³²`.
 */
export function mulberry32(seed: number): Random {
  if (!Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer, got ${seed}`);
  }
  return seededGenerator(seed >>> 0).uniform;
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates; the examples' shared one). */
export { permutation } from '@flood/example-data';
