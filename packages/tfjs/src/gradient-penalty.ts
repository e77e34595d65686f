/**
 * The gradient-norm penalty as a `tf.Optimizer`.
 *
 * @module
 */
import {
  DEFAULT_PENALTY_RADIUS,
  gradientPenaltyStep,
  hessianVectorProduct,
  plainStep,
  requireNonNegative,
  requireOneOf,
  requirePositive,
  requireScheduleLike,
  type ScheduleLike,
  type StepProposal,
  ZERO_NORM,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { hyperValue, scheduleFromConfig } from './schedule-config.js';
import type { TensorVector } from './tensor-space.js';
import type { VariablesObjective } from './variables-objective.js';
import {
  baseFromConfig,
  type Config,
  FloodOptimizer,
  optionsFromConfig,
  type Proposal,
  type WrapperOptions,
} from './wrapper.js';

/** Options of {@link gradientPenalty}. */
export interface GradientPenaltyOptions extends WrapperOptions {
  /** λ >= 0, the weight of the penalty. */
  coefficient: ScheduleLike;
  /** 1: `λ‖∇L‖` (Zhao et al. 2022); 2: `λ‖∇L‖²` (the seed). Default 2. */
  power?: 1 | 2;
  /** r > 0, the finite-difference step along the gradient, in parameter units (default 0.01). */
  radius?: number;
  /**
   * `'finite-difference'` (default): two gradient evaluations, any loss.
   * `'exact'`: double backprop, `g + λ·p·‖g‖^(p−2)·∇²L·g`, with
   * `withSecondOrderGradients` installed, for losses built from
   * `SECOND_ORDER_SAFE_OPS` (the tfjs-layers Dense, Conv, pooling, Flatten,
   * BatchNormalization-inference and Embedding layers with the usual
   * activations, the compiled cross-entropies and mean squared error, plain `tf`
   * arithmetic, `logSumExp`); any other op (`tf.losses.softmaxCrossEntropy`,
   * `logSoftmax`, other `customGrad` ops, `pow`, …) makes the step throw a
   * `SecondOrderUnsupportedError` naming it, with weights and state unchanged,
   * instead of returning a silently wrong gradient (tfjs#3252).
   */
  method?: 'finite-difference' | 'exact';
}

/**
 * The optimizer made by {@link gradientPenalty} (the same as `new GradientPenalty(base, options)`),
 * registered for serialization as `'GradientPenalty'`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { GradientPenalty, gradientPenalty } from '@flood/tfjs';
 * const opt: GradientPenalty = gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.01 });
 * console.log(opt.getClassName(), opt.getConfig());
 * opt.dispose();
 * ```
 */
export class GradientPenalty extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'GradientPenalty';
  }
  /** A gradient estimator: its base must be a plain optimizer. */
  readonly kind = 'estimator';
  /** λ as given. */
  readonly coefficient: ScheduleLike;
  /** The power of the norm. */
  readonly power: 1 | 2;
  /** The finite-difference radius. */
  readonly radius: number;
  /** `'finite-difference'` or `'exact'`. */
  readonly method: 'finite-difference' | 'exact';

  /** See {@link gradientPenalty}. */
  constructor(base: tf.Optimizer, options: GradientPenaltyOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['coefficient', 'power', 'radius', 'method']);
    this.coefficient = requireScheduleLike('coefficient', options?.coefficient, requireNonNegative);
    this.power = requireOneOf('power', options.power ?? 2, [1, 2] as const);
    this.radius = requirePositive('radius', options.radius ?? DEFAULT_PENALTY_RADIUS);
    this.method = requireOneOf('method', options.method ?? 'finite-difference', [
      'finite-difference',
      'exact',
    ] as const);
  }

  /** True for `method: 'exact'`. */
  override usesExactHessian(): boolean {
    return this.method === 'exact';
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { coefficient: this.coefficient };
  }

  protected ownConfig(): Config {
    return { power: this.power, radius: this.radius, method: this.method };
  }

  /** `@flood/core`'s `gradientPenaltyStep` at the current λ. */
  propose(objective: VariablesObjective, step: number): Proposal {
    const coefficient = hyperValue('coefficient', this.coefficient, step, requireNonNegative);
    if (this.method === 'exact') {
      return {
        ...exactPenaltyStep(objective, coefficient, this.power),
        hyperparameters: { coefficient },
      };
    }
    const p = gradientPenaltyStep(objective, {
      coefficient,
      power: this.power,
      radius: this.radius,
    });
    return { ...p, hyperparameters: { coefficient } };
  }

  /** Rebuilds a {@link GradientPenalty} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    return new (cls as unknown as typeof GradientPenalty)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      coefficient: scheduleFromConfig('coefficient', config.coefficient) as ScheduleLike,
      ...(config.power === 1 || config.power === 2 ? { power: config.power } : {}),
      ...(typeof config.radius === 'number' ? { radius: config.radius } : {}),
      ...(config.method === 'exact' ? { method: 'exact' as const } : {}),
    }) as unknown as T;
  }
}
tf.serialization.registerClass(GradientPenalty);

/**
 * The exact gradient of `L + λ‖∇L‖^p` with an exact Hessian-vector product:
 * `g + λ·p·‖g‖^(p−2)·H g` (p = 2: `g + 2λHg`; p = 1: `g + λ·Hg/‖g‖`, and `g` at a
 * zero gradient). One gradient evaluation plus one double-backprop pass.
 */
