/**
 * A small seeded generator of uniform random numbers, the one every package,
 * test and example of flood draws from, so that a seed means the same sequence
 * everywhere (and on every backend: it runs on the host, in plain numbers).
 *
 * @module
 */

/** `2³²`: the number of states and seeds, and the denominator of every draw. */
const STATES = 2 ** 32;

/**
 * A seeded pseudo-random generator of uniform numbers in `[0, 1)`: mulberry32
 * (Tommy Ettinger's 32-bit generator, as published in bryc's `PRNGs.md`).
 *
 * Each call advances a 32-bit state by the odd constant `0x6D2B79F5` (mod 2³²)
 * and returns a mix of it, an unsigned 32-bit integer `k`, as `k / 2³²`: a
 * multiple of 2⁻³² in `[0, 1)` (0 possible, 1 never). Two generators with the
 * same seed return the same sequence, on every platform.
 *
 * Quality: good enough for test data, shuffling, initial weights and the random
 * probes of the metrics, but **not cryptographic** (a brute-force search over the
 * 2³² states recovers the state from a few outputs). Its period is exactly 2³² draws, and every seed starts at a
 * different point of that one cycle, so the streams of two seeds are shifted
 * copies of each other that overlap after at most 2³² draws; for very long
 * Monte-Carlo runs use a generator with a larger state.
 *
 * @param seed - an integer in `[0, 2³²)`.
 * @returns a function returning the next uniform number in `[0, 1)` each call.
 * @throws RangeError if `seed` is not an integer in `[0, 2³²)` (NaN, ±∞,
 *   fractions, negatives and `2³²` and above are rejected).
 * @example
 * ```ts
 * import { seededRandom } from '@flood/core';
 * const random = seededRandom(42);
 * console.log(random()); // 0.6011037519201636
 * console.log(random()); // 0.44829055899754167
 * ```
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= STATES) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${String(seed)}`);
  }
  // The state is kept as a signed 32-bit integer (`| 0`), the same bits as the
  // unsigned state mod 2³²: V8 keeps it unboxed, where an unsigned value above
  // 2³¹ is a heap number allocated on every draw (the saving is measured in
  // docs/benchmarks.md, "Host-side random draws").
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / STATES;
  };
}
