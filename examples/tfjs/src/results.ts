/**
 * What a demo run produces: for each noise level and seed, every method's
 * per-epoch history and the epoch it is reported at, the flood-level search and
 * the curvature; plus the settings that produced them.
 */
import type { Curvature } from './curvature.js';
import type { EpochRecord } from './train.js';

/** The methods trained in a task of their own, in table order. */
export const METHOD_KEYS = [
  'iFlood',
  'SAM',
  'backstitch',
  'gradient penalty',
  'GSAM',
  'LookSAM',
  'adaptive flooding',
] as const;

/** One of {@link METHOD_KEYS}. */
export type MethodKey = (typeof METHOD_KEYS)[number];

/** One method's run on one seed. */
export interface RunRecord {
  /** Method name (table, charts), e.g. `flooding` or `plain + early stop`. */
  readonly name: string;
  /** The optimizer and its hyper-parameters, in words. */
  readonly setting: string;
  /** Gradient evaluations per training step. */
  readonly gradientsPerStep: number;
  /** One record per epoch (early-stopped methods share their run's history). */
  readonly history: readonly EpochRecord[];
  /** 1-based epoch whose model is reported: the last, or the best noisy-validation epoch. */
  readonly reportedEpoch: number;
  /** Wall seconds of the training. */
  readonly seconds: number;
  /** Curvature of the reported model, when measured. */
  readonly curvature?: Curvature & { readonly epoch: number };
  /**
   * Adaptive flooding only: the levels its schedule set, each from the end of
   * `epoch` on (empty when the validation loss never stalled long enough).
   */
  readonly levelChanges?: readonly { readonly epoch: number; readonly level: number }[];
}

/** One point of the flood-level search. */
export interface GridPoint {
  /** The flood level b (0 = plain training). */
  readonly level: number;
  /** Noisy-validation accuracy after the last epoch: the selection criterion. */
  readonly validationAccuracy: number;
  /** Noisy-validation loss after the last epoch (breaks ties). */
  readonly validationLoss: number;
  /** Clean test accuracy after the last epoch: shown, never used to choose. */
  readonly testAccuracy: number;
}

/** Everything one seed at one noise level measured. */
export interface SeedResult {
  /** Noise rate of the training and validation labels. */
  readonly noise: number;
  /** The seed. */
  readonly seed: number;
  /** Noisy-label entropy H at this noise (nats). */
  readonly entropy: number;
  /** Measured share of flipped training labels. */
  readonly trainNoise: number;
  /** The flood-level search, b = 0 first. */
  readonly grid: readonly GridPoint[];
  /** The level chosen on the noisy validation split. */
  readonly chosenLevel: number;
  /** The methods, in table order. */
  readonly runs: readonly RunRecord[];
  /** Plain training's curvature at the epoch whose training loss is closest to flooding's final one. */
  readonly plainAtFloodLoss?: Curvature & { readonly epoch: number; readonly trainLoss: number };
  /** One-line description of the data. */
  readonly data: string;
}

/**
 * The model that {@link RunRecord.reportedEpoch} names under early stopping:
 * the epoch with the highest validation accuracy (ties: the earliest), as a
 * user watching the noisy validation split would stop.
 */
export function earlyStopEpoch(history: readonly EpochRecord[]): number {
  let best: EpochRecord | undefined;
  for (const r of history) {
    if (r.validationAccuracy === undefined) {
      throw new RangeError('history must hold validation accuracies for early stopping');
    }
    if (!best || r.validationAccuracy > best.validationAccuracy!) best = r;
  }
  if (!best) throw new RangeError('history must hold at least one epoch');
  return best.epoch;
}

/**
 * The grid point with the highest validation accuracy (ties: lower validation
 * loss, then the smaller level), as in Ishida et al.'s code.
 */
export function chooseLevel(grid: readonly Omit<GridPoint, 'testAccuracy'>[]): number {
  if (grid.length === 0) throw new RangeError('grid must hold at least one point');
  let best = grid[0]!;
  for (const p of grid.slice(1)) {
    const better =
      p.validationAccuracy > best.validationAccuracy ||
      (p.validationAccuracy === best.validationAccuracy &&
        (p.validationLoss < best.validationLoss ||
          (p.validationLoss === best.validationLoss && p.level < best.level)));
    if (better) best = p;
  }
  return best.level;
}

/** Clean test accuracy of a run at its reported epoch. */
export function reportedAccuracy(run: RunRecord): number {
  const r = run.history[run.reportedEpoch - 1];
  if (r?.testAccuracy === undefined) {
    throw new RangeError(`run ${run.name} has no test accuracy at epoch ${run.reportedEpoch}`);
  }
  return r.testAccuracy;
}
