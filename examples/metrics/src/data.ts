/** Ishida et al.'s Sinusoid2d data (their `synthetic/sinusoid.py` demo generator). */
import { seededGenerator } from '@flood/metrics';

/** Points and ±1 labels. */
export interface Dataset {
  /** Inputs, one `[x1, x2]` row per point. */
  x: number[][];
  /** Labels in {−1, +1}. */
  y: number[];
}

/**
 * `n` points uniform in the disc of radius 2, labelled `sign(1.5·x₁ + sin(1.5·x₂))`,
 * then `⌊n·noise⌋` distinct labels flipped (Ishida et al. 2020, Sinusoid2d).
 */
export function sinusoid2d(n: number, noise: number, seed: number): Dataset {
  const random = seededGenerator(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = 2 * Math.sqrt(random.uniform());
    const angle = 2 * Math.PI * random.uniform();
    const p = [r * Math.cos(angle), r * Math.sin(angle)];
    x.push(p);
    y.push(1.5 * p[0]! + Math.sin(1.5 * p[1]!) >= 0 ? 1 : -1);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const i of order.slice(0, Math.floor(n * noise))) y[i] = -y[i]!;
  return { x, y };
}
