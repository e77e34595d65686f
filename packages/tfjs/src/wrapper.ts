/**
 * The one `tf.Optimizer` of `@flood/tfjs`: it runs the rule of a
 * `@flood/core` spec (`{ method: 'sam', rho }`, flooded or not) over the
 * variables and commits the proposed gradient to its base optimizer, atomically.
 *
 * @module
 */
import {
  flooded,
  isAdaptiveSchedule,
  type Rule,
  ruleOf,
  type ScheduleLike,
  type Spec,
  scheduledOptions,
  type TrainingObservation,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WrapperKind } from './composition.js';
import { disposeLastStep, type LastStep } from './last-step.js';
import { floodedLayers, layerParts, requireOptimizer } from './layer-setup.js';
import { chainStep, stepVariables } from './layer-step.js';
import { type NamedTensor, ownWeights, readOwnWeights } from './optimizer-weights.js';
import type { PerturbOption } from './perturb.js';
import { RefusedSteps } from './refused-steps.js';
import type { StateCommit } from './rule-state.js';
import { type Config, classNameOf, specToConfig } from './spec-config.js';
import { runStep } from './step.js';
import {
  type FloodOptimizerOptions,
  resolveWrapperOptions,
  type WrapperOptions,
} from './wrapper-options.js';

export type { WrapperKind } from './composition.js';
export type { LastStep } from './last-step.js';
export type { NamedTensor } from './optimizer-weights.js';
export type { Config } from './spec-config.js';
export type {
  FloodOptimizerOptions,
  NonFinitePolicy,
  WrapperOptions,
} from './wrapper-options.js';

/**
 * The optimizer every factory of `@flood/tfjs` returns (`flooding`, `sam`,
 * `backstitch`, `gradientPenalty`, `gsam`, `lookSam`, `friendlySam`): a
 * `tf.Optimizer` that wraps a base optimizer (which it owns: `dispose()`
 * disposes it too) and runs `ruleOf(spec)` on every `minimize`.
 *
 * `minimize(f, returnCost, varList)` evaluates `f` as often as the rule needs
 * over a fixed, ordered variable list (`varList`, or every registered trainable
 * variable), restores the parameters after every probe, and only then commits:
 * it moves by the rule's displacement (backstitch) and calls the base
 * optimizer's `applyGradients` with the gradients in that same order, keeping
 * everything as it was where the step is not finite (decided on the device).
 * It returns the raw loss at `θ`. `iterations` is the base optimizer's;
 * `applyGradients` passes straight through to it (a plain step).
 *
 * Flooding over an estimator (`flooding(sam(…))`) is an optimizer whose base is
 * the estimator's: its rule is core's `flooded` combinator over the inner
 * rule, and the outermost one's {@link WrapperOptions} apply to the whole step.
 * Each layer saves its config and weights under its class name (`'Flooding'`,
 * `'SAM'`, `'Backstitch'`, `'GradientPenalty'`, `'GSAM'`, `'LookSAM'`,
 * `'FriendlySAM'`), the names models saved by every earlier version carry.
 *
 * Probe passes (every evaluation after the first in a step) are guarded: the
 * parameters are restored bit for bit, non-trainable variables are restored
 * (unless `statefulProbe`); in `model.fit`/`fitDataset` the model's dropout
 * layers share one seed per step (unless `sameRandomness: false`) and a probe
 * pass computes no metrics; a probe pass whose closure `tf.keep`s tensors
 * (`trainOnBatch` of a model compiled with metrics) is refused with an error
 * (see `createObjective`'s guards and docs/pitfalls.md). No built-in, tfjs
 * prototype or engine method is patched. A loss that throws (or is non-finite)
 * at any evaluation leaves weights and base-optimizer state exactly as they were.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { flooding, sam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, -1]));
 * const opt = flooding(sam(tf.train.adam(0.01), { rho: 0.05 }), { level: 0.1 });
 * const loss = opt.minimize(() => tf.sum(tf.square(w)), true)!; // raw loss at θ
 * const { ascended, gradientNorm, hyperparameters } = opt.lastStep!;
 * console.log(loss.dataSync()[0], ascended!.dataSync()[0], gradientNorm!.dataSync()[0], hyperparameters);
 * loss.dispose();
 * opt.dispose(); // also disposes the SAM layer and the Adam optimizer
 * ```
 */
