/**
 * What the last step of a flood optimizer did, and who frees it.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * What the last step did. Tensors are device scalars owned by the optimizer and
 * valid until the next step (clone them to keep them longer); numbers are plain.
 * Reading a tensor (`await t.data()`) is the only read-back.
 */
export interface LastStep {
  /** The optimizer iteration the step ran at (the step its schedules were read at). */
  step: number;
  /** The raw loss `L(θ)` at the parameters the step started from. */
  loss: tf.Scalar;
  /**
   * `‖∇L(θ)‖₂`: always for the two-pass methods (their rules need it); for
   * flooding over a plain base only with `recordGradientNorm` (else undefined;
   * then it is the norm of the flooded gradient, `‖∇L(θ)‖` except at `L = b`).
   */
  gradientNorm?: tf.Scalar;
  /** The loss at the probe point, for two-pass methods. */
  probeLoss?: tf.Scalar;
  /** Flooding: `1` if the step ascended (`L < b`), else `0`. */
  ascended?: tf.Scalar;
  /** The hyper-parameters in effect (`level`, `rho`, `coefficient`, `ascentRate`, …). */
  hyperparameters: Record<string, number>;
  /** Gradient evaluations (forward + backward passes) the step used. */
  gradientEvaluations: number;
  /**
   * `1` if the step met a non-finite loss or gradient and was refused (weights
   * and optimizer state untouched), else `0`: a device scalar, like the others.
   */
  refused: tf.Scalar;
}

/** The device scalars a step proposed, before the optimizer keeps them. */
export type StepScalars = Pick<LastStep, 'loss' | 'gradientNorm' | 'probeLoss' | 'ascended'>;

/**
 * A step record that keeps the step's scalars alive (`tf.keep`) until the
 * next record replaces it or {@link disposeLastStep} frees it.
 *
 * @param scalars - the proposal's loss, norm, probe loss and `ascended`.
 * @param rest - the step index, hyper-parameters, evaluations and `refused`.
 */
export function keepLastStep(
  scalars: StepScalars,
  rest: Omit<LastStep, keyof StepScalars>,
): LastStep {
  const kept: Partial<StepScalars> = {};
  for (const key of ['loss', 'gradientNorm', 'probeLoss', 'ascended'] as const) {
    const t = scalars[key];
    if (t) kept[key] = tf.keep(t);
  }
  return { ...(kept as StepScalars), ...rest };
}

/** Frees the tensors of a step record (nothing for `undefined`). */
export function disposeLastStep(last: LastStep | undefined): void {
  if (!last) return;
  tf.dispose([last.loss, last.gradientNorm ?? [], last.probeLoss ?? [], last.ascended ?? []]);
  last.refused.dispose();
}
