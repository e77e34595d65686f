/** Ishida et al.'s Sinusoid2d data as this example's model reads it (rows, ±1 labels). */
import { seededRandom } from '@flood/core';
import { sinusoid2d as sharedSinusoid } from '@flood/example-data';

/** Points and ±1 labels. */
export interface Dataset {
  /** Inputs, one `[x1, x2]` row per point. */
  x: number[][];
  /** Labels in {−1, +1}. */
  y: number[];
}

/**
 * `n` points of the examples' shared Sinusoid2d (uniform in the disc of radius 2,
 * labelled by `1.5·x₁ + sin(1.5·x₂) > 0`, `⌊n·noise⌋` distinct labels flipped),
 * drawn from `seededRandom(seed)`, with labels mapped 0/1 → −1/+1.
 */
export function sinusoid2d(n: number, noise: number, seed: number): Dataset {
  const data = sharedSinusoid(n, noise, seededRandom(seed));
  const x = Array.from({ length: n }, (_, i) => [data.x[2 * i]!, data.x[2 * i + 1]!]);
  const y = Array.from(data.y, (label) => 2 * label - 1);
  return { x, y };
}