function exactPenaltyStep(
  objective: VariablesObjective,
  lambda: number,
  power: 1 | 2,
): StepProposal<TensorVector, tf.Scalar> {
  const space = objective.space;
  const s = space.scalar;
  const first = plainStep(objective);
  try {
    const { product } = hessianVectorProduct(objective, first.gradient, { method: 'auto' });
    const c = power === 2 ? s.of(2 * lambda) : s.div(lambda, s.max(first.gradientNorm, ZERO_NORM));
    const gradient = space.axpby(1, first.gradient, c, product);
    space.dispose(c, product, first.gradient);
    return { ...first, gradient, gradientEvaluations: 2 };
  } catch (error) {
    space.dispose(first.loss, first.gradient, first.gradientNorm);
    throw error;
  }
}

/**
 * An explicit gradient-norm penalty `L + λ‖∇L‖^p` around any base optimizer,
 * by a finite difference along the gradient (no second-order autodiff):
 *
 * ```text
 * g0 = ∇L(θ),  δ = r·g0/‖g0‖,  g1 = ∇L(θ + δ)              (θ restored bit for bit)
 * p = 1:  g = g0 + (λ/r)(g1 − g0)        ≈ ∇(L + λ‖∇L‖)    (Zhao, Zhang, Hu, ICML 2022)
 * p = 2:  g = g0 + 2λ‖g0‖(g1 − g0)/r     ≈ ∇(L + λ‖∇L‖²)   (the seed; Barrett & Dherin 2021)
 * ```
 *
 * `method: 'exact'` uses double backprop instead, where tfjs computes it
 * correctly (see {@link GradientPenaltyOptions.method}; other losses throw).
 * Exact on quadratic losses for any `r` (`g0 + 2λAg0` for `p = 2`). With `p = 1`
 * and `λ = r` it is SAM with `ρ = r`. Zhao et al.'s recipes use `r = 0.1`,
 * `λ/r = 0.8`. The returned optimizer owns `base`.
 *
 * @param base - a `tf.train.*` optimizer.
 * @param options - `coefficient` (λ >= 0), `power` (1 or 2, default 2), `radius`
 *   (r > 0, default 0.01), `method` (`'finite-difference'` default, or `'exact'`).
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gradientPenalty } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.01 });
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export function gradientPenalty(
  base: tf.Optimizer,
  options: GradientPenaltyOptions,
): GradientPenalty {
  return new GradientPenalty(base, options);
}
