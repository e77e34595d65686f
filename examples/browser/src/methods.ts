/**
 * The two sides of the comparison: a plain run and a flooded run, each built from
 * the same base optimizer settings, and the flooding variants offered on the page.
 */
import { flooding, floodLoss, type LossFn } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { logisticLoss, logits } from './model.js';
import type { Objective } from './run.js';

/**
 * `tf.train.momentum`, except that `dispose()` also frees the learning-rate scalar
 * the class inherits from SGD: tfjs 4.22 leaks it (tfjs issue #4647).
 */
class Momentum extends tf.MomentumOptimizer {
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

/** Base optimizers offered on the page. */
export const BASES = {
  adam: { label: 'Adam, lr 0.01', create: () => tf.train.adam(0.01) },
  sgd: { label: 'SGD + momentum 0.9, lr 0.05', create: () => new Momentum(0.05, 0.9) },
} as const;

/** A key of {@link BASES}. */
export type BaseName = keyof typeof BASES;

/** Flooding variants offered on the page (the first is the default). */
export const METHODS = {
  flooding: { label: 'flooding(base, { level }) optimizer' },
  floodLoss: { label: 'floodLoss(loss, { level }) objective' },
  iflood: { label: 'iFlood: floodLoss(…, { individual: true })' },
} as const;

/** A key of {@link METHODS}. */
export type MethodName = keyof typeof METHODS;

/** An optimizer together with the objective it minimises. */
export interface Setup {
  /** The optimizer the run owns. */
  optimizer: tf.Optimizer;
  /** The scalar the optimizer minimises. */
  objective: Objective;
  /**
   * After a step: 1 if the flood was active (the step ascended, L < b), else 0, as
   * a device scalar owned by the caller. Absent for the plain run.
   */
  ascended?: (stepLoss: tf.Scalar) => tf.Scalar;
}

/** Per-sample logistic losses, `[n]`, from labels and logits (a `LossFn` for floodLoss). */
export const perSampleLogistic: LossFn = (labels, z) =>
  tf.tidy(() =>
    tf.reshape(tf.losses.sigmoidCrossEntropy(labels, z, undefined, 0, tf.Reduction.NONE), [-1]),
  );

/** The plain run: the base optimizer on the mean logistic loss. */
export function plainSetup(base: BaseName): Setup {
  return { optimizer: BASES[base].create(), objective: logisticLoss };
}

/**
 * The flooded run at level `level` (Ishida et al. 2020: minimise |L − b| + b, so a
 * step descends while L > b and ascends while L < b).
 *
 * - `flooding`: the `flooding(base, { level })` optimizer on the plain loss; it
 *   reports each step's direction in `lastStep.ascended`.
 * - `floodLoss`: the base optimizer on `floodLoss(loss, { level })`, the same
 *   update written as a loss.
 * - `iflood`: individual flooding (Xie et al. 2022), mean_i(|ℓ_i − b| + b).
 */
export function floodSetup(base: BaseName, method: MethodName, level: number): Setup {
  if (method === 'flooding') {
    const optimizer = flooding(BASES[base].create(), { level });
    return {
      optimizer,
      objective: logisticLoss,
      ascended: () => {
        const last = optimizer.lastStep?.ascended;
        if (!last) throw new Error('flooding reported no step');
        return tf.clone(last);
      },
    };
  }
  const loss = floodLoss(perSampleLogistic, { level, individual: method === 'iflood' });
  return {
    optimizer: BASES[base].create(),
    objective: (model, x, y) => tf.tidy(() => loss(y, logits(model, x)) as tf.Scalar),
    ascended: (stepLoss) =>
      tf.tidy(() => tf.cast(tf.less(stepLoss, level), 'float32') as tf.Scalar),
  };
}
