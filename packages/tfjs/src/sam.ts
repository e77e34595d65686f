/**
 * Sharpness-aware minimisation as a `tf.Optimizer`.
 *
 * @module
 */
import {
  DEFAULT_ASAM_ETA,
  requireNonNegative,
  requireScheduleLike,
  type ScheduleLike,
  samStep,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { hyperValue, scheduleFromConfig } from './schedule-config.js';
import type { VariablesObjective } from './variables-objective.js';
import {
  baseFromConfig,
  type Config,
  FloodOptimizer,
  optionsFromConfig,
  type Proposal,
  type WrapperOptions,
} from './wrapper.js';

/** Options of {@link sam}. */
export interface SamOptions extends WrapperOptions {
  /** ρ >= 0, the neighbourhood radius in parameter units (Foret et al.: 0.05; ASAM: 0.5). */
  rho: ScheduleLike;
  /** ASAM (Kwon et al. 2021): scale the neighbourhood by `T = |θ| + η`. Default false. */
  adaptive?: boolean;
  /** η >= 0 of ASAM's `T = |θ| + η` (default 0.01). */
  eta?: number;
}

/**
 * The optimizer made by {@link sam} (the same as `new SAM(base, options)`),
 * registered for serialization as `'SAM'`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SAM, sam } from '@flood/tfjs';
 * const opt: SAM = sam(tf.train.sgd(0.1), { rho: 0.05 });
 * console.log(opt.getClassName(), opt.getConfig());
 * opt.dispose();
 * ```
 */
export class SAM extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'SAM';
  }
  /** A gradient estimator: its base must be a plain optimizer. */
  readonly kind = 'estimator';
  /** ρ as given. */
  readonly rho: ScheduleLike;
  /** Whether this is ASAM. */
  readonly adaptive: boolean;
  /** ASAM's η. */
  readonly eta: number;

  /** See {@link sam}. */
  constructor(base: tf.Optimizer, options: SamOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['rho', 'adaptive', 'eta']);
    this.rho = requireScheduleLike('rho', options?.rho, requireNonNegative);
    if (options.adaptive !== undefined && typeof options.adaptive !== 'boolean') {
      throw new RangeError(`adaptive must be a boolean, got ${typeof options.adaptive}`);
    }
    this.adaptive = options.adaptive ?? false;
    this.eta = requireNonNegative('eta', options.eta ?? DEFAULT_ASAM_ETA);
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { rho: this.rho };
  }

  protected ownConfig(): Config {
    return { adaptive: this.adaptive, eta: this.eta };
  }

  /** `@flood/core`'s `samStep` at the current ρ. */
  propose(objective: VariablesObjective, step: number): Proposal {
    const rho = hyperValue('rho', this.rho, step, requireNonNegative);
    const p = samStep(objective, { rho, adaptive: this.adaptive, eta: this.eta });
    return { ...p, hyperparameters: { rho } };
  }

  /** Rebuilds a {@link SAM} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    return new (cls as unknown as typeof SAM)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      rho: scheduleFromConfig('rho', config.rho) as ScheduleLike,
      adaptive: config.adaptive === true,
      ...(typeof config.eta === 'number' ? { eta: config.eta } : {}),
    }) as unknown as T;
  }
}
tf.serialization.registerClass(SAM);

/**
 * Sharpness-aware minimisation (Foret et al., ICLR 2021) around any base
 * optimizer; `adaptive: true` gives ASAM (Kwon et al., ICML 2021). Per step:
 *
 * ```text
 * g0 = ∇L(θ)
 * SAM:  δ = ρ·g0 / (‖g0‖ + 1e-12)        ASAM: δ = ρ·T²g0 / (‖T g0‖ + 1e-12),  T = |θ| + η
 * the base optimizer steps at θ (restored bit for bit) with g = ∇L(θ + δ)
 * ```
 *
 * Two forward/backward passes per step. BatchNorm statistics of the probe pass
 * are discarded and dropout masks are replayed (see {@link WrapperOptions}).
 * The returned optimizer owns `base`. Wrap it in `flooding(...)` to flood SAM's
 * gradient; SAM cannot wrap another wrapper.
 *
 * @param base - a `tf.train.*` optimizer.
 * @param options - `rho` (ρ >= 0, default in papers 0.05; ASAM 0.5), `adaptive`
 *   (default false), `eta` (η >= 0, default 0.01) and the shared options.
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { sam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = sam(tf.train.sgd(0.1), { rho: 0.05 });
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export function sam(base: tf.Optimizer, options: SamOptions): SAM {
  return new SAM(base, options);
}
