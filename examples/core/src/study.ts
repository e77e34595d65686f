/**
 * The seed's equivalences checked numerically. For each step size ε (halving
 * from `start`), on each loss:
 *
 * - **backstitch**: an ascent step ε2 then a descent step ε1 (`backstitchStep`
 *   + SGD, ε2/ε1 = α/(1 + α), Kaldi's α = 0.3) against one gradient-descent step
 *   of rate ε1 − ε2 on `L + λ‖∇L‖²`, λ from `backstitchEquivalent`;
 * - **flooding**: a descent then an ascent step of equal rate ε against
 *   `θ − (ε²/2)∇‖∇L‖²` (`floodingEquivalent`).
 *
 * The prediction uses the exact gradient and Hessian-vector product
 * (`∇‖∇L‖² = 2Hg`). The error is `‖θ_pair − θ_predicted‖ / ‖θ‖`: O(ε³) by
 * Taylor's theorem, so its order is ≈ 3, except on a quadratic, where the
 * prediction is exact and only float64 rounding (~1e-16) remains.
 */
import {
  backstitchEquivalent,
  backstitchStep,
  floodingEquivalent,
  hessianVectorProduct,
  type Objective,
  plainStep,
} from '@flood/core';
import { logisticLoss, polynomialLoss, type StudyLoss } from './losses.js';

/** Which equivalence a row checks. */
export type Experiment = 'backstitch' | 'flooding';

/** One measurement. */
export interface StudyRow {
  /** The pair of steps being compared with its prediction. */
  experiment: Experiment;
  /** The loss's name. */
  loss: string;
  /** The step size ε (for backstitch: ε1, the descent rate). */
  epsilon: number;
  /** `‖θ_pair − θ_predicted‖ / ‖θ‖`. */
  error: number;
  /**
   * `log(e_prev/e) / log(ε_prev/ε)` against the previous (larger) ε; `null`
   * for the first ε and where the error is at rounding level (< 1e-13).
   */
  order: number | null;
}

/** Options of {@link runStudy}. */
export interface StudyOptions {
  /** The largest ε. Default 0.1. */
  start?: number;
  /** How many ε (each half the previous). Default 6. */
  levels?: number;
  /** Kaldi's backstitch scale α: ε2 = α/(1 + α)·ε1. Default 0.3. */
  alpha?: number;
  /** The losses. Default: a quadratic, a quartic and logistic regression. */
  losses?: StudyLoss[];
}

/** Errors below this are float64 rounding, not truncation: no order is estimated. */
export const ROUNDING_LEVEL = 1e-13;

function norm(x: Float64Array): number {
  return Math.sqrt(x.reduce((s, v) => s + v * v, 0));
}

function distance(x: Float64Array, y: Float64Array): number {
  return norm(x.map((v, i) => v - y[i]!));
}

/** `θ − a·g − b·Hg` at the objective's current θ, from the exact gradient and HVP. */
function predict(obj: Objective<Float64Array, number>, a: number, b: number): Float64Array {
  const theta = obj.parameters();
  const g = plainStep(obj).gradient;
  const hg = hessianVectorProduct(obj, g).product;
  return theta.map((t, i) => t - a * g[i]! - b * hg[i]!);
}

/** Backstitch (ascent ε2, then SGD ε1) vs GD(ε1 − ε2) on L + λ‖∇L‖². */
export function backstitchError(loss: StudyLoss, descentRate: number, ascentRate: number): number {
  const obj = loss.objective();
  const theta = obj.parameters();
  const { learningRate, penalty } = backstitchEquivalent({ descentRate, ascentRate });
  // ∇(L + λ‖∇L‖²) = g + 2λHg
  const predicted = predict(obj, learningRate, 2 * learningRate * penalty);
  const p = backstitchStep(obj, { ascentRate });
  obj.moveBy(p.displacement!);
  obj.moveBy(obj.space.scale(p.gradient, -descentRate));
  return distance(obj.parameters(), predicted) / norm(theta);
}

/** Flooding (descent ε, then ascent ε) vs θ − (ε²/2)∇‖∇L‖². */
export function floodingError(loss: StudyLoss, rate: number): number {
  const obj = loss.objective();
  const theta = obj.parameters();
  const { penaltyRate } = floodingEquivalent({ learningRate: rate });
  const predicted = predict(obj, 0, 2 * penaltyRate); // ∇‖∇L‖² = 2Hg
  obj.moveBy(obj.space.scale(plainStep(obj).gradient, -rate));
  obj.moveBy(obj.space.scale(plainStep(obj).gradient, rate));
  return distance(obj.parameters(), predicted) / norm(theta);
}

/** The default losses: a quadratic (exact), a quartic and logistic regression. */
export function defaultLosses(): StudyLoss[] {
  return [polynomialLoss('quadratic', 0), polynomialLoss('quartic', 0.5), logisticLoss()];
}

/** Runs every experiment on every loss at every ε; rows grouped by experiment and loss. */
export function runStudy(options: StudyOptions = {}): StudyRow[] {
  const start = options.start ?? 0.1;
  const levels = options.levels ?? 6;
  const alpha = options.alpha ?? 0.3;
  if (!(start > 0 && Number.isFinite(start))) {
    throw new RangeError(`start must be a finite number > 0, got ${start}`);
  }
  if (!(Number.isInteger(levels) && levels >= 2)) {
    throw new RangeError(`levels must be an integer >= 2, got ${levels}`);
  }
  if (!(alpha >= 0 && Number.isFinite(alpha))) {
    throw new RangeError(`alpha must be a finite number >= 0, got ${alpha}`);
  }
  const epsilons = Array.from({ length: levels }, (_, k) => start * 2 ** -k);
  const rows: StudyRow[] = [];
  for (const experiment of ['backstitch', 'flooding'] as const) {
    for (const loss of options.losses ?? defaultLosses()) {
      let previous: { epsilon: number; error: number } | undefined;
      for (const epsilon of epsilons) {
        const error =
          experiment === 'backstitch'
            ? backstitchError(loss, epsilon, (alpha / (1 + alpha)) * epsilon)
            : floodingError(loss, epsilon);
        const order =
          previous && previous.error >= ROUNDING_LEVEL && error >= ROUNDING_LEVEL
            ? Math.log(previous.error / error) / Math.log(previous.epsilon / epsilon)
            : null;
        rows.push({ experiment, loss: loss.name, epsilon, error, order });
        previous = { epsilon, error };
      }
    }
  }
  return rows;
}

/** Per experiment and loss: the largest error and the orders' range. */
export interface SeriesSummary {
  /** The experiment. */
  experiment: Experiment;
  /** The loss's name. */
  loss: string;
  /** The largest error over all ε. */
  maxError: number;
  /** The smallest and largest estimated order (`null` when none, i.e. exact). */
  orders: [number, number] | null;
}

/** Summarises rows per (experiment, loss), in order of appearance. */
export function summarise(rows: readonly StudyRow[]): SeriesSummary[] {
  const out = new Map<string, SeriesSummary>();
  for (const r of rows) {
    const key = `${r.experiment}/${r.loss}`;
    const s = out.get(key) ?? { experiment: r.experiment, loss: r.loss, maxError: 0, orders: null };
    s.maxError = Math.max(s.maxError, r.error);
    if (r.order !== null) {
      s.orders = s.orders
        ? [Math.min(s.orders[0], r.order), Math.max(s.orders[1], r.order)]
        : [r.order, r.order];
    }
    out.set(key, s);
  }
  return [...out.values()];
}
