/**
 * LookSAM, SAM once every `k` steps, as a `tf.Optimizer`.
 *
 * @module
 */
import {
  DEFAULT_LOOKSAM_ALPHA,
  lookSamStep,
  requireInRange,
  requireInteger,
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

/** Options of {@link lookSam}. */
export interface LookSamOptions extends WrapperOptions {
  /** ρ >= 0, SAM's radius (a number or a schedule). */
  rho: ScheduleLike;
  /** k >= 1: a SAM step on every step `t` with `t mod k = 0` (Liu et al.: 5 or 10). */
  every: number;
  /** α in [0, 1]: the weight of the reused direction (default 0.7). */
  alpha?: number;
  /** Which variables the SAM probe moves (default all). */
  perturb?: PerturbFilter;
}

/** The optimizer made by {@link lookSam}, registered for serialization as `'LookSAM'`. */
export class LookSAM extends FloodOptimizer {
  /** The registered class name. */
  static get className(): string {
    return 'LookSAM';
  }
  /** A gradient estimator: its base must be a plain optimizer. */
  readonly kind = 'estimator';
  /** ρ as given. */
  readonly rho: ScheduleLike;
  /** k. */
  readonly every: number;
  /** α. */
  readonly alpha: number;
  private readonly perturb: PerturbOption;
  private readonly commit: StateCommit;

  /** See {@link lookSam}. */
  constructor(base: tf.Optimizer, options: LookSamOptions) {
    super(base, options);
    this.checkComposition();
    this.checkOptionKeys(options, ['rho', 'every', 'alpha', 'perturb']);
    this.rho = requireScheduleLike('rho', options?.rho, requireNonNegative);
    this.every = requireInteger('every', options.every, 1);
    this.alpha = requireInRange('alpha', options.alpha ?? DEFAULT_LOOKSAM_ALPHA, 0, 1);
    this.perturb = new PerturbOption(requirePerturb(options.perturb));
    this.commit = new StateCommit(base, 'LookSAM', 'gv');
  }

  /** Commits go through a `StateCommit` that keeps the step's rule state, then steps the base. */
  override get core(): tf.Optimizer {
    return this.commit;
  }

  protected schedules(): Record<string, ScheduleLike | undefined> {
    return { rho: this.rho };
  }

  protected ownConfig(): Config {
    return { every: this.every, alpha: this.alpha, ...this.perturb.toConfig('LookSAM') };
  }

  /** `@flood/core`'s `lookSamStep`; a new `g_v` is kept only if the step is committed. */
  propose(objective: VariablesObjective, step: number): Proposal {
    const rho = hyperValue('rho', this.rho, step, requireNonNegative);
    const vars = objective.variables;
    const stored = this.commit.read(vars.map((v) => v.shape));
    const previous = stored ? { gvUnit: stored } : undefined;
    const sam = !previous || step % this.every === 0;
    const mask = sam ? this.perturb.mask(vars) : undefined;
    const { state, ...p } = lookSamStep(
      objective,
      { rho, every: this.every, alpha: this.alpha },
      step,
      previous,
      mask,
    );
    if (mask) tf.dispose(mask);
    this.commit.propose(state === previous ? undefined : state.gvUnit);
    const proposal: Proposal = {
      ...p,
      hyperparameters: { rho, alpha: this.alpha },
      // A step in between hands g + α‖g‖·u with ‖u‖ <= 1 (u from a committed,
      // finite step): a finite ‖g‖ (< 2^64, or its square would overflow)
      // bounds every entry, so the guard needs no pass over the gradient.
      ...(p.gradientEvaluations === 1 ? { normIsOfGradient: true } : {}),
    };
    return proposal;
  }

  /** The wrapper's weights, then `g_v/‖g_v‖` (`flood/LookSAM/gv/<i>`). */
  override async getWeights(): Promise<NamedTensor[]> {
    return [...(await super.getWeights()), ...this.commit.stateWeights()];
  }

  /** Restores weights made by {@link LookSAM.getWeights}. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(this.commit.restoreState(weightValues));
  }

  /** Frees `g_v`, the last step's tensors and the base optimizer. */
  override dispose(): void {
    this.commit.disposeState();
    super.dispose();
  }

  /** Rebuilds a {@link LookSAM} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    return new (cls as unknown as typeof LookSAM)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      rho: scheduleFromConfig('rho', config.rho) as ScheduleLike,
      every: config.every as number,
      alpha: config.alpha as number,
      ...(Array.isArray(config.perturb) ? { perturb: config.perturb as boolean[] } : {}),
    }) as unknown as T;
  }
}
tf.serialization.registerClass(LookSAM);

/**
 * LookSAM (Liu et al., CVPR 2022): SAM's two passes only once every `every`
 * steps; the steps in between take one pass and reuse the direction in which
 * SAM's gradient differed from the plain one. With `g = ∇L(θ)`:
 *
 * ```text
 * t mod k = 0:  g_s = ∇L(θ + ρ·g/(‖g‖ + 1e-12));   g_v = g_s − (⟨g, g_s⟩/‖g‖²)·g   (kept);   step with g_s
 * otherwise:    step with g + α·(‖g‖/‖g_v‖)·g_v
 * ```
 *
 * Norms are over all variables (the paper's Algorithm 1). `g_v` is saved with
 * the optimizer (`includeOptimizer: true`) and changes only on finite steps.
 * Costs about `(k + 1)/k` plain steps per step.
 *
 * @param base - a `tf.train.*` optimizer (or {@link scheduled}).
 * @param options - `rho`, `every` (k), `alpha` (default 0.7), `perturb` and the shared options.
 * @throws RangeError naming the invalid option.
 * @see Liu, Mai, Chen, Hsieh, You, "Towards Efficient and Scalable
 *   Sharpness-Aware Minimization", CVPR 2022.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lookSam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = lookSam(tf.train.adam(0.01), { rho: 0.05, every: 5 });
 * for (let i = 0; i < 10; i++) opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function lookSam(base: tf.Optimizer, options: LookSamOptions): LookSAM {
  return new LookSAM(base, options);
}
