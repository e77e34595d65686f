/** The example as a function: compute everything, write the chart and the data, return a summary. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdaptiveFloodLevelOptions } from '@flood/schedulers';
import {
  type AdaptiveStudy,
  adaptiveStudy,
  DEFAULT_ADAPTIVE,
  studyPoints,
} from './adaptive-study.js';
import { chartSvg } from './chart.js';
import { demoSchedules, schedulePoints } from './demo-schedules.js';
import { DEFAULT_TRAIN, type TrainSettings } from './train.js';

/** What {@link runExample} needs. */
export interface ExampleOptions {
  /** Output directory (created if missing). */
  out: string;
  /** Training settings of the recorded runs. */
  train?: Partial<TrainSettings>;
  /** The adaptive level's options. */
  adaptive?: Partial<AdaptiveFloodLevelOptions>;
  /** Steps drawn for the fixed schedules. Default 600. */
  steps?: number;
}

/** What {@link runExample} wrote and found. */
export interface ExampleResult {
  /** Path of the SVG chart. */
  svgPath: string;
  /** Path of the loss curves and level changes (JSON). */
  dataPath: string;
  /** The adaptive-level experiments. */
  study: AdaptiveStudy;
}

/** Runs the example: the fixed schedules, the two trainings, the chart. */
export async function runExample(options: ExampleOptions): Promise<ExampleResult> {
  const settings: TrainSettings = { ...DEFAULT_TRAIN, ...options.train };
  const adaptive = { ...DEFAULT_ADAPTIVE, ...options.adaptive } as AdaptiveFloodLevelOptions;
  const study = adaptiveStudy(settings, adaptive);
  const points = [...schedulePoints(demoSchedules(), options.steps ?? 600), ...studyPoints(study)];
  const svg = await chartSvg(points, '@flood/schedulers: schedules and the adaptive flood level');
  await mkdir(options.out, { recursive: true });
  const svgPath = join(options.out, 'schedules.svg');
  const dataPath = join(options.out, 'loss-curves.json');
  await writeFile(svgPath, svg);
  await writeFile(dataPath, `${JSON.stringify({ settings, adaptive, ...study }, null, 1)}\n`);
  return { svgPath, dataPath, study };
}

/** A few lines for the terminal. */
export function summary(result: ExampleResult): string {
  const { study } = result;
  const best = study.bestEpoch;
  const last = study.recorded.at(-1)!;
  const flooded = study.flooded.at(-1)!;
  const minFlooded = Math.min(...study.flooded.map((r) => r.validationLoss));
  const changes = (list: readonly { step: number; level: number }[]) =>
    list.length === 0
      ? 'none'
      : list.map((c) => `step ${c.step} → b = ${c.level.toFixed(4)}`).join(', ');
  return [
    `unflooded run: lowest validation loss ${best.validationLoss.toFixed(4)} at epoch ${best.epoch} (training loss ${best.trainingLoss.toFixed(4)} there);`,
    `  after ${last.epoch} epochs: training ${last.trainingLoss.toFixed(4)}, validation ${last.validationLoss.toFixed(4)}`,
    `adaptive level fed that curve: ${changes(study.openLoopChanges)}`,
    `flooded at the adaptive level: ${changes(study.closedLoopChanges)};`,
    `  after ${flooded.epoch} epochs: training ${flooded.trainingLoss.toFixed(4)}, validation ${flooded.validationLoss.toFixed(4)} (lowest ${minFlooded.toFixed(4)})`,
    `wrote ${result.svgPath} and ${result.dataPath}`,
  ].join('\n');
}
