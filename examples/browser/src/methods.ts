/**
 * The two sides of the comparison: a plain run and a flooded run, each built from
 * the same base optimizer settings.
 */
import * as tf from '@tensorflow/tfjs-core';
import { logisticLoss } from './model.js';
import type { Objective } from './run.js';

/** Base optimizers offered on the page. */
export const BASES = {
  adam: { label: 'Adam, lr 0.01', create: () => tf.train.adam(0.01) },
  sgd: { label: 'SGD + momentum 0.9, lr 0.05', create: () => tf.train.momentum(0.05, 0.9) },
} as const;

/** A key of {@link BASES}. */
export type BaseName = keyof typeof BASES;

/** Flooding variants offered on the page. */
export const METHODS = {
  loss: {
    label: 'flooded loss |L − b| + b',
  },
} as const;

/** A key of {@link METHODS}. */
export type MethodName = keyof typeof METHODS;

/** An optimizer together with the objective it minimises. */
export interface Setup {
  /** The optimizer the run owns. */
  optimizer: tf.Optimizer;
  /** The scalar the optimizer minimises. */
  objective: Objective;
}

/** The plain run: the base optimizer on the mean logistic loss. */
export function plainSetup(base: BaseName): Setup {
  return { optimizer: BASES[base].create(), objective: logisticLoss };
}

/**
 * The flooded run at level `level`. `loss`: the objective |L − b| + b (Ishida et al.
 * 2020, eq. 2), whose gradient is sign(L − b)·∇L.
 */
export function floodSetup(base: BaseName, _method: MethodName, level: number): Setup {
  return {
    optimizer: BASES[base].create(),
    objective: (model, x, y) =>
      tf.tidy(() => {
        const l = logisticLoss(model, x, y);
        return tf.add(tf.abs(tf.sub(l, level)), level) as tf.Scalar;
      }),
  };
}