export class FloodOptimizer extends tf.Optimizer {
  /** The class name `tf.serialization` knows the class by (configs carry the layer's own). */
  static get className(): string {
    return 'FloodOptimizer';
  }
  /** The wrapped optimizer (owned: disposed with this one). */
  readonly base: tf.Optimizer;
  /** This layer's validated spec (flooding: `{ method: 'plain', flood: { level } }`). */
  readonly spec: Spec;
  /** The shared options (`recordGradientNorm` is a property of its own). */
  readonly options: Required<Omit<WrapperOptions, 'recordGradientNorm'>>;
  /**
   * Whether every step computes {@link LastStep.gradientNorm} even when its rule
   * does not need it (see {@link WrapperOptions.recordGradientNorm}; mutable,
   * `floodCallback` sets it). Applies to the outermost layer's step.
   */
  recordGradientNorm: boolean;
  private readonly perturb: PerturbOption | undefined;
  /** Where a stateful rule's state lives; the step commits through it. */
  private readonly ruleState: StateCommit | undefined;
  private readonly refusals = new RefusedSteps();
  private last: LastStep | undefined;
  /** Names of the variables the base optimizer has made slots for. */
  private readonly prepared = new Set<string>();

  /**
   * @param base - any `tf.train.*` optimizer (or `scheduled`), or, for a
   *   flooding spec, an estimator layer.
   * @param spec - the method (validated here, defaults filled in); a flooded
   *   method (`{ method: 'sam', rho, flood: { level } }`) becomes flooding over a
   *   layer of its own, as `flooding(sam(base, { rho }), { level })` makes it.
   * @param options - the shared {@link WrapperOptions} and `perturb`.
   * @throws RangeError for a base that is not a `tf.Optimizer`, a bad option,
   *   or `perturb` on a method that does not probe; Error for a composition
   *   that has no meaning (an estimator over a layer, flooding over flooding).
   */
  constructor(base: tf.Optimizer, spec: Spec, options: FloodOptimizerOptions = {}) {
    super();
    requireOptimizer(base);
    const { recordGradientNorm, ...shared } = resolveWrapperOptions(options);
    const split = floodedLayers(spec);
    if (split) {
      // Flooding over a method is two layers, as `flooding(sam(…))` builds it
      // (and saves it): the method's, then flooding over it.
      base = new FloodOptimizer(base, split.method, options);
      spec = split.flooding;
      options = { ...options, perturb: undefined };
    }
    this.base = base;
    this.options = shared;
    this.recordGradientNorm = recordGradientNorm;
    const inner = isFloodOptimizer(base)
      ? { className: base.getClassName(), kind: base.kind }
      : undefined;
    const parts = layerParts(base, spec, options.perturb, inner);
    this.spec = parts.spec;
    this.perturb = parts.perturb;
    this.ruleState = parts.ruleState;
  }

  /** The registered class name of this layer (`'Flooding'`, `'SAM'`, …). */
  override getClassName(): string {
    return classNameOf(this.spec);
  }

  /** `'transform'` (flooding) or `'estimator'` (the methods' gradient estimates). */
  get kind(): WrapperKind {
    return this.spec.flood ? 'transform' : 'estimator';
  }

  /** The innermost optimizer (a `tf.train` one, or `scheduled`), whose `applyGradients` steps. */
  get innermost(): tf.Optimizer {
    return isFloodOptimizer(this.base) ? this.base.innermost : this.base;
  }

  /** The optimizer a step commits through (the innermost, or a layer's state or accumulator around it). */
  commitTarget(): tf.Optimizer {
    if (isFloodOptimizer(this.base)) return this.base.commitTarget();
    return this.ruleState ?? this.base;
  }

  /** The rule of this layer over the layers it wraps: core's `flooded` over an inner rule. */
  rule(): Rule {
    if (this.spec.flood && isFloodOptimizer(this.base)) {
      return flooded(this.base.rule(), this.spec.flood.level);
    }
    return ruleOf(this.spec);
  }

  /** This layer's hyper-parameters that may be schedules (`rho`, `level`, …), as given. */
  schedules(): Record<string, ScheduleLike> {
    return scheduledOptions(this.spec);
  }

  /** The base optimizer's iteration count (the step every schedule is read at). */
  override get iterations(): number {
    return this.base.iterations;
  }

  /** What the last step did (undefined before the first step). */
  get lastStep(): LastStep | undefined {
    return this.last;
  }

