/**
 * What `floodCallback` does at an epoch's end: adds the epoch's means to the
 * logs and feeds the epoch's losses to the adaptive schedules.
 *
 * @module
 */
import type { AdaptiveSchedule } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { UnresolvedLogs } from './callback-options.js';
import type { EpochMeans } from './epoch-totals.js';
import type { FloodOptimizer } from './wrapper.js';

async function readLog(v: number | tf.Scalar | undefined): Promise<number | undefined> {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : (await v.data())[0];
}

/**
 * Adds `floodProp` (the share of steps that ascended), `gradNorm` (the mean
 * `‖∇L(θ)‖₂`) and `floodLevel` (the level at the epoch's last step of `opt`) to
 * `logs`, each where known.
 */
export function addEpochMeans(
  logs: UnresolvedLogs | undefined,
  means: EpochMeans,
  opt: FloodOptimizer | undefined,
): void {
  if (!logs) return;
  const last = opt?.lastStep;
  if (means.ascended !== undefined) logs.floodProp = means.ascended;
  if (means.gradientNorm !== undefined) logs.gradNorm = means.gradientNorm;
  if (last?.hyperparameters.level !== undefined) logs.floodLevel = last.hyperparameters.level;
}

/**
 * Calls `observe({ step, trainingLoss, validationLoss })` on every adaptive
 * schedule of `opt` and on `extra`, with the losses read from `logs.loss` and
 * `logs[validationKey]` (the validation loss left out where not logged);
 * nothing when the training loss is not logged.
 */
export async function observeEpoch(
  logs: UnresolvedLogs | undefined,
  validationKey: string,
  opt: FloodOptimizer | undefined,
  extra: readonly AdaptiveSchedule[],
): Promise<void> {
  const trainingLoss = await readLog(logs?.loss);
  if (trainingLoss === undefined) return;
  const validationLoss = await readLog(logs?.[validationKey]);
  const observation = {
    step: opt?.iterations ?? 0,
    trainingLoss,
    ...(validationLoss !== undefined ? { validationLoss } : {}),
  };
  opt?.observe(observation);
  for (const s of extra) s.observe(observation);
}
