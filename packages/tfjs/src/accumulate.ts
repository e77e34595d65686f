/**
 * Gradient accumulation over micro-batches, as a `tf.Optimizer`.
 *
 * @module
 */
import { type Rule, requireInteger, ruleOf } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { baseFromConfig, optionsFromConfig } from './factory.js';
import { floodVariableName } from './pass-guards.js';
import {
  type Config,
  FloodOptimizer,
  isFloodOptimizer,
  type NamedTensor,
  type WrapperKind,
  type WrapperOptions,
} from './wrapper.js';
import { splitOptions } from './wrapper-options.js';

/** Options of {@link accumulate}. */
export interface AccumulateOptions extends WrapperOptions {
  /** n >= 1 (integer): micro-batches per optimizer step. */
  steps: number;
}

/**
 * Where a wrapper commits its steps when it accumulates: sums the gradients it
 * is given and, on every `steps`-th call, hands their mean to `target`.
 */
class Accumulator extends tf.Optimizer {
  private sums: tf.Variable[] | undefined;
  /**
   * Committed micro-batches in the sums, on the device: a wrapper that refuses
   * a step by selecting the old values back after it (no read-back) restores
   * this with the sums, so the mean is over the micro-batches that count.
   */
  private summed: tf.Variable | undefined;
  /** Micro-batches handed to this accumulator since the last optimizer step. */
  count = 0;

  constructor(
    readonly target: tf.Optimizer,
    readonly steps: number,
  ) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    tf.tidy(() => {
      if (!this.sums || this.sums.length !== list.length) {
        if (this.sums) tf.dispose(this.sums);
        this.sums = list.map((g) =>
          tf.variable(tf.zerosLike(g.tensor), false, floodVariableName('accumulate')),
        );
        this.summed ??= tf.variable(tf.scalar(0), false, floodVariableName('accumulate'));
        this.summed.assign(tf.scalar(0));
        this.count = 0;
      }
      list.forEach((g, i) => {
        this.sums![i]!.assign(tf.add(this.sums![i]!, g.tensor));
      });
      this.summed!.assign(tf.add(this.summed!, 1));
    });
    this.count += 1;
    if (this.count < this.steps) return;
    tf.tidy(() => {
      const n = tf.maximum(this.summed!, 1);
      this.target.applyGradients(
        list.map((g, i) => ({ name: g.name, tensor: tf.div(this.sums![i]!, n) })),
      );
      for (const s of this.sums!) s.assign(tf.zerosLike(s));
      this.summed!.assign(tf.scalar(0));
    });
    this.count = 0;
  }

  override get iterations(): number {
    return this.target.iterations;
  }

  /** The running sums and the count (empty before the first micro-batch). */
  state(): NamedTensor[] {
    if (!this.sums || !this.summed) return [];
    return [
      { name: 'flood/Accumulate/count', tensor: tf.scalar(this.count, 'int32') },
      { name: 'flood/Accumulate/summed', tensor: this.summed },
      ...this.sums.map((s, i) => ({ name: `flood/Accumulate/sum/${i}`, tensor: s })),
    ];
  }

  /**
   * Takes the state off the end of `weights`; returns the rest. Asynchronous:
   * the count is read with `data()`, which waits for the device (a synchronous
   * read fails on webgpu).
   */
  async restore(weights: NamedTensor[]): Promise<NamedTensor[]> {
    const start = weights.findIndex((w) => w.name === 'flood/Accumulate/count');
    if (start < 0) return weights;
    this.count = (await weights[start]!.tensor.data())[0]!;
    this.dispose();
    this.summed = tf.variable(
      weights[start + 1]!.tensor.clone(),
      false,
      floodVariableName('accumulate'),
    );
    this.sums = weights
      .slice(start + 2)
      .map((w) => tf.variable(w.tensor.clone(), false, floodVariableName('accumulate')));
    return weights.slice(0, start);
  }

  override getConfig(): Config {
    return {};
  }

  override dispose(): void {
    if (this.sums) tf.dispose(this.sums);
    if (this.summed) this.summed.dispose();
    this.sums = undefined;
    this.summed = undefined;
  }
}

/** The optimizer made by {@link accumulate}, registered for serialization as `'Accumulate'`. */
export class Accumulate extends FloodOptimizer {
  /** The registered class name. */
  static override get className(): string {
    return 'Accumulate';
  }
  /** Micro-batches per optimizer step. */
  readonly steps: number;
  private readonly accumulator: Accumulator;

