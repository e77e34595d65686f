/**
 * One training run: a model, its optimizer and objective, trained full-batch one
 * step per epoch, with one device read-back per epoch for the numbers on the page.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from './data.js';
import type { Setup } from './methods.js';
import { accuracyOf, createMlp, disposeMlp, logisticLoss, logits, type Mlp } from './model.js';

/** The tensors of a data set, shaped for the model. */
export interface DataTensors {
  /** Points, `[n, 2]`. */
  x: tf.Tensor2D;
  /** 0/1 labels, `[n, 1]`. */
  y: tf.Tensor2D;
}

/** Uploads a data set to the active backend. Dispose the result when done. */
export function toTensors(d: Dataset): DataTensors {
  return { x: tf.tensor2d(d.x, [d.size, 2]), y: tf.tensor2d(d.y, [d.size, 1]) };
}

/** How a run turns the model and a batch into the scalar its optimizer minimises. */
export type Objective = (model: Mlp, x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar;

/** What one epoch produced, as numbers. */
export interface EpochStats {
  /** Epoch index, from 0. */
  epoch: number;
  /** Training loss (mean logistic loss) at the parameters the step started from. */
  stepLoss: number;
  /** Training loss after the step. */
  trainLoss: number;
  /** Test loss (clean labels) after the step. */
  testLoss: number;
  /** Training accuracy after the step (noisy labels). */
  trainAccuracy: number;
  /** Test accuracy after the step (clean labels). */
  testAccuracy: number;
  /** 1 if the step ascended (flood active, L < b), 0 if it descended; NaN for a plain run. */
  ascended: number;
}

/** A model trained by one optimizer on one objective. */
export class Run {
  /** Every epoch's numbers so far. */
  readonly history: EpochStats[] = [];
  /** Wall-clock milliseconds spent in {@link Run.epoch} so far (step, metrics, read-back). */
  elapsedMs = 0;
  private readonly model: Mlp;

  /**
   * @param setup the optimizer (owned by the run: disposed with it), its objective and
   *   how to tell whether a step ascended
   * @param seed model initialisation seed; equal seeds give equal starting weights
   */
  constructor(
    private readonly setup: Setup,
    seed: number,
  ) {
    this.model = createMlp({ seed });
  }

  /** One full-batch optimizer step, then the epoch's losses and accuracies. */
  async epoch(train: DataTensors, test: DataTensors): Promise<EpochStats> {
    const started = performance.now();
    const stats = tf.tidy(() => {
      const before = logisticLoss(this.model, train.x, train.y);
      const { optimizer, objective, ascended } = this.setup;
      optimizer.minimize(
        () => objective(this.model, train.x, train.y),
        false,
        this.model.variables,
      );
      const direction = ascended ? ascended(before) : tf.scalar(Number.NaN);
      const trainLogits = logits(this.model, train.x);
      const testLogits = logits(this.model, test.x);
      return tf.stack([
        before,
        tf.losses.sigmoidCrossEntropy(train.y, trainLogits),
        tf.losses.sigmoidCrossEntropy(test.y, testLogits),
        accuracyOf(trainLogits, train.y),
        accuracyOf(testLogits, test.y),
        direction,
      ]);
    });
    const values = await stats.data();
    stats.dispose();
    const out: EpochStats = {
      epoch: this.history.length,
      stepLoss: values[0]!,
      trainLoss: values[1]!,
      testLoss: values[2]!,
      trainAccuracy: values[3]!,
      testAccuracy: values[4]!,
      ascended: values[5]!,
    };
    this.history.push(out);
    this.elapsedMs += performance.now() - started;
    return out;
  }

  /** P(class 1) at the given points (`[x1, x2, …]`). */
  async probabilities(points: Float32Array): Promise<Float32Array> {
    const p = tf.tidy(() =>
      tf.sigmoid(logits(this.model, tf.tensor2d(points, [points.length / 2, 2]))),
    );
    const values = (await p.data()) as Float32Array;
    p.dispose();
    return values;
  }

  /** Releases the model and the optimizer. */
  dispose(): void {
    disposeMlp(this.model);
    this.setup.optimizer.dispose();
  }
}
