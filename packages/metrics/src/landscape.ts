import { type Objective, requireInteger, requireOneOf, type VectorSpace } from '@flood/core';
import { randomArrays, seededGenerator } from './random.js';
import { readScalar } from './read.js';

/** How {@link lossLandscape} scales its random directions. */
export type DirectionNormalization = 'filter' | 'layer' | 'none';

/** Options of {@link lossLandscape}. */
export interface LossLandscapeOptions {
  /** 1 (a curve) or 2 (a surface). Default 1. */
  dimensions?: 1 | 2;
  /** The interval of the step along each direction. Default `[-1, 1]`. */
  range?: [number, number];
  /** Grid points along each direction (including both ends). Default 21 (1-D), 11 (2-D). */
  points?: number;
  /**
   * Direction scaling (Li et al. 2018). `'filter'` (default): each filter of the
   * direction gets the norm of the same filter of `θ`; `'layer'`: each block gets
   * the norm of the block of `θ`. Both give 1-D blocks (biases, BatchNorm) a zero
   * direction, as Li et al.'s `ignore='biasbn'`. `'none'`: raw `N(0, I)` entries
   * in every block.
   */
  normalization?: DirectionNormalization;
  /** Seed of the Gaussian directions (an integer in `[0, 2³²)`). Default 0. */
  seed?: number;
}

/** The result of {@link lossLandscape}. */
export interface LossLandscape {
  /** The grid steps `α` (and `β`) along each direction, evenly spaced over `range`. */
  coordinates: number[];
  /** `L(θ + α d₁)` per coordinate (1-D), or `losses[i][j] = L(θ + αᵢ d₁ + βⱼ d₂)` (2-D). */
  losses: number[] | number[][];
  /** `L(θ)`. */
  loss: number;
  /** Loss evaluations spent (`points` or `points²`, plus 1). */
  lossEvaluations: number;
  /** Gradient evaluations spent: 0. */
  gradientEvaluations: number;
}

function linspace(range: [number, number], points: number): number[] {
  const [a, b] = range;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) {
    throw new RangeError(`range must be two finite numbers [a, b] with a < b, got [${a}, ${b}]`);
  }
  return Array.from({ length: points }, (_, i) =>
    points === 1 ? a : a + ((b - a) * i) / (points - 1),
  );
}

function normOf(values: Float64Array, indices: (i: number) => boolean): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) if (indices(i)) s += values[i]! ** 2;
  return Math.sqrt(s);
}

/**
 * A random direction in host arrays, scaled as Li et al.'s `net_plotter.py`:
 * for `'filter'`, `dᵢ ← dᵢ·‖θᵢ‖/(‖dᵢ‖ + 1e-10)` per filter `i`.
 *
 * Which entries form a filter: tfjs stores a Dense kernel as `[inputs, units]`
 * and a conv kernel as `[h, w, in, out]`, so a filter (one output unit) is a
 * slice along the LAST axis: entries whose flat row-major index has the same
 * remainder modulo the last dimension. (PyTorch stores outputs first, hence Li et
 * al.'s first-axis slices: the same filters.) Blocks of rank ≤ 1 get zero.
 */
export function normalizedDirection<V, S>(
  space: VectorSpace<V, S>,
  theta: readonly Float64Array[],
  seed: number,
  normalization: DirectionNormalization,
): Float64Array[] {
  const direction = randomArrays(space, seededGenerator(seed), 'gaussian');
  if (normalization === 'none') return direction;
  return direction.map((d, b) => {
    const block = space.blocks[b]!;
    if (block.shape.length <= 1) return new Float64Array(d.length);
    const w = theta[b]!;
    if (normalization === 'layer') {
      const f = normOf(w, () => true) / (normOf(d, () => true) + 1e-10);
      return d.map((x) => x * f);
    }
    const units = block.shape[block.shape.length - 1]!;
    const out = new Float64Array(d.length);
    for (let j = 0; j < units; j++) {
      const inFilter = (i: number) => i % units === j;
      const f = normOf(w, inFilter) / (normOf(d, inFilter) + 1e-10);
      for (let i = j; i < d.length; i += units) out[i] = d[i]! * f;
    }
    return out;
  });
}

