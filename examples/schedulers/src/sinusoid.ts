/**
 * The flooding paper's synthetic "sinusoid" data set (Ishida et al., ICML 2020,
 * `synthetic/demo_synth.py`): x uniform in the disc of radius 2, label
 * y = [1.5·x1 + sin(1.5·x2) > 0], and a fraction of the labels flipped.
 */
import type { Random } from './random.js';

/** Points and 0/1 labels, row-major (`x[2i]`, `x[2i + 1]`). */
export interface Dataset {
  /** The inputs, two per point. */
  x: Float64Array;
  /** The labels, 0 or 1 (after the flips). */
  y: Float64Array;
  /** The number of points. */
  size: number;
}

/**
 * `size` points of the sinusoid data set with each label flipped with
 * probability `noise` (the paper uses 0.1).
 */
export function sinusoid(size: number, noise: number, random: Random): Dataset {
  const x = new Float64Array(2 * size);
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    // Uniform in the disc: radius 2·√u, angle 2πv.
    const r = 2 * Math.sqrt(random());
    const phi = 2 * Math.PI * random();
    const x1 = r * Math.cos(phi);
    const x2 = r * Math.sin(phi);
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    const label = 1.5 * x1 + Math.sin(1.5 * x2) > 0 ? 1 : 0;
    y[i] = random() < noise ? 1 - label : label;
  }
  return { x, y, size };
}