  /** See {@link accumulate}. */
  constructor(base: tf.Optimizer, options: AccumulateOptions) {
    super(base, { method: 'plain' }, splitOptions('Accumulate', options, ['steps']).shared);
    if (Object.prototype.isPrototypeOf.call(Accumulate.prototype, base)) {
      throw new RangeError('accumulate cannot wrap accumulate: give one the product of the steps');
    }
    this.steps = requireInteger('steps', options?.steps, 1);
    const target = isFloodOptimizer(base) ? base.commitTarget() : base;
    this.accumulator = new Accumulator(target, this.steps);
  }

  /** The registered class name. */
  override getClassName(): string {
    return 'Accumulate';
  }

  /** The wrapped rule's kind (a plain base counts as an estimator: flooding may go outside). */
  override get kind(): WrapperKind {
    return isFloodOptimizer(this.base) ? this.base.kind : 'estimator';
  }

  /** Every commit goes to the accumulator, which steps the real optimizer every `steps` calls. */
  override commitTarget(): tf.Optimizer {
    return this.accumulator;
  }

  /** Micro-batches accumulated since the last optimizer step. */
  get pending(): number {
    return this.accumulator.count;
  }

  /** The wrapped rule (the plain gradient over a `tf.train` base). */
  override rule(): Rule {
    return isFloodOptimizer(this.base) ? this.base.rule() : ruleOf({ method: 'plain' });
  }

  /** The wrapper's config and `steps`. */
  override getConfig(): Config {
    return { ...super.getConfig(), steps: this.steps };
  }

  /** Accumulates the gradients (a micro-batch without a rule). */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.accumulator.applyGradients(variableGradients);
  }

  /** The wrapper's weights, then the pending count and sums. */
  override async getWeights(): Promise<NamedTensor[]> {
    return [...(await super.getWeights()), ...this.accumulator.state()];
  }

  /** Restores weights made by {@link Accumulate.getWeights}. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(await this.accumulator.restore(weightValues));
  }

  /** Frees the sums, the last step's tensors and the base optimizer. */
  override dispose(): void {
    this.accumulator.dispose();
    super.dispose();
  }

  /** Rebuilds an {@link Accumulate} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    return new (cls as unknown as typeof Accumulate)(baseFromConfig(config), {
      ...optionsFromConfig(config),
      steps: config.steps as number,
    }) as unknown as T;
  }
}
tf.serialization.registerClass(Accumulate);

/**
 * Gradient accumulation: the base optimizer steps once every `steps` calls,
 * with the mean of the gradients the wrapped rule proposed on each micro-batch:
 *
 * ```text
 * calls t = 1..n:  g_t = the wrapped rule's gradient on micro-batch t (θ unchanged)
 * on call n:       the base optimizer steps with (1/n)·Σ g_t
 * ```
 *
 * The base may be any `tf.train` optimizer, {@link scheduled}, or a flood
 * wrapper: `accumulate(sam(adam, …), { steps: 4 })` probes every micro-batch
 * on its own (m-sharpness with m = the micro-batch), and
 * `flooding(accumulate(sam(…)), …)` floods each micro-batch. Schedules read the
 * optimizer step (not the micro-batch). A refused (non-finite) micro-batch is
 * left out of the mean, which is over the micro-batches committed since the
 * last optimizer step (counted on the device); the window still closes after
 * `n` calls, and when its closing call is refused the sums carry over to the
 * next window. The iteration count (what schedules read) counts windows that
 * stepped: a refused closing call's iteration is taken back at the next
 * read-back point, and a refused call inside a window adds none. Works in
 * `model.fit` (each batch is a micro-batch); the pending sums are saved with
 * the optimizer.
 *
 * @param base - the optimizer to accumulate for (owned).
 * @param options - `steps` (n >= 1) and the shared options.
 * @throws RangeError for `steps` not an integer >= 1, or an unknown option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { accumulate } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = accumulate(tf.train.sgd(0.1), { steps: 2 });
 * opt.minimize(() => tf.sum(tf.square(w))); // summed, w unchanged
 * opt.minimize(() => tf.sum(tf.square(w))); // w ← w − 0.1·(mean of the two gradients)
 * ```
 */
export function accumulate(base: tf.Optimizer, options: AccumulateOptions): Accumulate {
  return new Accumulate(base, options);
}