  /**
   * Runs one step of the rule on `f` (see the class comment) and returns the raw
   * loss `L(θ)` if `returnCost` (a copy: `lastStep.loss` keeps its own).
   */
  override minimize(
    f: () => tf.Scalar,
    returnCost = false,
    varList?: tf.Variable[],
  ): tf.Scalar | null {
    const vars = stepVariables(varList);
    const chain = layers(this).map((l) => ({
      spec: l.spec,
      perturb: l.perturb,
      ruleState: l.ruleState,
    }));
    const { context, state, exactHessian } = chainStep(
      chain,
      vars,
      this.iterations,
      this.innermost,
      this.recordGradientNorm,
    );
    const target = this.commitTarget();
    const before = target.iterations;
    const { record, cost } = runStep({
      name: this.getClassName(),
      rule: this.rule(),
      loss: f,
      variables: vars,
      context,
      guards: {
        replayRandomness: this.options.sameRandomness,
        restoreState: !this.options.statefulProbe,
        exactHessian,
      },
      target,
      zeroRefusedGradient: vars.some((v) => !this.prepared.has(v.name)),
      keepState: (next) => state?.proposeState(next),
      returnCost,
    });
    for (const v of vars) this.prepared.add(v.name);
    this.refusals.add(record.refused, target.iterations - before);
    disposeLastStep(this.last);
    this.last = record;
    return cost;
  }

  /**
   * The read-back point of the non-finite guard (asynchronous: it waits for the
   * device, never blocks). Reads the device count of steps refused for a
   * non-finite loss or gradient, takes them out of the base optimizer's
   * iteration count, and returns the number refused since the previous call and
   * in total. With `onNonFinite: 'error'` (the default) it throws instead when
   * any step was refused since the previous call. `floodCallback` calls it at
   * every epoch end; in a custom loop, call it when you want the report.
   *
   * @throws Error for refused steps under `onNonFinite: 'error'`.
   */
  async checkNonFinite(): Promise<{
    /** Steps refused since the previous call. */
    refused: number;
    /** Steps refused in total. */
    total: number;
  }> {
    return this.refusals.check(this.getClassName(), this.options.onNonFinite, this.commitTarget());
  }

  /** A plain step of the base optimizer with the given gradients (no rule). */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.base.applyGradients(variableGradients);
  }

  /**
   * Feeds an observation (training and validation loss) to every adaptive
   * schedule among the hyper-parameters, here and in wrapped layers.
   * `floodCallback` calls this at the end of every epoch.
   */
  observe(observation: TrainingObservation): void {
    for (const value of Object.values(this.schedules())) {
      if (isAdaptiveSchedule(value)) value.observe(observation);
    }
    if (isFloodOptimizer(this.base)) this.base.observe(observation);
  }

  /**
   * The base optimizer's weights, then this layer's own (`flood/<Class>/skipped`,
   * `flood/<Class>/schedules`) and a stateful rule's state (`flood/<Class>/<key>/<i>`).
   */
  override async getWeights(): Promise<NamedTensor[]> {
    await this.refusals.sync(this.commitTarget());
    return [
      ...(await this.base.getWeights()),
      ...ownWeights(this.getClassName(), this.refusals.total, this.schedules()),
      ...(this.ruleState?.stateWeights() ?? []),
    ];
  }

  /** Restores weights made by {@link FloodOptimizer.getWeights} (copies what it keeps). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const withoutState = this.ruleState ? this.ruleState.restoreState(weightValues) : weightValues;
    const own = await readOwnWeights(this.getClassName(), withoutState, this.schedules());
    await this.base.setWeights(own.rest);
    this.refusals.restore(own.refused);
  }

  /** The config: this layer's options (schedules as JSON), the shared options and the base's config. */
  override getConfig(): Config {
    return {
      ...specToConfig(this.spec),
      ...this.perturb?.toConfig(),
      ...this.options,
      recordGradientNorm: this.recordGradientNorm,
      base: { className: this.base.getClassName(), config: this.base.getConfig() },
    };
  }

  /** Frees the last step's tensors, the rule state and mask, and disposes the base optimizer. */
  override dispose(): void {
    disposeLastStep(this.last);
    this.last = undefined;
    this.refusals.dispose();
    this.ruleState?.disposeState();
    this.perturb?.dispose();
    this.base.dispose();
  }
}

/** `opt` and the layers it wraps, outermost first. */
function layers(opt: FloodOptimizer): FloodOptimizer[] {
  const out = [opt];
  for (let b = opt.base; isFloodOptimizer(b); b = b.base) out.push(b);
  return out;
}

/**
 * True if `value` is a flood optimizer. (`instanceof` cannot tell:
 * `tf.Optimizer` makes `instanceof` a duck-type check on `minimize`.)
 */
export function isFloodOptimizer(value: unknown): value is FloodOptimizer {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.isPrototypeOf.call(FloodOptimizer.prototype, value)
  );
}
