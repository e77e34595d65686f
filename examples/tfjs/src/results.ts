/**
 * What a demo run produces: per-method histories and their summary row, plus
 * the settings that produced them (so the report can label them honestly).
 */
import type { EpochRecord } from './train.js';

/** The summary row of one method (the printed table). */
export interface Summary {
  /** Lowest test loss over the epochs, and the epoch it was reached at. */
  readonly bestTestLoss: number;
  /** 1-based epoch of {@link Summary.bestTestLoss}. */
  readonly bestEpoch: number;
  /** Test loss after the last epoch. */
  readonly finalTestLoss: number;
  /** Test accuracy after the last epoch. */
  readonly testAccuracy: number;
  /** Mean raw mini-batch loss of the last epoch. */
  readonly trainLoss: number;
  /** floodProp of the last epoch (flooding only). */
  readonly floodProp?: number;
  /** Largest Hessian eigenvalue of the training loss at the end (when measured). */
  readonly topEigenvalue?: number;
  /** Wall-clock seconds the training took. */
  readonly seconds: number;
}

/** One method's run. */
export interface MethodResult {
  /** Short name used in the table and charts (e.g. `flooding`). */
  readonly name: string;
  /** The optimizer and its hyper-parameters, in words. */
  readonly setting: string;
  /** Gradient evaluations per training step (its cost relative to plain SGD). */
  readonly gradientsPerStep: number;
  /** One record per epoch. */
  readonly history: readonly EpochRecord[];
  /** The table row. */
  readonly summary: Summary;
}

/** One point of the flood-level search on the validation split. */
export interface GridPoint {
  /** The flood level b (0 = plain training). */
  readonly level: number;
  /** Validation accuracy after the last epoch (the selection criterion). */
  readonly validationAccuracy: number;
  /** Validation loss after the last epoch (breaks ties). */
  readonly validationLoss: number;
}

/** Sizes and hyper-parameters of a run, as printed in the report. */
export interface RunSettings {
  /** `quick` or `full`, and what that means. */
  readonly preset: string;
  /** Data set and sizes in words. */
  readonly data: string;
  /** Architecture in words. */
  readonly model: string;
  /** Base optimizer, batch size, epochs. */
  readonly training: string;
  /** tfjs backend actually used. */
  readonly backend: string;
  /** Seed of data, weights and batch order. */
  readonly seed: number;
}

/** Everything one demo run measured. */
export interface DemoResult {
  /** What was run. */
  readonly settings: RunSettings;
  /** The flood-level search, in grid order. */
  readonly grid: readonly GridPoint[];
  /** The level chosen on the validation split. */
  readonly chosenLevel: number;
  /** Per-method results, plain first. */
  readonly methods: readonly MethodResult[];
  /** ISO date-time the run finished. */
  readonly date: string;
  /** Wall-clock seconds of the whole run, grid search included. */
  readonly wallSeconds: number;
  /**
   * CPU seconds (user + system) the process used for the whole run: close to the
   * wall time on an idle machine (wasm in Node is single-threaded), much smaller
   * than it when other processes share the cores.
   */
  readonly cpuSeconds: number;
}

/** The summary row of a history (lowest and final test loss, final accuracy …). */
export function summarise(
  history: readonly EpochRecord[],
  extra: { seconds: number; topEigenvalue?: number; withFloodProp: boolean },
): Summary {
  const last = history.at(-1);
  if (!last || last.testLoss === undefined || last.testAccuracy === undefined) {
    throw new RangeError('history must hold at least one epoch evaluated on a test set');
  }
  let best = history[0]!;
  for (const r of history) if (r.testLoss! < best.testLoss!) best = r;
  return {
    bestTestLoss: best.testLoss!,
    bestEpoch: best.epoch,
    finalTestLoss: last.testLoss,
    testAccuracy: last.testAccuracy,
    trainLoss: last.trainLoss,
    ...(extra.withFloodProp && last.floodProp !== undefined ? { floodProp: last.floodProp } : {}),
    ...(extra.topEigenvalue === undefined ? {} : { topEigenvalue: extra.topEigenvalue }),
    seconds: extra.seconds,
  };
}

/**
 * The grid point with the highest validation accuracy (ties: lower validation
 * loss, then the smaller level), as in Ishida et al.'s official demo.
 */
export function chooseLevel(grid: readonly GridPoint[]): number {
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
