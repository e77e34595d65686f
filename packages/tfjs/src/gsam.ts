/**
 * GSAM, surrogate-gap guided sharpness-aware minimisation, as a `tf.Optimizer`.
 *
 * @module
 */
import {
  DEFAULT_ASAM_ETA,
  gsamStep,
  requireInRange,
  requireNonNegative,
  requireScheduleLike,
  type ScheduleLike,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { type PerturbFilter, PerturbOption, requirePerturb } from './method-support.js';
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

/** Options of {@link gsam}. */
export interface GsamOptions extends WrapperOptions {
  /** ρ >= 0, the neighbourhood radius (a number or a schedule; see {@link gsam} for tying it to the learning rate). */
  rho: ScheduleLike;
  /** α in [0, 1]: the descent along `g⊥` (Zhuang et al.: 0.01–0.3 on ImageNet; 0.4 in their CIFAR example). */
  alpha: number;
  /** ASAM's offset, `T = |θ| + η` (default false). */
  adaptive?: boolean;
  /** η >= 0 of ASAM's `T` (default 0.01; Zhuang et al.'s code: 0). */
  eta?: number;
  /** Which variables the probe moves (default all); see {@link PerturbFilter}. */
  perturb?: PerturbFilter;
}

/**
 * The optimizer made by {@link gsam}, registered for serialization as `'GSAM'`.
 */
export class GSAM extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'GSAM';
  }
  /** A gradient estimator: its base must be a plain optimizer. */
  readonly kind = 'estimator';
  /** ρ as given. */
  readonly rho: ScheduleLike;
  /** α. */
  readonly alpha: number;
  /** Whether the probe is ASAM's. */
  readonly adaptive: boolean;
  /** ASAM's η. */
  readonly eta: number;
  private readonly perturb: PerturbOption;

  /** See {@link gsam}. */
  constructor(base: tf.Optimizer, options: GsamOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['rho', 'alpha', 'adaptive', 'eta', 'perturb']);
    this.rho = requireScheduleLike('rho', options?.rho, requireNonNegative);
    this.alpha = requireInRange('alpha', options.alpha, 0, 1);
    if (options.adaptive !== undefined && typeof options.adaptive !== 'boolean') {
      throw new RangeError(`adaptive must be a boolean, got ${typeof options.adaptive}`);
    }
    this.adaptive = options.adaptive ?? false;
    this.eta = requireNonNegative('eta', options.eta ?? DEFAULT_ASAM_ETA);
    this.perturb = new PerturbOption(requirePerturb(options.perturb));
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { rho: this.rho };
  }

  protected ownConfig(): Config {
    return {
      alpha: this.alpha,
      adaptive: this.adaptive,
      eta: this.eta,
      ...this.perturb.toConfig('GSAM'),
    };
  }

  /** `@flood/core`'s `gsamStep` at the current ρ. */
  propose(objective: VariablesObjective, step: number): Proposal {
    const rho = hyperValue('rho', this.rho, step, requireNonNegative);
    const mask = this.perturb.mask(objective.variables);
    const p = gsamStep(
      objective,
      { rho, alpha: this.alpha, adaptive: this.adaptive, eta: this.eta },
      mask,
    );
    if (mask) tf.dispose(mask);
    return { ...p, hyperparameters: { rho, alpha: this.alpha } };
  }

  /** Rebuilds a {@link GSAM} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    return new (cls as unknown as typeof GSAM)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      rho: scheduleFromConfig('rho', config.rho) as ScheduleLike,
      alpha: config.alpha as number,
      adaptive: config.adaptive === true,
      ...(typeof config.eta === 'number' ? { eta: config.eta } : {}),
      ...(Array.isArray(config.perturb) ? { perturb: config.perturb as boolean[] } : {}),
    }) as unknown as T;
  }
}
tf.serialization.registerClass(GSAM);

/**
 * GSAM (Zhuang et al., ICLR 2022) around any base optimizer. Per step:
 *
 * ```text
 * g = ∇L(θ),   g_p = ∇L(θ + ρ·g/(‖g‖ + 1e-12))      (ASAM's offset with adaptive: true)
 * g⊥ = g − (⟨g, g_p⟩/‖g_p‖²)·g_p                      (the part of g orthogonal to g_p)
 * the base optimizer steps at θ with g_p − α·g⊥
 * ```
 *
 * Two forward/backward passes per step; α = 0 is SAM. The paper moves ρ with
 * the learning rate, `(ρ − ρ_min)/(ρ_max − ρ_min) = (η − η_min)/(η_max − η_min)`:
 * give ρ the same `@flood/schedulers` schedule as the learning rate with ρ's
 * end points, e.g. `rho: cosine({ from: 0.1, to: 0.01, steps })` beside
 * `scheduled(sgd, { learningRate: cosine({ from: 0.1, to: 0.001, steps }) })`
 * (an affine image of a cosine, linear or warm-up schedule is the same schedule
 * with mapped end points). `perturb` restricts the probe to some variables,
 * normalised over them. Wrap in `flooding(...)` to flood it.
 *
 * @param base - a `tf.train.*` optimizer (or {@link scheduled}).
 * @param options - `rho`, `alpha`, `adaptive`, `eta`, `perturb` and the shared options.
 * @throws RangeError naming the invalid option.
 * @see Zhuang et al., "Surrogate Gap Minimization Improves Sharpness-Aware
 *   Training", ICLR 2022.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gsam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = gsam(tf.train.sgd(0.1), { rho: 0.05, alpha: 0.4 });
 * opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function gsam(base: tf.Optimizer, options: GsamOptions): GSAM {
  return new GSAM(base, options);
}
