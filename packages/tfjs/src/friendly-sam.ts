/**
 * Friendly SAM as a `tf.Optimizer`.
 *
 * @module
 */
import {
  DEFAULT_FSAM_MOMENTUM,
  DEFAULT_FSAM_SIGMA,
  friendlySamStep,
  requireInRange,
  requireNonNegative,
  requireScheduleLike,
  type ScheduleLike,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type PerturbFilter,
  PerturbOption,
  requirePerturb,
  StateCommit,
} from './method-support.js';
import { hyperValue, scheduleFromConfig } from './schedule-config.js';
import type { VariablesObjective } from './variables-objective.js';
import {
  baseFromConfig,
  type Config,
  FloodOptimizer,
  type NamedTensor,
  optionsFromConfig,
  type Proposal,
  type WrapperOptions,
} from './wrapper.js';

/** Options of {@link friendlySam}. */
export interface FriendlySamOptions extends WrapperOptions {
  /** ρ >= 0, the neighbourhood radius (a number or a schedule; Li et al.'s CIFAR script: 0.2). */
  rho: ScheduleLike;
  /** σ >= 0: how much of the gradient average the probe direction drops (default 1). */
  sigma?: number;
  /** λ in [0, 1): the decay of the gradient average (default 0.9; their CIFAR-100 script: 0.6). */
  momentum?: number;
  /** Which variables the probe moves (default all). */
  perturb?: PerturbFilter;
}

/** The optimizer made by {@link friendlySam}, registered for serialization as `'FriendlySAM'`. */
export class FriendlySAM extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'FriendlySAM';
  }
  /** A gradient estimator: its base must be a plain optimizer. */
  readonly kind = 'estimator';
  /** ρ as given. */
  readonly rho: ScheduleLike;
  /** σ. */
  readonly sigma: number;
  /** λ. */
  readonly momentum: number;
  private readonly perturb: PerturbOption;
  private readonly commit: StateCommit;

  /** See {@link friendlySam}. */
  constructor(base: tf.Optimizer, options: FriendlySamOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['rho', 'sigma', 'momentum', 'perturb']);
    this.rho = requireScheduleLike('rho', options?.rho, requireNonNegative);
    this.sigma = requireNonNegative('sigma', options.sigma ?? DEFAULT_FSAM_SIGMA);
    this.momentum = requireInRange('momentum', options.momentum ?? DEFAULT_FSAM_MOMENTUM, 0, 1, {
      upperOpen: true,
    });
    this.perturb = new PerturbOption(requirePerturb(options.perturb));
    this.commit = new StateCommit(base, 'FriendlySAM', 'm');
  }

  /** Commits go through a `StateCommit` that keeps the step's rule state, then steps the base. */
  override get core(): tf.Optimizer {
    return this.commit;
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { rho: this.rho };
  }

  protected ownConfig(): Config {
    return { sigma: this.sigma, momentum: this.momentum, ...this.perturb.toConfig('FriendlySAM') };
  }

  /** `@flood/core`'s `friendlySamStep`; the new `m` is kept only if the step is committed. */
  propose(objective: VariablesObjective, step: number): Proposal {
    const rho = hyperValue('rho', this.rho, step, requireNonNegative);
    const vars = objective.variables;
    const stored = this.commit.read(vars.map((v) => v.shape));
    const mask = this.perturb.mask(vars);
    const { state, ...p } = friendlySamStep(
      objective,
      { rho, sigma: this.sigma, momentum: this.momentum },
      stored ? { m: stored } : undefined,
      mask,
    );
    if (mask) tf.dispose(mask);
    this.commit.propose(state.m);
    const proposal: Proposal = { ...p, hyperparameters: { rho } };
    return proposal;
  }

  /** The wrapper's weights, then `m` (`flood/FriendlySAM/m/<i>`). */
  override async getWeights(): Promise<NamedTensor[]> {
    return [...(await super.getWeights()), ...this.commit.stateWeights()];
  }

  /** Restores weights made by {@link FriendlySAM.getWeights}. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(this.commit.restoreState(weightValues));
  }

  /** Frees `m`, the last step's tensors and the base optimizer. */
  override dispose(): void {
    this.commit.disposeState();
    super.dispose();
  }

  /** Rebuilds a {@link FriendlySAM} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    return new (cls as unknown as typeof FriendlySAM)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      rho: scheduleFromConfig('rho', config.rho) as ScheduleLike,
      sigma: config.sigma as number,
      momentum: config.momentum as number,
      ...(Array.isArray(config.perturb) ? { perturb: config.perturb as boolean[] } : {}),
    }) as unknown as T;
  }
}
tf.serialization.registerClass(FriendlySAM);

/**
 * Friendly SAM (Li et al., CVPR 2024): SAM whose probe follows the batch's
 * gradient noise. With `g = ∇L(θ)` and `m` an average of past gradients, in the
 * order of the authors' code (nblt/F-SAM):
 *
 * ```text
 * d = g − σ·m;   m ← λ·m + (1 − λ)·g          (first step: d = g, m = g)
 * the base optimizer steps at θ with ∇L(θ + ρ·d/(‖d‖ + 1e-12))
 * ```
 *
 * Two forward/backward passes per step. `m` is saved with the optimizer
 * (`includeOptimizer: true`) and changes only on committed (finite) steps; if
 * the very first step is refused, the average starts from zero instead of
 * that step's gradient.
 *
 * @param base - a `tf.train.*` optimizer (or {@link scheduled}).
 * @param options - `rho`, `sigma` (default 1), `momentum` (λ, default 0.9),
 *   `perturb` and the shared options.
 * @throws RangeError naming the invalid option.
 * @see Li, Zhou, He, Cheng, Huang, "Friendly Sharpness-Aware Minimization", CVPR 2024.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { friendlySam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = friendlySam(tf.train.sgd(0.1), { rho: 0.2, sigma: 1, momentum: 0.6 });
 * for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function friendlySam(base: tf.Optimizer, options: FriendlySamOptions): FriendlySAM {
  return new FriendlySAM(base, options);
}
