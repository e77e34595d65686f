import { euclideanNorm, type Objective } from '@flood/core';
import { readScalar } from './read.js';

/** Options of {@link gradientNorm}. */
export interface GradientNormOptions {
  /** Also report the norm of each block (variable) of the gradient. Default false. */
  perVariable?: boolean;
}

/** The result of {@link gradientNorm}. */
export interface GradientNorm {
  /** The global norm `‖∇L(θ)‖₂ = sqrt(Σ_blocks ‖g_b‖²)`. */
  norm: number;
  /** The loss `L(θ)` at which it was taken. */
  loss: number;
  /** `‖g_b‖₂` per block, keyed by the block's name (when `perVariable`). */
  perVariable?: Record<string, number>;
  /** Gradient evaluations spent: 1. */
  gradientEvaluations: number;
}

/**
 * The L2 norm of the gradient at the current parameters, globally and (with
 * `perVariable`) per block of `objective.space.blocks`, like optax's
 * `tree_norm` and cockpit's per-layer `GradNorm`.
 *
 * Cost: one gradient evaluation; one read-back (plus one copy of the gradient to
 * the host when `perVariable`).
 */
export async function gradientNorm<V, S>(
  objective: Objective<V, S>,
  options: GradientNormOptions = {},
): Promise<GradientNorm> {
  const space = objective.space;
  const { loss, gradient } = objective.evaluate();
  try {
    const result: GradientNorm = {
      norm: await readScalar(space, space.norm(gradient)),
      loss: await space.scalar.read(loss),
      gradientEvaluations: 1,
    };
    if (options.perVariable) {
      const arrays = await space.toArrays(gradient);
      result.perVariable = Object.fromEntries(
        space.blocks.map((b, i) => [b.name, euclideanNorm(arrays[i]!)]),
      );
    }
    return result;
  } finally {
    space.dispose(loss, gradient);
  }
}
