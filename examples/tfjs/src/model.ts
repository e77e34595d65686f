/**
 * The demo's model: a plain multilayer perceptron (dense + ReLU), built with
 * tfjs-layers and initialised from a seed so every method starts from the
 * same weights.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Shape and seed of the MLP. */
export interface MlpOptions {
  /** Input features (784 for MNIST, 2 for the sinusoid). */
  readonly inputs: number;
  /** Width of each hidden layer, first to last. */
  readonly hidden: readonly number[];
  /** Output classes (the last layer gives one logit per class). */
  readonly classes: number;
  /** Seed of the Glorot-uniform initialiser; layer i uses seed + i. */
  readonly seed: number;
}

/** Dense(ReLU) × hidden.length, then a linear Dense to the logits. */
export function buildMlp(o: MlpOptions): tfl.LayersModel {
  const model = tfl.sequential();
  const widths = [...o.hidden, o.classes];
  widths.forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        units,
        activation: i < o.hidden.length ? 'relu' : 'linear',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: o.seed + i }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [o.inputs] } : {}),
      }),
    );
  });
  return model;
}

/** The model's trainable variables, in layer order (what the optimizers update). */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Copies all weights of `from` into `to` (same architecture). */
export function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  const weights = from.getWeights();
  to.setWeights(weights);
}
