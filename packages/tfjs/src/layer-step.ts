/**
 * What a step of a chain of flood layers (outermost first) reads from them:
 * the variables it moves, the rule's context, where a stateful rule's state
 * lives, and whether any layer asks for exact Hessian-vector products.
 *
 * @module
 */
import { methodDefinition, type RuleContext } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerParts } from './layer-setup.js';
import type { StateCommit } from './rule-state.js';
import type { TensorVector } from './tensor-space.js';
import { descentRate, learningRateOf } from './tfjs-internals.js';
import { trainableVariables } from './variables-objective.js';

/**
 * The trainable variables of `varList`, or every registered trainable variable,
 * in a fixed order (the order of every vector of the step).
 *
 * @throws RangeError when there is none.
 */
export function stepVariables(varList: readonly tf.Variable[] | undefined): tf.Variable[] {
  const vars = (varList ?? trainableVariables()).filter((v) => v.trainable);
  if (vars.length === 0) {
    throw new RangeError('minimize needs at least one trainable variable');
  }
  return vars;
}

/** What {@link chainStep} reads from a chain of layers. */
export interface ChainStep {
  /** The rule's context: step, state, rates of the innermost optimizer, mask. */
  context: RuleContext<TensorVector>;
  /** The state of the chain's stateful rule, if any (the step proposes its next state there). */
  state: StateCommit | undefined;
  /** Whether a layer's method computes exact Hessian-vector products. */
  exactHessian: boolean;
}

/**
 * The context of a step at `step` over `vars` by the layers `chain` (outermost
 * first) over `innermost` (the optimizer whose learning rate and descent rate
 * the rule reads): the state of the first stateful layer, the mask of the first
 * layer given `perturb`.
 */
export function chainStep(
  chain: readonly LayerParts[],
  vars: readonly tf.Variable[],
  step: number,
  innermost: tf.Optimizer,
  recordGradientNorm: boolean,
): ChainStep {
  const state = chain.find((l) => l.ruleState)?.ruleState;
  return {
    context: {
      step,
      state: state?.ruleState(vars.map((v) => v.shape)),
      learningRate: learningRateOf(innermost),
      descentRate: descentRate(innermost),
      mask: chain.find((l) => l.perturb)?.perturb?.mask(vars),
      recordGradientNorm,
    },
    state,
    exactHessian: chain.some((l) => methodDefinition(l.spec.method).exactHessian?.(l.spec)),
  };
}
