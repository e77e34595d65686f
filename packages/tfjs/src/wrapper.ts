/**
 * The one base class of every `@flood/tfjs` optimizer: a real `tf.Optimizer`
 * that runs a `@flood/core` rule over the variables, then hands the proposed
 * gradient to a base optimizer.
 *
 * @module
 */
import {
  isAdaptiveSchedule,
  type ScheduleLike,
  type StepProposal,
  type TrainingObservation,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';

/** A tensor with a name, as optimizers pass weights and gradients around. */
export interface NamedTensor {
  /** The variable's or weight's name. */
  name: string;
  /** Its value. */
  tensor: tf.Tensor;
}

import { commitIfFinite } from './atomic-commit.js';
import { addAll, sumAll } from './reduce.js';
import { scheduleToConfig } from './schedule-config.js';
import type { TensorVector } from './tensor-space.js';
import { rewindIterations } from './tfjs-internals.js';
import {
  createObjective,
  trainableVariables,
  type VariablesObjective,
} from './variables-objective.js';

/** What a wrapper does when a step meets a non-finite loss or gradient. */
export type NonFinitePolicy = 'error' | 'skip';

/** Options every wrapper accepts. */
export interface WrapperOptions {
  /**
   * A step whose loss (at `θ` or at the probe) or gradient is NaN or ±∞ is
   * refused on the device: the weights and the base optimizer's state are left
   * bit-identical (see `commitIfFinite`), with no read-back in the step. The
   * refusal is counted on the device and reported at the next read-back point
   * ({@link FloodOptimizer.checkNonFinite}, which `floodCallback` calls at every
   * epoch end and `getWeights` calls before saving): `'error'` (default) makes
   * that call throw, `'skip'` only counts. Until then the base optimizer's
   * iteration count includes the refused steps; the read takes them back out.
   */
  onNonFinite?: NonFinitePolicy;
  /**
   * Let probe passes update non-trainable variables such as BatchNorm moving
   * statistics (default false: they are restored after every probe pass, so the
   * statistics are those of the pass at `θ`).
   */
  statefulProbe?: boolean;
  /**
   * Replay the `Math.random()` draws of the pass at `θ` in the probe pass, so
   * dropout masks (and any unseeded tfjs randomness in the loss) are the same in
   * both (default true; Kaldi's backstitch re-seeds the same way).
   */
  sameRandomness?: boolean;
  /**
   * Compute `‖∇L(θ)‖` on every step for {@link LastStep.gradientNorm} even when
   * the rule does not need it (default false). Only flooding over a plain base
   * skips the norm otherwise: it is two extra passes over the gradient (Square,
   * Sum), about 2 % of a small MLP's step on wasm; the two-pass methods compute
   * it anyway. `floodCallback` turns it on for the optimizer it reports on
   * (its `gradNorm` log); the property {@link FloodOptimizer.recordGradientNorm}
   * can be changed at any time.
   */
  recordGradientNorm?: boolean;
}

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
   * flooding over a plain base only with `recordGradientNorm` (else undefined).
   */
  gradientNorm?: tf.Scalar;
  /** The loss at the probe point, for two-pass methods. */
  probeLoss?: tf.Scalar;
  /**
   * Flooding: `1` if the step ascended (`L < b`), else `0`. Over a plain base it
   * is computed from `loss` when first read (no kernel on steps nobody reads).
   */
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

/**
 * What a wrapper's rule proposes for one step, with the hyper-parameters it
 * used. Unlike `@flood/core`'s `StepProposal`, `gradientNorm` may be missing
 * (flooding over a plain base computes it only when asked to).
 */
export type Proposal = Omit<StepProposal<TensorVector, tf.Scalar>, 'gradientNorm'> & {
  /** `‖∇L(θ)‖₂`, when the rule computed it. */
  gradientNorm?: tf.Scalar;
  /**
   * True when `gradient` is the gradient whose norm `gradientNorm` is (a
   * one-pass rule): a finite norm then proves the gradient finite, and the
   * non-finite guard needs no pass of its own over it.
   */
  normIsOfGradient?: boolean;
  /**
   * Instead of `ascended`: the level `b` such that the step ascended iff
   * `L < b`; `lastStep.ascended` is then computed from the loss when first read.
   */
  ascendedBelow?: number;
  /** The hyper-parameters in effect (`level`, `rho`, `coefficient`, `ascentRate`). */
  hyperparameters: Record<string, number>;
};

/** A config dictionary as tfjs serialization passes it around. */
export type Config = tf.serialization.ConfigDict;

/** Whether a wrapper transforms the loss (flooding) or estimates a gradient (SAM, …). */
export type WrapperKind = 'transform' | 'estimator';

const OWN_WEIGHTS = 2;

function encodeJson(value: unknown): tf.Tensor {
  const text = JSON.stringify(value);
  return tf.tensor1d(
    Array.from(text, (c) => c.codePointAt(0)!),
    'int32',
  );
}

async function decodeJson(t: tf.Tensor): Promise<unknown> {
  return JSON.parse(String.fromCodePoint(...Array.from(await t.data())));
}

/**
 * The shared machinery of {@link flooding}, {@link backstitch},
 * {@link gradientPenalty} and {@link sam}: a `tf.Optimizer` that wraps a base
 * optimizer (which it owns: `dispose()` disposes it too).
 *
 * `minimize(f, returnCost, varList)` evaluates `f` as often as the rule needs
 * over a fixed, ordered variable list (`varList`, or every registered trainable
 * variable), restores the parameters after every probe, and only then commits:
 * it moves by the rule's displacement (backstitch) and calls the base
 * optimizer's `applyGradients` with the gradients in that same order (slots of
 * tfjs optimizers are positional). It returns the raw loss at `θ`.
 * `iterations` is the base optimizer's. `applyGradients` passes straight through
 * to the base optimizer (a plain step). When wrappers nest (`flooding(sam(…))`),
 * the outermost one's {@link WrapperOptions} apply to the whole step.
 *
 * Probe passes (every evaluation after the first in a step) are guarded: the
 * parameters are restored bit for bit, non-trainable variables are restored
 * (unless `statefulProbe`), `Math.random()` draws are replayed (unless
 * `sameRandomness: false`), and a tensor the closure `tf.keep`s and then
 * immediately pushes onto an array is released and not pushed: that is how
 * tfjs-layers' per-step metric values are kept from leaking and from being
 * returned twice by `trainOnBatch`. A loss that throws (or is non-finite) at
 * any evaluation leaves weights and base-optimizer state exactly as they were.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { flooding, sam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, -1]));
 * const opt = flooding(sam(tf.train.adam(0.01), { rho: 0.05 }), { level: 0.1 });
 * const loss = opt.minimize(() => tf.sum(tf.square(w)), true)!; // raw loss at θ
 * const { ascended, gradientNorm, hyperparameters } = opt.lastStep!;
 * console.log(loss.dataSync()[0], ascended!.dataSync()[0], gradientNorm.dataSync()[0], hyperparameters);
 * loss.dispose();
 * opt.dispose(); // also disposes the SAM wrapper and the Adam optimizer
 * ```
 */
export abstract class FloodOptimizer extends tf.Optimizer {
  /** The wrapped optimizer (owned: disposed with this one). */
  readonly base: tf.Optimizer;
  /** The options shared by every wrapper (`recordGradientNorm` is a property of its own). */
  readonly options: Required<Omit<WrapperOptions, 'recordGradientNorm'>>;
  /**
   * Whether every step computes {@link LastStep.gradientNorm} even when its rule
   * does not need it (see {@link WrapperOptions.recordGradientNorm}; mutable,
   * `floodCallback` sets it). Applies to the outermost wrapper's step.
   */
  recordGradientNorm: boolean;
  /** `'transform'` (flooding) or `'estimator'` (two-pass gradient estimators). */
  abstract readonly kind: WrapperKind;
  private last: LastStep | undefined;
  /** The last step's `ascended` tensor (given by the rule, or computed when first read). */
  private ascendedValue: tf.Scalar | undefined;
  /** Device count of refused steps (created at the first step or load). */
  private refusedCount: tf.Variable | undefined;
  /** The count as last read back; `iterations` excludes these steps. */
  private refusedRead = 0;
  /** Refused steps read back but not yet reported (thrown, for `onNonFinite: 'error'`). */
  private refusedUnreported = 0;
  /**
   * Device count of the iterations refused steps added to the base optimizer's
   * count (one per refused step, except under `accumulate`, whose base steps
   * only when a window of micro-batches closes).
   */
  private unwound: tf.Variable | undefined;
  /** That count as last read back and taken out of `iterations`. */
  private unwoundRead = 0;
  /** Names of the variables the base optimizer has made slots for. */
  private readonly prepared = new Set<string>();

  /**
   * @param base - any `tf.train.*` optimizer, or a gradient estimator when this
   *   wrapper is a loss transform.
   * @param options - the shared {@link WrapperOptions}.
   */
  constructor(base: tf.Optimizer, options: WrapperOptions = {}) {
    super();
    // `instanceof tf.Optimizer` reads properties of `base` (tfjs's duck-typed check): rule out null first.
    if (typeof base !== 'object' || base === null || !(base instanceof tf.Optimizer)) {
      throw new RangeError(
        `base must be a tf.Optimizer (e.g. tf.train.sgd(0.1)), got ${base === null ? 'null' : typeof base}`,
      );
    }
    const onNonFinite = options.onNonFinite ?? 'error';
    if (onNonFinite !== 'error' && onNonFinite !== 'skip') {
      throw new RangeError(`onNonFinite must be 'error' or 'skip', got ${String(onNonFinite)}`);
    }
    for (const key of ['statefulProbe', 'sameRandomness', 'recordGradientNorm'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') {
        throw new RangeError(`${key} must be a boolean, got ${typeof options[key]}`);
      }
    }
    this.base = base;
    this.options = {
      onNonFinite,
      statefulProbe: options.statefulProbe ?? false,
      sameRandomness: options.sameRandomness ?? true,
    };
    this.recordGradientNorm = options.recordGradientNorm ?? false;
  }

  /** Throws a RangeError naming any option key outside the shared ones and `own`. */
  protected checkOptionKeys(options: object | undefined, own: readonly string[]): void {
    const allowed = new Set([
      ...own,
      'onNonFinite',
      'statefulProbe',
      'sameRandomness',
      'recordGradientNorm',
    ]);
    for (const key of Object.keys(options ?? {})) {
      if (!allowed.has(key)) {
        throw new RangeError(
          `unknown option '${key}' for ${this.getClassName()}; allowed: ${[...allowed].join(', ')}`,
        );
      }
    }
  }

  /** Throws unless `base` may sit inside a wrapper of this kind (called by subclasses). */
  protected checkComposition(): void {
    const name = (this.constructor as unknown as { className: string }).className;
    if (!isFloodOptimizer(this.base)) return;
    const inner = (this.base.constructor as unknown as { className: string }).className;
    if (this.kind === 'estimator') {
      throw new Error(
        `${name} cannot wrap ${inner}: a gradient estimator needs a plain tf.train optimizer as ` +
          `its base (nesting two estimators has no defined meaning; flooding goes outside: ` +
          `flooding(${name.toLowerCase()}(base)))`,
      );
    }
    if (this.base.kind === 'transform') {
      throw new Error(
        `${name} cannot wrap ${inner}: two loss transforms do not compose (|‖L − a| + a − b| + b ` +
          `is not flooding); use one level`,
      );
    }
  }

  /** True if this wrapper (or one it wraps) needs exact Hessian-vector products. */
  usesExactHessian(): boolean {
    return isFloodOptimizer(this.base) && this.base.usesExactHessian();
  }

  /** The innermost `tf.train` optimizer, whose `applyGradients` commits a step. */
  get core(): tf.Optimizer {
    return isFloodOptimizer(this.base) ? this.base.core : this.base;
  }

  /** The base optimizer's iteration count (the step every schedule is read at). */
  override get iterations(): number {
    return this.base.iterations;
  }

  /** What the last step did (undefined before the first step). */
  get lastStep(): LastStep | undefined {
    return this.last;
  }

  /** The hyper-parameters of this wrapper as given (numbers or schedules). */
  protected abstract schedules(): Record<string, ScheduleLike | undefined>;

  /** This wrapper's own config entries, besides the shared options and the base. */
  protected abstract ownConfig(): Config;

  /**
   * Runs this wrapper's rule on `objective` at `step` and returns its proposal
   * (all tensors owned by the caller; `θ` unchanged). Outer wrappers compose by
   * transforming an inner wrapper's proposal.
   */
  abstract propose(objective: VariablesObjective, step: number): Proposal;

  /**
   * Runs one step of the rule on `f` (see the class comment) and returns the raw
   * loss `L(θ)` if `returnCost`.
   */
  override minimize(
    f: () => tf.Scalar,
    returnCost = false,
    varList?: tf.Variable[],
  ): tf.Scalar | null {
    const vars = (varList ?? trainableVariables()).filter((v) => v.trainable);
    if (vars.length === 0) {
      throw new RangeError('minimize needs at least one trainable variable');
    }
    return this.step(f, vars, returnCost);
  }

  /** One step; returns the raw loss if `returnCost` (a copy: `lastStep.loss` keeps its own). */
  private step(f: () => tf.Scalar, vars: tf.Variable[], returnCost: boolean): tf.Scalar | null {
    const step = this.iterations;
    const objective = createObjective(f, vars, {
      replayRandomness: this.options.sameRandomness,
      restoreState: !this.options.statefulProbe,
      releaseKeeps: true,
      exactHessian: this.usesExactHessian(),
    });
    const name = this.getClassName();
    let result: ReturnType<FloodOptimizer['propose']> & { finite: tf.Scalar };
    try {
      result = tf.tidy(() => {
        const p = this.propose(objective, step);
        const finite = tf.tidy(() => finiteStep(p));
        return { ...p, finite };
      });
    } catch (error) {
      if (error instanceof RangeError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${name}: step ${step} failed (an evaluation of the loss or its gradient threw); ` +
          `weights and optimizer state are unchanged: ${message}`,
        { cause: error },
      );
    }
    const { loss, gradient, displacement, gradientNorm, probeLoss, ascended, finite } = result;
    let refused: tf.Scalar;
    const iterationsBefore = this.core.iterations;
    try {
      commitIfFinite({
        optimizer: this.core,
        variables: vars,
        gradient,
        displacement,
        finite,
        zeroRefusedGradient: vars.some((v) => !this.prepared.has(v.name)),
      });
      for (const v of vars) this.prepared.add(v.name);
      refused = tf.keep(tf.tidy(() => tf.cast(tf.logicalNot(finite), 'float32')));
      this.countRefused(refused, this.core.iterations - iterationsBefore);
    } finally {
      tf.dispose([finite, gradient, displacement ?? []]);
    }
    const record: LastStep = {
      step,
      loss: tf.keep(loss),
      ...(gradientNorm ? { gradientNorm: tf.keep(gradientNorm) } : {}),
      ...(probeLoss ? { probeLoss: tf.keep(probeLoss) } : {}),
      ...(ascended ? { ascended: tf.keep(ascended) } : {}),
      hyperparameters: result.hyperparameters,
      gradientEvaluations: result.gradientEvaluations,
      refused,
    };
    this.record(record, ascended);
    const below = result.ascendedBelow;
    if (below !== undefined && !ascended) {
      const { scalar } = objective.space;
      Object.defineProperty(record, 'ascended', {
        enumerable: true,
        get: () => {
          if (this.last !== record) return undefined; // superseded: its loss is freed
          this.ascendedValue ??= tf.keep(tf.tidy(() => scalar.greater(below, record.loss)));
          return this.ascendedValue;
        },
      });
    }
    return returnCost ? loss.clone() : null;
  }

  /**
   * Adds `refused` (0 or 1) to the device count of refused steps, and
   * `refused · advanced` to that of iterations to take back (`advanced`: how
   * far the step moved the base optimizer's iteration count).
   */
  private countRefused(refused: tf.Scalar, advanced: number): void {
    if (!this.refusedCount || !this.unwound) {
      const [read, back] = [this.refusedRead, this.unwoundRead];
      this.refusedCount ??= tf.tidy(() => tf.variable(tf.scalar(read, 'float32'), false));
      this.unwound ??= tf.tidy(() => tf.variable(tf.scalar(back, 'float32'), false));
    }
    const [count, unwound] = [this.refusedCount, this.unwound];
    tf.tidy(() => {
      count.assign(tf.add(count, refused));
      if (advanced !== 0) unwound.assign(tf.add(unwound, tf.mul(refused, advanced)));
    });
  }

  /** Reads the refused-step counts back, takes what refused steps added out of `iterations`; returns how many steps were new. */
  private async readRefused(): Promise<number> {
    if (!this.refusedCount || !this.unwound) return 0;
    const [count, unwound] = await Promise.all([this.refusedCount.data(), this.unwound.data()]);
    const total = count[0]!;
    const fresh = total - this.refusedRead;
    this.refusedRead = total;
    this.refusedUnreported += fresh;
    rewindIterations(this.core, unwound[0]! - this.unwoundRead);
    this.unwoundRead = unwound[0]!;
    return fresh;
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
    await this.readRefused();
    const refused = this.refusedUnreported;
    this.refusedUnreported = 0;
    if (refused > 0 && this.options.onNonFinite === 'error') {
      throw new Error(
        `${this.getClassName()}: ${refused} step(s) met a non-finite loss or gradient and were ` +
          `refused; weights and optimizer state are as before them (pass onNonFinite: 'skip' ` +
          `to skip such steps)`,
      );
    }
    return { refused, total: this.refusedRead };
  }

  /** Frees the previous step's tensors and records `next` (whose `ascended`, if any, is `ascended`). */
  private record(next: LastStep | undefined, ascended?: tf.Scalar): void {
    if (this.last) {
      const { loss, gradientNorm, probeLoss, refused } = this.last;
      tf.dispose([loss, gradientNorm ?? [], probeLoss ?? [], refused, this.ascendedValue ?? []]);
    }
    this.ascendedValue = ascended;
    this.last = next;
  }

  /** A plain step of the base optimizer with the given gradients (no rule). */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.base.applyGradients(variableGradients);
  }

  /**
   * Feeds an observation (training and validation loss) to every adaptive
   * schedule among the hyper-parameters, here and in wrapped optimizers.
   * `floodCallback` calls this at the end of every epoch.
   */
  observe(observation: TrainingObservation): void {
    for (const value of Object.values(this.schedules())) {
      if (isAdaptiveSchedule(value)) value.observe(observation);
    }
    if (isFloodOptimizer(this.base)) this.base.observe(observation);
  }

  /**
   * The base optimizer's weights followed by this wrapper's own state: the
   * skip count and the state of its adaptive schedules (JSON as int32 codes).
   */
  override async getWeights(): Promise<NamedTensor[]> {
    await this.readRefused();
    const inner = await this.base.getWeights();
    const name = this.getClassName();
    const states: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.schedules())) {
      if (isAdaptiveSchedule(value)) states[key] = value.getState();
    }
    return [
      ...inner,
      { name: `flood/${name}/skipped`, tensor: tf.scalar(this.refusedRead, 'int32') },
      { name: `flood/${name}/schedules`, tensor: encodeJson(states) },
    ];
  }

  /** Restores weights made by {@link FloodOptimizer.getWeights} (copies what it keeps). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const name = this.getClassName();
    const own = weightValues.slice(weightValues.length - OWN_WEIGHTS);
    if (
      own.length !== OWN_WEIGHTS ||
      own[0]!.name !== `flood/${name}/skipped` ||
      own[1]!.name !== `flood/${name}/schedules`
    ) {
      throw new RangeError(
        `weights for ${name} must end with flood/${name}/skipped and flood/${name}/schedules`,
      );
    }
    await this.base.setWeights(weightValues.slice(0, weightValues.length - OWN_WEIGHTS));
    this.refusedRead = (await own[0]!.tensor.data())[0]!;
    this.refusedUnreported = 0;
    const [read, back] = [this.refusedRead, this.unwoundRead];
    tf.tidy(() => {
      this.refusedCount?.assign(tf.scalar(read, 'float32'));
      // The loaded base state replaces whatever refused steps left to take back.
      this.unwound?.assign(tf.scalar(back, 'float32'));
    });
    const states = (await decodeJson(own[1]!.tensor)) as Record<string, Record<string, unknown>>;
    for (const [key, value] of Object.entries(this.schedules())) {
      if (isAdaptiveSchedule(value) && states[key]) value.setState(states[key]);
    }
  }

  /** The config: hyper-parameters (schedules as JSON), shared options and the base's config. */
  override getConfig(): Config {
    const config: Config = {};
    for (const [key, value] of Object.entries(this.schedules())) {
      if (value !== undefined) config[key] = scheduleToConfig(value) as Config[string];
    }
    return {
      ...config,
      ...this.ownConfig(),
      onNonFinite: this.options.onNonFinite,
      statefulProbe: this.options.statefulProbe,
      sameRandomness: this.options.sameRandomness,
      recordGradientNorm: this.recordGradientNorm,
      base: { className: this.base.getClassName(), config: this.base.getConfig() },
    };
  }

  /** Frees the last step's tensors and disposes the base optimizer. */
  override dispose(): void {
    this.record(undefined);
    this.refusedCount?.dispose();
    this.unwound?.dispose();
    this.base.dispose();
  }
}

/** Rebuilds the base optimizer from `config.base` (any registered class). */
export function baseFromConfig(config: Config): tf.Optimizer {
  const base = config.base as { className?: unknown; config?: unknown } | undefined;
  const className = base?.className;
  if (typeof className !== 'string') {
    throw new RangeError('optimizer config must have base.className');
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) {
    throw new Error(`unknown base optimizer class ${className}: register it before loading`);
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, (base?.config ?? {}) as Config) as tf.Optimizer;
}

/** The shared options from a config (null entries, as a round-trip writes them, are dropped). */
export function optionsFromConfig(config: Config): WrapperOptions {
  const out: WrapperOptions = {};
  if (typeof config.onNonFinite === 'string') {
    out.onNonFinite = config.onNonFinite as NonFinitePolicy;
  }
  if (typeof config.statefulProbe === 'boolean') out.statefulProbe = config.statefulProbe;
  if (typeof config.sameRandomness === 'boolean') out.sameRandomness = config.sameRandomness;
  if (typeof config.recordGradientNorm === 'boolean') {
    out.recordGradientNorm = config.recordGradientNorm;
  }
  return out;
}

/**
 * `true` if a proposal is safe to commit, as one boolean device scalar.
 *
 * NaN and ±∞ propagate through sums (`∞ − ∞ = NaN`), so one reduction per
 * tensor does the job of an elementwise `isFinite` (which would write a
 * parameter-sized boolean tensor): the loss, `‖g0‖`, the probe loss and
 * `Σᵢ sum(gᵢ)` of the final gradient must be finite. When the proposal's norm
 * is the norm of its own gradient (`normIsOfGradient`), a finite norm already
 * proves every entry finite and the sums are skipped. A backstitch displacement
 * `ε2·g0` is finite when `‖g0‖` and the validated `ε2` are. A gradient whose
 * finite entries sum (or whose squares sum) past float32's range (~3.4e38) also
 * counts as non-finite: such a step is worth refusing too.
 */
function finiteStep(p: Proposal): tf.Scalar {
  const scalars: tf.Tensor[] = [p.loss];
  if (p.gradientNorm) scalars.push(p.gradientNorm);
  if (!(p.gradientNorm && p.normIsOfGradient)) {
    scalars.push(...p.gradient.map(sumAll));
  }
  if (p.probeLoss) scalars.push(p.probeLoss);
  return tf.isFinite(addAll(scalars)) as tf.Scalar;
}

/**
 * True if `value` is one of this package's wrappers. (`instanceof` cannot tell:
 * `tf.Optimizer` makes `instanceof` a duck-type check on `minimize`.)
 */
export function isFloodOptimizer(value: unknown): value is FloodOptimizer {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.isPrototypeOf.call(FloodOptimizer.prototype, value)
  );
}
