/**
 * Backstitch (the seed's ε1/ε2 scheme) as a `tf.Optimizer`.
 *
 * @module
 */
import {
  backstitchStep,
  plainStep,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requireScheduleLike,
  type ScheduleLike,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { hyperValue, scheduleFromConfig } from './schedule-config.js';
import { descentRate, learningRateOf } from './tfjs-internals.js';
import type { VariablesObjective } from './variables-objective.js';
import {
  baseFromConfig,
  type Config,
  FloodOptimizer,
  optionsFromConfig,
  type Proposal,
  type WrapperOptions,
} from './wrapper.js';

/** `ratio` in [0, 1): ε2 = ratio·η < η = ε1 (Kaldi's α; `backstitchRatio` in `@flood/schedulers`). */
function requireRatio(name: string, value: number): number {
  return requireInRange(name, value, 0, 1, { upperOpen: true });
}

/** Options of {@link backstitch}: exactly one of `ascentRate` and `ratio`. */
export interface BackstitchOptions extends WrapperOptions {
  /** ε2 >= 0, the rate of the ascent step, in the base learning rate's units. */
  ascentRate?: ScheduleLike;
  /**
   * ε2 / η >= 0 (Kaldi's α): the ascent rate as a multiple of the base
   * optimizer's `learningRate` (read every step). Kaldi recipes use 0.2–0.3.
   */
  ratio?: ScheduleLike;
  /** Backstitch every `interval`-th step (steps with `iteration % interval == 0`), plain steps otherwise. Default 1. */
  interval?: number;
}

/**
 * The optimizer made by {@link backstitch} (the same as `new Backstitch(base, options)`),
 * registered for serialization as `'Backstitch'`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Backstitch, backstitch } from '@flood/tfjs';
 * const opt: Backstitch = backstitch(tf.train.sgd(0.1), { ascentRate: 0.03 });
 * console.log(opt.getClassName(), opt.getConfig());
 * opt.dispose();
 * ```
 */
export class Backstitch extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'Backstitch';
  }
  /** A gradient estimator: its base must be a plain optimizer. */
  readonly kind = 'estimator';
  /** ε2 as given, if given. */
  readonly ascentRate: ScheduleLike | undefined;
  /** ε2/η as given, if given. */
  readonly ratio: ScheduleLike | undefined;
  /** Backstitch every `interval`-th step. */
  readonly interval: number;

  /** See {@link backstitch}. */
  constructor(base: tf.Optimizer, options: BackstitchOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['ascentRate', 'ratio', 'interval']);
    const hasRate = options?.ascentRate !== undefined;
    const hasRatio = options?.ratio !== undefined;
    if (hasRate === hasRatio) {
      throw new RangeError('backstitch needs exactly one of ascentRate and ratio');
    }
    this.ascentRate = hasRate
      ? requireScheduleLike('ascentRate', options.ascentRate, requireNonNegative)
      : undefined;
    this.ratio = hasRatio ? requireScheduleLike('ratio', options.ratio, requireRatio) : undefined;
    this.interval = requireInteger('interval', options.interval ?? 1, 1);
    if (hasRatio) this.baseLearningRate();
    if (typeof this.ascentRate === 'number') this.checkAscentRate(this.ascentRate);
  }

  /** Refuses ε2 >= ε1 where the base's descent rate ε1 is known (a net ascent). */
  private checkAscentRate(ascentRate: number): void {
    const e1 = descentRate(this.base);
    if (e1 !== undefined && !(ascentRate < e1)) {
      throw new RangeError(
        `ascentRate must be < the base optimizer's learningRate (ε2 < ε1 = ${e1}), got ` +
          `${ascentRate}: backstitch would climb (a net ascent of rate ε2 − ε1 >= 0)`,
      );
    }
  }

  private baseLearningRate(): number {
    const lr = learningRateOf(this.base);
    if (lr === undefined) {
      throw new RangeError(
        `backstitch ratio needs a base optimizer with a numeric learningRate ` +
          `(${this.base.getClassName()} has none); give ascentRate instead`,
      );
    }
    return lr;
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { ascentRate: this.ascentRate, ratio: this.ratio };
  }

  protected ownConfig(): Config {
    return { interval: this.interval };
  }

  /** `@flood/core`'s `backstitchStep` on backstitch steps, `plainStep` otherwise. */
  propose(objective: VariablesObjective, step: number): Proposal {
    const ascentRate =
      this.ascentRate !== undefined
        ? hyperValue('ascentRate', this.ascentRate, step, requireNonNegative)
        : hyperValue('ratio', this.ratio!, step, requireRatio) * this.baseLearningRate();
    if (this.ascentRate !== undefined) this.checkAscentRate(ascentRate);
    if (step % this.interval !== 0) {
      return { ...plainStep(objective), hyperparameters: { ascentRate: 0 } };
    }
    return { ...backstitchStep(objective, { ascentRate }), hyperparameters: { ascentRate } };
  }

  /** Rebuilds a {@link Backstitch} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    const ascentRate = scheduleFromConfig('ascentRate', config.ascentRate);
    const ratio = scheduleFromConfig('ratio', config.ratio);
    return new (cls as unknown as typeof Backstitch)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      ...(ascentRate !== undefined ? { ascentRate } : {}),
      ...(ratio !== undefined ? { ratio } : {}),
      ...(typeof config.interval === 'number' ? { interval: config.interval } : {}),
    }) as unknown as T;
  }
}
tf.serialization.registerClass(Backstitch);

/**
 * Backstitch (Wang et al., Interspeech 2017), the seed's ε1/ε2 scheme: per
 * `minimize` call, on the same batch,
 *
 * ```text
 * θ' = θ + ε2·∇L(θ)                    (a plain ascent step of rate ε2, kept)
 * the base optimizer steps from θ' with ∇L(θ')          (for SGD(ε1): θ'' = θ' − ε1·∇L(θ'))
 * ```
 *
 * For SGD this is, to second order, gradient descent with rate `ε1 − ε2` on
 * `L + ε1ε2/(2(ε1 − ε2))·‖∇L‖²` (`backstitchEquivalent` in `@flood/core`).
 * Give `ascentRate` (ε2) or `ratio` (ε2 = ratio × the base's `learningRate`,
 * Kaldi's α; then SGD(η) gives ε1 = η, not Kaldi's (1 + α)η). `interval: n`
 * backstitches every n-th step and takes plain steps otherwise. Two passes per
 * backstitch step; Kaldi uses no momentum. The returned optimizer owns `base`.
 *
 * @param base - a `tf.train.*` optimizer (with a `learningRate` when `ratio` is used).
 * @param options - exactly one of `ascentRate` (ε2 >= 0) and `ratio` (>= 0),
 *   `interval` (integer >= 1, default 1) and the shared options.
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { backstitch } from '@flood/tfjs';
 * const w = tf.variable(tf.scalar(1));
 * const opt = backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 });
 * // L = w²: θ' = 1 + 0.05·2 = 1.1, then θ'' = 1.1 − 0.1·2.2 = 0.88
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export function backstitch(base: tf.Optimizer, options: BackstitchOptions): Backstitch {
  return new Backstitch(base, options);
}
