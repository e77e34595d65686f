/**
 * The adaptive flood level on a real loss curve, two ways:
 * - open loop: an unflooded run is recorded, and its per-epoch losses are fed
 *   to `adaptiveFloodLevel` afterwards (what b would have been);
 * - closed loop: a second run with the same seed floods at the adaptive level
 *   while it is being set (as `@flood/tfjs`'s model.fit callback does).
 */
import {
  type AdaptiveFloodLevelOptions,
  adaptiveFloodLevel,
  type LevelChange,
} from '@flood/schedulers';
import type { Point } from './demo-schedules.js';
import { type EpochRecord, type TrainSettings, train } from './train.js';

/**
 * The adaptive level's defaults in the example: b is set once (the package
 * default `maxChanges: 1`) to the training loss 20 epochs after the validation
 * minimum. By then the training loss is already below its value at the minimum,
 * so `fraction: 1` lands b just below it.
 */
export const DEFAULT_ADAPTIVE: AdaptiveFloodLevelOptions = {
  fraction: 1,
  patience: 20,
};

/** What {@link adaptiveStudy} found. */
export interface AdaptiveStudy {
  /** The unflooded run, per epoch. */
  recorded: EpochRecord[];
  /** The epoch with the lowest validation loss of the unflooded run. */
  bestEpoch: EpochRecord;
  /** The adaptive level's changes when fed the recorded curve. */
  openLoopChanges: LevelChange[];
  /** The open-loop level after each epoch. */
  openLoopLevels: number[];
  /** The run flooded at the adaptive level, per epoch. */
  flooded: EpochRecord[];
  /** The changes the adaptive level made during the flooded run. */
  closedLoopChanges: LevelChange[];
}

/** Runs both experiments (two trainings of `settings.epochs` epochs). */
export function adaptiveStudy(
  settings: TrainSettings,
  options: AdaptiveFloodLevelOptions = DEFAULT_ADAPTIVE,
): AdaptiveStudy {
  const recorded = train(settings);
  const open = adaptiveFloodLevel(options);
  for (const r of recorded) {
    open.observe({ step: r.step, trainingLoss: r.trainingLoss, validationLoss: r.validationLoss });
  }
  const closed = adaptiveFloodLevel(options);
  const flooded = train(settings, closed, (r) =>
    closed.observe({
      step: r.step,
      trainingLoss: r.trainingLoss,
      validationLoss: r.validationLoss,
    }),
  );
  const bestEpoch = recorded.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
  return {
    recorded,
    bestEpoch,
    openLoopChanges: open.getState().changes,
    openLoopLevels: recorded.map((r) => open(r.step)),
    flooded,
    closedLoopChanges: closed.getState().changes,
  };
}

/** Panel titles. */
export const STUDY_PANELS = {
  open: 'adaptiveFloodLevel fed the recorded losses of an unflooded MLP (sinusoid, 10% label noise; 1 step = 1 epoch)',
  closed: 'The same MLP trained with flooding at the adaptive level as it is set (closed loop)',
} as const;

/** The study as chart rows (x = optimizer step). */
export function studyPoints(study: AdaptiveStudy): Point[] {
  const open = STUDY_PANELS.open;
  const closed = STUDY_PANELS.closed;
  // A vertical marker at the unflooded run's validation minimum.
  const top = Math.max(...study.recorded.map((r) => r.validationLoss));
  const marker = `lowest validation loss (unflooded): epoch ${study.bestEpoch.epoch}`;
  const markers = [open, closed].flatMap((panel) =>
    [0, top].map((value) => ({ panel, series: marker, step: study.bestEpoch.step, value })),
  );
  return [
    ...markers,
    ...study.recorded.flatMap((r, i) => [
      { panel: open, series: 'training loss (unflooded)', step: r.step, value: r.trainingLoss },
      { panel: open, series: 'validation loss (unflooded)', step: r.step, value: r.validationLoss },
      {
        panel: open,
        series: 'adaptive flood level b',
        step: r.step,
        value: study.openLoopLevels[i]!,
      },
    ]),
    ...study.flooded.flatMap((r) => [
      { panel: closed, series: 'training loss (flooded)', step: r.step, value: r.trainingLoss },
      { panel: closed, series: 'validation loss (flooded)', step: r.step, value: r.validationLoss },
      { panel: closed, series: 'adaptive flood level b', step: r.step, value: r.level },
    ]),
  ];
}
