/**
 * The state of a stateful rule (LookSAM's `g_v`, Friendly SAM's `m`): held in
 * variables of a small optimizer the step commits through, so only a
 * committed (finite) step replaces it, and saved with the optimizer.
 *
 * @module
 */
import type { RuleState } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from './optimizer-weights.js';
import { floodVariableName } from './pass-guards.js';

type Config = tf.serialization.ConfigDict;

/**
 * The optimizer a wrapper with rule state (LookSAM's `g_v`, Friendly SAM's `m`)
 * commits through. The state lives here, in variables `flood/<owner>/<key>/<i>`;
 * a step proposes the next value ({@link StateCommit.propose}) and
 * `applyGradients` assigns it just before the real optimizer's step. So the
 * state changes exactly when the step is committed: a wrapper that refuses a
 * non-finite step before committing never calls it, and one that selects the
 * old values back on the device after the step finds these variables among the
 * committing optimizer's own. Everything else passes through to `target`.
 */
export class StateCommit extends tf.Optimizer {
  /** The state variables (a field of this optimizer, so its state). */
  state: tf.Variable[] | undefined;
  /**
   * 1 once a step has committed a state, 0 before: created with the state and
   * committed with it, so a refused first step leaves 0 (and the zeros) on the
   * device. Rules that start their state differently on the first step read it
   * as `started` (Friendly SAM: `m₁ = g`).
   */
  started: tf.Variable | undefined;
  private pending: tf.Tensor[] | undefined;

  /**
   * @param target - the optimizer that makes the step.
   * @param owner - the wrapper's class name.
   * @param key - the state's name in saved weights.
   * @param name - the state's name in the rule's `RuleState`.
   */
  constructor(
    readonly target: tf.Optimizer,
    private readonly owner: string,
    private readonly key: string,
    private readonly name: string,
  ) {
    super();
  }

  /** The rule state for variables of these shapes (see {@link StateCommit.read}). */
  ruleState(shapes: readonly (readonly number[])[]): RuleState<tf.Tensor[]> | undefined {
    const state = this.read(shapes);
    // `started` is a scalar beside the tensor lists (read by Friendly SAM's rule).
    return state && { [this.name]: state, started: this.started as unknown as tf.Tensor[] };
  }

  /** Holds a rule's new state for the commit of this step (undefined: unchanged). */
  proposeState(next: RuleState<tf.Tensor[]> | undefined): void {
    this.propose(next?.[this.name]);
  }

  private get prefix(): string {
    return `flood/${this.owner}/${this.key}/`;
  }

  /**
   * The state for variables of these shapes: `undefined` on the first call,
   * which creates it as zeros (before the step, so the first commit is an
   * assignment like every other).
   */
  read(shapes: readonly (readonly number[])[]): tf.Variable[] | undefined {
    if (!this.state) {
      // In a tidy: the zeros each variable starts from are freed, the variables kept.
      this.state = tf.tidy(() => shapes.map((shape, i) => this.variable(tf.zeros([...shape]), i)));
      this.started = tf.tidy(() => this.variable(tf.scalar(0), 'started'));
      return undefined;
    }
    if (
      this.state.length !== shapes.length ||
      shapes.some((s, i) => !tf.util.arraysEqual([...s], this.state![i]!.shape))
    ) {
      throw new RangeError(
        `${this.owner}: the variables differ from those its ${this.key} state was made for`,
      );
    }
    return this.state;
  }

  /** Holds `next` (taken over) for the commit of this step; `undefined` keeps the state. */
  propose(next: tf.Tensor[] | undefined): void {
    if (this.pending) tf.dispose(this.pending);
    this.pending = next?.map((t) => tf.keep(t));
  }

  /** Assigns the proposed state (no copy), then steps the target. */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const next = this.pending;
    this.pending = undefined;
    if (next && this.state) {
      this.state.forEach((v, i) => {
        v.assign(next[i]!);
      });
      tf.dispose(next);
      const started = this.started!;
      tf.tidy(() => {
        started.assign(tf.onesLike(started));
      });
    }
    this.target.applyGradients(variableGradients);
  }

  /** The target's iteration count. */
  override get iterations(): number {
    return this.target.iterations;
  }

  /** The state as named weights (empty before the first step), then `started`. */
  stateWeights(): NamedTensor[] {
    if (!this.state) return [];
    return [
      ...this.state.map((v, i) => ({ name: `${this.prefix}${i}`, tensor: v as tf.Tensor })),
      { name: `${this.prefix}started`, tensor: this.started! },
    ];
  }

  /** A non-trainable variable `flood/<owner>/<key>/<part>` holding `value`'s values. */
  private variable(value: tf.Tensor, part: number | 'started'): tf.Variable {
    return tf.variable(value, false, floodVariableName(`${this.owner}/${this.key}/${part}`));
  }

  /** Takes the state's weights off the end of `weights`; returns the rest. */
  restoreState(weights: NamedTensor[]): NamedTensor[] {
    let start = weights.length;
    while (start > 0 && weights[start - 1]!.name.startsWith(this.prefix)) start--;
    const own = weights.slice(start);
    if (own.length > 0) {
      this.disposeState();
      // Saved before `started` existed: a saved state was committed, so 1.
      const started = own.find((w) => w.name === `${this.prefix}started`);
      this.state = own.filter((w) => w !== started).map((w, i) => this.variable(w.tensor, i));
      this.started = started
        ? this.variable(started.tensor, 'started')
        : tf.tidy(() => this.variable(tf.scalar(1), 'started'));
    }
    return weights.slice(0, start);
  }

  /** The target's weights. */
  override getWeights(): Promise<NamedTensor[]> {
    return this.target.getWeights();
  }

  /** Sets the target's weights. */
  override setWeights(weights: NamedTensor[]): Promise<void> {
    return this.target.setWeights(weights);
  }

  /** The target's config. */
  override getConfig(): Config {
    return this.target.getConfig();
  }

  /** Frees the state (the wrapper owns and disposes the target). */
  disposeState(): void {
    this.propose(undefined);
    if (this.state) tf.dispose(this.state);
    this.started?.dispose();
    this.state = undefined;
    this.started = undefined;
  }

  /** Frees the state only. */
  override dispose(): void {
    this.disposeState();
  }
}
