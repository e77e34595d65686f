/**
 * The shape every method takes in `@flood/core`: a rule maps the objective,
 * the step and the rule's own state to a proposal (optax's `update`, with the
 * objective in place of a precomputed gradient, since most methods here
 * evaluate the gradient more than once).
 *
 * @module
 */
import type { Objective } from '../objective.js';
import type { StepProposal } from './proposal.js';

/**
 * What a stateful rule carries from one committed step to the next: named
 * parameter-shaped vectors (LookSAM's `g_v`, Friendly SAM's gradient average
 * `m`). An adapter saves them with the optimizer's weights and keeps the old
 * state when a step is refused.
 */
export type RuleState<V> = Readonly<Record<string, V>>;

/** What a rule is told besides the objective. */
export interface RuleContext<V> {
  /** The optimizer iteration `t >= 0` (schedules are read at it). */
  readonly step: number;
  /** The state the previous committed step returned (undefined before the first). */
  readonly state?: RuleState<V> | undefined;
  /** The base optimizer's learning rate `η` at this step, when it has a numeric one. */
  readonly learningRate?: number | undefined;
  /**
   * `ε1`, the rate at which the base optimizer descends along the gradient it
   * is handed, where that is known (SGD and Momentum: `η`); undefined otherwise.
   */
  readonly descentRate?: number | undefined;
  /**
   * A 0/1 vector choosing the entries a probe moves (api.md's `perturb`), for
   * rules that probe; undefined moves every entry.
   */
  readonly mask?: V | undefined;
  /** Compute `‖∇L(θ)‖` even when the rule does not need it (default false). */
  readonly recordGradientNorm?: boolean | undefined;
}

/**
 * One step of a rule: a {@link StepProposal} (whose `gradientNorm` a rule that
 * does not need it may leave out), the hyper-parameters it used, and, for a
 * stateful rule, the state after the step.
 */
export type RuleStep<V, S> = Omit<StepProposal<V, S>, 'gradientNorm'> & {
  /**
   * `‖∇L(θ)‖₂`, when computed. A rule with one gradient evaluation that
   * returns it hands a gradient bounded by a multiple of it (`±g`, or
   * `g + α‖g‖·u` with `‖u‖ <= 1`), so a finite norm proves the gradient finite:
   * adapters then skip their own pass over the gradient.
   */
  gradientNorm?: S;
  /** The hyper-parameters in effect, read from their schedules at this step. */
  hyperparameters: Record<string, number>;
  /**
   * The state after this step (stateful rules): the object passed in when the
   * step left it unchanged, else a new one owned by the caller, who keeps it if
   * the step is committed and frees the one it replaces.
   */
  state?: RuleState<V>;
};

/**
 * A method's update rule, generic over the vector space: evaluates the
 * objective as often as it needs (never moving `θ` for good) and proposes one
 * step. Everything it returns is owned by the caller; on a throw it frees what
 * it made.
 */
export type Rule = <V, S>(objective: Objective<V, S>, context: RuleContext<V>) => RuleStep<V, S>;
