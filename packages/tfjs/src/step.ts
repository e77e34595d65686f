/**
 * One optimizer step as a transaction: run a rule over the variables, decide
 * on the device whether its proposal is finite, and commit it (or keep
 * everything as it was) with no read-back.
 *
 * @module
 */
import type { Rule, RuleContext, RuleState, RuleStep } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { commitIfFinite } from './atomic-commit.js';
import { floodedScalar } from './flood-loss.js';
import { keepLastStep, type LastStep } from './last-step.js';
import { reusingOperands } from './operand-scope.js';
import { sumOfAll } from './reduce.js';
import type { TensorVector } from './tensor-space.js';
import { createObjective, type VariablesObjective } from './variables-objective.js';

/** What {@link runStep} runs and where it commits. */
export interface StepInput {
  /** The optimizer's class name, for error messages. */
  name: string;
  /** The rule to run. */
  rule: Rule;
  /** The loss closure. */
  loss: () => tf.Scalar;
  /** The trainable variables, in step order. */
  variables: tf.Variable[];
  /** The rule's context (step, state, mask, rates). */
  context: RuleContext<TensorVector>;
  /** How probe passes are guarded (see `createObjective`). */
  guards: { replayRandomness: boolean; restoreState: boolean; exactHessian: boolean };
  /** The optimizer whose `applyGradients` commits the step. */
  target: tf.Optimizer;
  /** Zero a refused step's gradient (while the base may still create slots). */
  zeroRefusedGradient: boolean;
  /** Receives a stateful rule's new state before the commit (undefined: unchanged). */
  keepState: (next: RuleState<TensorVector> | undefined) => void;
  /** Return a copy of the raw loss. */
  returnCost: boolean;
}

/**
 * Runs `rule` once and commits its proposal if it is finite; returns the step
 * record (its tensors kept, `refused` a 0/1 device scalar) and, if asked, a
 * copy of the raw loss. An evaluation that throws leaves weights and optimizer
 * state unchanged and is rethrown (a RangeError as it is, anything else
 * wrapped in an Error naming the step).
 */
export function runStep(input: StepInput): { record: LastStep; cost: tf.Scalar | null } {
  const { context, variables } = input;
  const objective = withFloodedEvaluation(
    createObjective(input.loss, variables, { ...input.guards, releaseKeeps: true }),
  );
  let result: RuleStep<TensorVector, tf.Scalar> & { finite: tf.Scalar };
  try {
    // The rule's passes share operand copies (the batch's transposes on wasm) until it returns.
    result = reusingOperands(() =>
      tf.tidy(() => {
        const p = input.rule(objective, context);
        return { ...p, finite: tf.tidy(() => finiteStep(p)) };
      }),
    );
  } catch (error) {
    if (error instanceof RangeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${input.name}: step ${context.step} failed (an evaluation of the loss or its gradient threw); ` +
        `weights and optimizer state are unchanged: ${message}`,
      { cause: error },
    );
  }
  const { gradient, displacement, finite, state } = result;
  const stateKept = state === context.state;
  input.keepState(stateKept ? undefined : state);
  let refused: tf.Scalar;
  try {
    commitIfFinite({
      optimizer: input.target,
      variables,
      gradient,
      displacement,
      finite,
      zeroRefusedGradient: input.zeroRefusedGradient,
      // The state's variables, unless the rule proposed a new state.
      untouched: stateKept && context.state ? Object.values(context.state).flat() : undefined,
    });
    refused = tf.keep(tf.tidy(() => tf.cast(tf.logicalNot(finite), 'float32')));
  } finally {
    tf.dispose([finite, gradient, displacement ?? []]);
  }
  const record = keepLastStep(result, {
    step: context.step,
    hyperparameters: result.hyperparameters,
    gradientEvaluations: result.gradientEvaluations,
    refused,
  });
  return { record, cost: input.returnCost ? result.loss.clone() : null };
}

/**
 * The objective with `evaluateFlooded`: flooding's sign folded into the
 * backward pass (`|L − b| + b` as the loss transform), so flooding over a
 * plain base costs one evaluation and no pass over the gradient.
 */
function withFloodedEvaluation(objective: VariablesObjective): VariablesObjective {
  return Object.assign(objective, {
    evaluateFlooded: (level: number) =>
      objective.evaluateTransformed((l) => floodedScalar(l, level) as tf.Scalar),
  });
}

/**
 * `true` if a proposal is safe to commit, as one boolean device scalar.
 *
 * NaN and ±∞ propagate through sums (`∞ − ∞ = NaN`), so one sum of every
 * entry does the job of an elementwise `isFinite` (which would write a
 * parameter-sized boolean tensor): the loss, `‖g0‖`, the probe loss and
 * the entries of the final gradient, summed together ({@link sumOfAll}: one
 * kernel on wasm with `enableFastWasmTraining()`), must give a finite sum. A one-evaluation rule
 * with a norm (plain, flooding, backstitch's plain steps, LookSAM's steps in
 * between) hands `±g`, or `g + α‖g‖·u` with `‖u‖ <= 1` from a committed step:
 * a finite `‖g‖` bounds every entry, so the sums are skipped. A backstitch
 * displacement `ε2·g0` is finite when `‖g0‖` and the validated `ε2` are. A
 * gradient whose finite entries sum (or whose squares sum) past float32's
 * range (~3.4e38) also counts as non-finite: such a step is worth refusing too.
 */
function finiteStep(p: RuleStep<TensorVector, tf.Scalar>): tf.Scalar {
  const terms: tf.Tensor[] = [p.loss];
  if (p.gradientNorm) terms.push(p.gradientNorm);
  if (p.probeLoss) terms.push(p.probeLoss);
  if (!(p.gradientNorm && p.gradientEvaluations === 1)) terms.push(...p.gradient);
  return tf.isFinite(sumOfAll(terms)) as tf.Scalar;
}
