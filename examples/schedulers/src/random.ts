/**
 * Random draws of the example, from `@flood/core`'s `seededRandom` (mulberry32),
 * so every run of the example is identical.
 */

/**
 * A generator of uniform numbers in [0, 1), deterministic for a given seed:
 * what `seededRandom` from `@flood/core` returns.
 */
export type Random = () => number;

/** A standard normal sample (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
