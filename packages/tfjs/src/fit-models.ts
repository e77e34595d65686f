/**
 * The tfjs-layers models whose `fit` or `fitDataset` is running, learnt from a
 * callback tfjs-layers runs in every fit (registered with
 * `registerCallbackConstructor` at verbosity 0 when this module is imported).
 * An optimizer's `minimize` gets only the loss closure, not the model; the
 * probe-pass guards use these models to keep a probe pass from computing the
 * model's metrics and to give its dropout layers the same seed in every pass
 * of a step (see `variables-objective.ts`). `trainOnBatch` runs no callback,
 * so its model is not known here.
 *
 * @module
 */
import { Callback, registerCallbackConstructor } from '@tensorflow/tfjs-layers';
import type { LayersModelFields } from './tfjs-internals.js';

/** Models between their fit's `onTrainBegin` and `onTrainEnd`. */
const fitting = new Set<LayersModelFields>();

/**
 * The models whose fit is running. A fit that threw never reaches
 * `onTrainEnd`; tfjs-layers clears the model's `isTraining` in its `finally`,
 * so such a model is dropped here.
 */
export function fittingModels(): LayersModelFields[] {
  for (const m of fitting) if (m.isTraining === false) fitting.delete(m);
  return [...fitting];
}

/** Adds the model at the start of its fit and removes it at the end. */
class FitModels extends Callback {
  override async onTrainBegin(): Promise<void> {
    if (this.model) fitting.add(this.model as unknown as LayersModelFields);
  }

  override async onTrainEnd(): Promise<void> {
    if (this.model) fitting.delete(this.model as unknown as LayersModelFields);
  }
}

registerCallbackConstructor(0, FitModels);
