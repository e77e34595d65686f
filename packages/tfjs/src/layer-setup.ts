/**
 * How a `FloodOptimizer` layer is built from its constructor's arguments: the
 * base checked, a flooded method split into two layers, the spec validated
 * against its base and the layer it wraps, and the parts the layer owns made.
 *
 * @module
 */
import { methodDefinition, type Spec, validateSpec } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkComposition, layerKind, type WrapperKind } from './composition.js';
import { type PerturbFilter, PerturbOption } from './perturb.js';
import { StateCommit } from './rule-state.js';
import { adapterOf, classNameOf } from './spec-config.js';
import { descentRate, learningRateOf } from './tfjs-internals.js';

/**
 * Throws unless `base` is a `tf.Optimizer`.
 *
 * @throws RangeError naming `base` and the type it got.
 */
export function requireOptimizer(base: unknown): asserts base is tf.Optimizer {
  // `instanceof tf.Optimizer` reads properties of `base` (tfjs's duck-typed check): rule out null first.
  if (typeof base !== 'object' || base === null || !(base instanceof tf.Optimizer)) {
    throw new RangeError(
      `base must be a tf.Optimizer (e.g. tf.train.sgd(0.1)), got ${base === null ? 'null' : typeof base}`,
    );
  }
}

/**
 * A flooded method (`{ method: 'sam', rho, flood: { level } }`) as the two
 * layers `flooding(sam(base, { rho }), { level })` builds (and saves): the
 * method's spec, and flooding's over it. Undefined for any other spec.
 */
export function floodedLayers(spec: Spec): { method: Spec; flooding: Spec } | undefined {
  if (!spec?.flood || spec.method === 'plain') return undefined;
  const { flood, ...method } = spec;
  return { method: method as Spec, flooding: { method: 'plain', flood } };
}

/** The class name and kind of the flood layer a layer wraps. */
export interface InnerLayer {
  /** Its registered class name (`'SAM'`, …). */
  className: string;
  /** `'transform'` (flooding) or `'estimator'`. */
  kind: WrapperKind;
}

/** A layer's validated spec and the parts it owns. */
export interface LayerParts {
  /** The spec, validated, defaults filled in. */
  spec: Spec;
  /** The `perturb` option, for a probing method given one. */
  perturb: PerturbOption | undefined;
  /** Where a stateful rule's state lives (LookSAM, Friendly SAM). */
  ruleState: StateCommit | undefined;
}

/**
 * Validates `spec` as a layer over `base` (`inner` describes `base` where it is
 * a flood layer) and makes what the layer owns: the `perturb` mask option and
 * a stateful rule's {@link StateCommit} around `base`.
 *
 * @throws RangeError for a bad spec, a base the method refuses (its
 *   `checkBase`, e.g. a learning rate out of range), or `perturb` on a method
 *   that does not probe; Error for a composition that has no meaning (an
 *   estimator over a layer, flooding over flooding).
 */
export function layerParts(
  base: tf.Optimizer,
  spec: Spec,
  perturb: PerturbFilter | undefined,
  inner: InnerLayer | undefined,
): LayerParts {
  const definition = methodDefinition(spec?.method);
  checkComposition(classNameOf(spec), layerKind(spec), inner);
  const validated = validateSpec(spec);
  definition.checkBase?.(validated, {
    learningRate: learningRateOf(base),
    descentRate: descentRate(base),
  });
  const adapter = adapterOf(validated.method);
  let perturbOption: PerturbOption | undefined;
  if (perturb !== undefined) {
    if (!adapter.perturbs || validated.flood) {
      throw new RangeError(
        `perturb is an option of the probing methods, not of ${classNameOf(validated)}`,
      );
    }
    perturbOption = new PerturbOption(perturb);
  }
  let ruleState: StateCommit | undefined;
  if (definition.state) {
    const [name] = definition.state;
    ruleState = new StateCommit(base, adapter.className, adapter.stateKey!, name!);
  }
  return { spec: validated, perturb: perturbOption, ruleState };
}
