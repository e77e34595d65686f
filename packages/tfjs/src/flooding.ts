/**
 * Flooding as a `tf.Optimizer`.
 *
 * @module
 */
import {
  floodProposal,
  requireNonNegative,
  requireScheduleLike,
  type ScheduleLike,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { floodedScalar } from './flood-loss.js';
import { hyperValue, scheduleFromConfig } from './schedule-config.js';
import type { VariablesObjective } from './variables-objective.js';
import {
  baseFromConfig,
  type Config,
  FloodOptimizer,
  isFloodOptimizer,
  optionsFromConfig,
  type Proposal,
  type WrapperOptions,
} from './wrapper.js';

/** Options of {@link flooding}. */
export interface FloodingOptions extends WrapperOptions {
  /**
   * The flood level `b >= 0`, in loss units: a number, a schedule of the step, or
   * an adaptive schedule (fed by `floodCallback`).
   */
  level: ScheduleLike;
}

/**
 * The optimizer made by {@link flooding}: minimises `|L − b| + b` by handing
 * `sign(L(θ) − b)·g` to its base, where `g` is the base's gradient estimate
 * (the plain gradient, or SAM's / the penalty's / backstitch's when the base is
 * one of those wrappers).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Flooding, flooding } from '@flood/tfjs';
 * const opt: Flooding = flooding(tf.train.sgd(0.1), { level: 0.05 }); // = new Flooding(…)
 * console.log(opt.getClassName(), opt.getConfig());
 * opt.dispose();
 * ```
 */
export class Flooding extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'Flooding';
  }
  /** A loss transform: it may wrap a gradient estimator. */
  readonly kind = 'transform';
  /** The flood level as given. */
  readonly level: ScheduleLike;

  /** See {@link flooding}. */
  constructor(base: tf.Optimizer, options: FloodingOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['level']);
    this.level = requireScheduleLike('level', options?.level, requireNonNegative);
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { level: this.level };
  }

  protected ownConfig(): Config {
    return {};
  }

  /**
   * The base's proposal with flooding's sign applied (`floodProposal`), or, over
   * a plain base, the gradient of `|L − b| + b` itself: one backward pass whose
   * head multiplies by `sign(L − b)` (`floodedScalar`), so no extra pass over the
   * gradient. `gradientNorm`, only with `recordGradientNorm`, is then the norm
   * of that gradient: `‖∇L(θ)‖` except at `L = b` exactly (where the flooded
   * gradient is 0).
   */
  propose(objective: VariablesObjective, step: number): Proposal {
    const level = hyperValue('level', this.level, step, requireNonNegative);
    if (isFloodOptimizer(this.base)) {
      const inner = this.base.propose(objective, step);
      const flooded = floodProposal(objective.space, inner, level);
      return { ...flooded, hyperparameters: { ...inner.hyperparameters, level } };
    }
    const { loss, gradient } = objective.evaluateTransformed(
      (l) => floodedScalar(l, level) as tf.Scalar,
    );
    return {
      loss,
      gradient,
      ...(this.recordGradientNorm
        ? { gradientNorm: objective.space.norm(gradient), normIsOfGradient: true }
        : {}),
      ascendedBelow: level,
      gradientEvaluations: 1,
      hyperparameters: { level },
    };
  }

  /** Rebuilds a {@link Flooding} from {@link FloodOptimizer.getConfig}'s output. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    const level = scheduleFromConfig('level', config.level);
    return new (cls as unknown as typeof Flooding)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      level: level as ScheduleLike,
    }) as unknown as T;
  }
}
tf.serialization.registerClass(Flooding);

/**
 * Flooding (Ishida et al., ICML 2020): minimise `|L − b| + b` with any base
 * optimizer. One SGD step is
 *
 * ```text
 * θ ← θ − lr · sign(L(θ) − b) · ∇L(θ)     (descent above the level b, ascent below)
 * ```
 *
 * The level may be a number, a `Schedule` of the optimizer's iteration count, or
 * an adaptive schedule from `@flood/schedulers` (driven by `floodCallback`).
 * Around the level, flooding alternates descent and ascent and so acts like a
 * gradient-norm penalty (see `floodingEquivalent` in `@flood/core`).
 * Composition: `flooding(sam(base))`, `flooding(gradientPenalty(base, …))` and
 * `flooding(backstitch(base, …))` flood the estimator's gradient by the sign of
 * the raw loss; `flooding(flooding(…))` throws. `lastStep.ascended` and the
 * `floodProp` of `floodCallback` report how often a step ascended.
 *
 * The returned optimizer owns `base` (its `dispose()` disposes `base`).
 *
 * @param base - any `tf.train.*` optimizer or a gradient-estimator wrapper.
 * @param options - `level` (b >= 0, loss units) and the shared {@link WrapperOptions}.
 * @throws RangeError naming `level` (or another option) when it is invalid.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { flooding } from '@flood/tfjs';
 * const w = tf.variable(tf.scalar(1));
 * const opt = flooding(tf.train.sgd(0.1), { level: 0.5 });
 * // L = w² = 1 > 0.5: descends, w = 1 − 0.1·2 = 0.8
 * opt.minimize(() => tf.sum(tf.square(w)));
 * console.log(w.dataSync()[0]); // 0.8
 * ```
 */
export function flooding(base: tf.Optimizer, options: FloodingOptions): Flooding {
  return new Flooding(base, options);
}