/**
 * A 1-D or 2-D slice of the loss through `θ` along random directions, as in Li
 * et al., "Visualizing the Loss Landscape of Neural Nets" (NeurIPS 2018):
 * `L(θ + α d₁)` or `L(θ + α d₁ + β d₂)` on an evenly spaced grid, with
 * filter-normalised Gaussian directions by default (see
 * {@link normalizedDirection} for what a filter is in tfjs layouts). The second
 * direction uses seed `seed + 1`. `θ` is unchanged.
 *
 * Cost: `points` (1-D) or `points²` (2-D) loss evaluations, plus one at `θ`; no
 * gradients.
 *
 * @throws RangeError if the normalised direction is zero (e.g. only 1-D blocks
 *   with `'filter'` or `'layer'`: use `'none'`).
 */
export async function lossLandscape<V, S>(
  objective: Objective<V, S>,
  options: LossLandscapeOptions = {},
): Promise<LossLandscape> {
  const dimensions = requireOneOf('dimensions', options.dimensions ?? 1, [1, 2] as const);
  const points = requireInteger('points', options.points ?? (dimensions === 1 ? 21 : 11), 1);
  const coordinates = linspace(options.range ?? [-1, 1], points);
  const normalization = requireOneOf('normalization', options.normalization ?? 'filter', [
    'filter',
    'layer',
    'none',
  ] as const);
  const seed = options.seed ?? 0;
  const space = objective.space;
  const theta = objective.parameters();
  const thetaArrays = await space.toArrays(theta);
  space.dispose(theta);
  const directions = Array.from({ length: dimensions }, (_, i) => {
    const d = normalizedDirection(space, thetaArrays, seed + i, normalization);
    if (d.every((block) => block.every((x) => x === 0))) {
      throw new RangeError(
        `normalization '${normalization}' gives a zero direction (no block of rank >= 2); use 'none'`,
      );
    }
    return space.fromArrays(d);
  });
  try {
    const lossAt = (a: number, b: number): Promise<number> =>
      readScalar(
        space,
        space.scope(() => {
          const offset =
            dimensions === 1
              ? space.scale(directions[0]!, a)
              : space.axpby(a, directions[0]!, b, directions[1]!);
          return space.keep(objective.loss(offset));
        }),
      );
    const loss = await readScalar(space, objective.loss());
    let losses: number[] | number[][];
    if (dimensions === 1) {
      const curve: number[] = [];
      for (const a of coordinates) curve.push(await lossAt(a, 0));
      losses = curve;
    } else {
      const surface: number[][] = [];
      for (const a of coordinates) {
        const row: number[] = [];
        for (const b of coordinates) row.push(await lossAt(a, b));
        surface.push(row);
      }
      losses = surface;
    }
    return {
      coordinates,
      losses,
      loss,
      lossEvaluations: 1 + points ** dimensions,
      gradientEvaluations: 0,
    };
  } finally {
    space.dispose(...directions);
  }
}

/** Options of {@link lossInterpolation}. */
export interface LossInterpolationOptions {
  /** The interval of `α`. Default `[0, 1]` (from `θ` to the other parameters). */
  range?: [number, number];
  /** Grid points (including both ends). Default 21. */
  points?: number;
}

/** The result of {@link lossInterpolation}. */
export interface LossInterpolation {
  /** The grid of `α`. */
  coordinates: number[];
  /** `L((1 − α)θ + α θ′)` per coordinate. */
  losses: number[];
  /** Loss evaluations spent (`points`). */
  lossEvaluations: number;
  /** Gradient evaluations spent: 0. */
  gradientEvaluations: number;
}

/**
 * The loss along the straight line from the objective's parameters `θ` to
 * `other` (Goodfellow et al. 2015; Li et al.'s 1-D interpolation with
 * `d = θ′ − θ`): `L(θ + α(θ′ − θ))` for `α` on an even grid over `range`
 * (α = 0 is `θ`, α = 1 is `θ′`). `θ` is unchanged; `other` is not consumed.
 *
 * Cost: `points` loss evaluations, no gradients.
 */
export async function lossInterpolation<V, S>(
  objective: Objective<V, S>,
  other: V,
  options: LossInterpolationOptions = {},
): Promise<LossInterpolation> {
  const points = requireInteger('points', options.points ?? 21, 1);
  const coordinates = linspace(options.range ?? [0, 1], points);
  const space = objective.space;
  const theta = objective.parameters();
  const direction = space.sub(other, theta);
  space.dispose(theta);
  try {
    const losses: number[] = [];
    for (const a of coordinates) {
      losses.push(
        await readScalar(
          space,
          space.scope(() => space.keep(objective.loss(space.scale(direction, a)))),
        ),
      );
    }
    return { coordinates, losses, lossEvaluations: points, gradientEvaluations: 0 };
  } finally {
    space.dispose(direction);
  }
}
