/**
 * The methods `@flood/core` defines as specs: `plain`, `sam` (and ASAM),
 * `backstitch` and `gradientPenalty` here, `gsam`, `lookSam` and `friendlySam`
 * in `sam-variant-methods.ts`, each an option table and a rule over the step
 * functions in this folder. Every probing rule takes the context's `mask`. Flooding is not a method but a
 * combinator over any of them (`flood: { level }` in a spec).
 *
 * @module
 */
import { hessianVectorProduct } from '../hessian-vector.js';
import type { Objective } from '../objective.js';
import { type ScheduleLike, scheduleValue } from '../schedule.js';
import { requireInRange, requireNonNegative, requireOneOf, requirePositive } from '../validate.js';
import { backstitchStep } from './backstitch.js';
import { DEFAULT_PENALTY_RADIUS, gradientPenaltyStep } from './gradient-penalty.js';
import { plainStep } from './plain.js';
import { ZERO_NORM } from './probe.js';
import type { StepProposal } from './proposal.js';
import type { RuleContext, RuleStep } from './rule.js';
import { DEFAULT_ASAM_ETA, samStep } from './sam.js';
import { friendlySamMethod, gsamMethod, lookSamMethod } from './sam-variant-methods.js';
import type { MethodDefinition, MethodSpec } from './spec.js';

/** `ratio` in [0, 1): ε2 = ratio·η < η (Kaldi's α; `backstitchRatio` in `@flood/schedulers`). */
function requireRatio(name: string, value: number): number {
  return requireInRange(name, value, 0, 1, { upperOpen: true });
}

/** A schedule's value at the context's step, range-checked. */
function at(
  name: string,
  value: unknown,
  context: RuleContext<unknown>,
  check: (name: string, v: number) => number = requireNonNegative,
): number {
  return scheduleValue(name, value as ScheduleLike, context.step, check);
}

const plain: MethodDefinition = {
  method: 'plain',
  kind: 'plain',
  options: {},
  rule: () => (objective) => ({ ...plainStep(objective), hyperparameters: {} }),
};

const sam: MethodDefinition = {
  method: 'sam',
  kind: 'estimator',
  options: {
    rho: { kind: 'schedule' },
    adaptive: { kind: 'boolean', default: false },
    eta: { kind: 'number', default: DEFAULT_ASAM_ETA },
  },
  rule: (spec) => (objective, context) => {
    const rho = at('rho', spec.rho, context);
    const params = { rho, adaptive: spec.adaptive as boolean, eta: spec.eta as number };
    return { ...samStep(objective, params, context.mask), hyperparameters: { rho } };
  },
};

/**
 * ε2 of a backstitch step: `ascentRate`, or `ratio × η`; refused when it is not
 * below the base's descent rate ε1 where that is known (a net ascent).
 */
function ascentRateAt(
  spec: MethodSpec,
  context: Pick<RuleContext<unknown>, 'step' | 'learningRate' | 'descentRate'>,
): number {
  let rate: number;
  if (spec.ratio !== undefined) {
    if (context.learningRate === undefined) {
      throw new RangeError(
        'backstitch ratio needs a base optimizer with a numeric learningRate; give ascentRate instead',
      );
    }
    rate = at('ratio', spec.ratio, context, requireRatio) * context.learningRate;
  } else {
    rate = at('ascentRate', spec.ascentRate, context);
  }
  const e1 = context.descentRate;
  if (spec.ascentRate !== undefined && e1 !== undefined && !(rate < e1)) {
    throw new RangeError(
      `ascentRate must be < the base optimizer's learningRate (ε2 < ε1 = ${e1}), got ${rate}: ` +
        `backstitch would climb (a net ascent of rate ε2 − ε1 >= 0)`,
    );
  }
  return rate;
}

const backstitch: MethodDefinition = {
  method: 'backstitch',
  kind: 'estimator',
  options: {
    ascentRate: { kind: 'schedule', optional: true },
    ratio: { kind: 'schedule', optional: true, check: requireRatio },
    interval: { kind: 'integer', min: 1, default: 1 },
  },
  check: (spec) => {
    if ((spec.ascentRate === undefined) === (spec.ratio === undefined)) {
      throw new RangeError('backstitch needs exactly one of ascentRate and ratio');
    }
  },
  checkBase: (spec, rates) => {
    // A ratio needs the base's rate; a fixed ascent rate must be below ε1 where known.
    if (spec.ratio !== undefined || typeof spec.ascentRate === 'number') {
      ascentRateAt(spec, { step: 0, ...rates });
    }
  },
  rule: (spec) => (objective, context) => {
    const ascentRate = ascentRateAt(spec, context);
    if (context.step % (spec.interval as number) !== 0) {
      return { ...plainStep(objective), hyperparameters: { ascentRate: 0 } };
    }
    const p = backstitchStep(objective, { ascentRate }, context.mask);
    return { ...p, hyperparameters: { ascentRate } };
  },
};

/**
 * The exact gradient of `L + λ‖∇L‖^p` with the objective's exact
 * Hessian-vector product: `g + λ·p·‖g‖^(p−2)·Hg` (p = 2: `g + 2λHg`; p = 1:
 * `g + λ·Hg/‖g‖`, and `g` at a zero gradient). One gradient evaluation plus one
 * Hessian-vector product (counted as one more). With a 0/1 `mask` `P` the
 * penalty is `λ‖P∇L‖^p`, whose gradient is `λ·p·‖Pg‖^(p−2)·H P g` (as in
 * `gradientPenaltyStep`).
 */
export function exactGradientPenaltyStep<V, S>(
  objective: Objective<V, S>,
  params: { coefficient: number; power: 1 | 2 },
  mask?: V,
): StepProposal<V, S> {
  if (!objective.hessianVectorProduct) {
    throw new RangeError("method 'exact' needs an objective with an exact hessianVectorProduct");
  }
  const space = objective.space;
  const s = space.scalar;
  const first = plainStep(objective);
  try {
    const chosen = mask ? space.mul(first.gradient, mask) : first.gradient;
    const chosenNorm = mask ? space.norm(chosen) : first.gradientNorm;
    const { product } = hessianVectorProduct(objective, chosen, { method: 'auto' });
    const lambda = params.coefficient;
    const c = params.power === 2 ? s.of(2 * lambda) : s.div(lambda, s.max(chosenNorm, ZERO_NORM));
    const gradient = space.axpby(1, first.gradient, c, product);
    space.dispose(c, product, first.gradient);
    if (mask) space.dispose(chosen, chosenNorm);
    return { ...first, gradient, gradientEvaluations: 2 };
  } catch (error) {
    space.dispose(first.loss, first.gradient, first.gradientNorm);
    throw error;
  }
}

const gradientPenalty: MethodDefinition = {
  method: 'gradientPenalty',
  kind: 'estimator',
  options: {
    coefficient: { kind: 'schedule' },
    power: { kind: 'choice', choices: [1, 2], default: 2 },
    radius: { kind: 'number', check: requirePositive, default: DEFAULT_PENALTY_RADIUS },
    // The tfjs option `method` (a spec's `method` is the method's name).
    estimate: {
      kind: 'choice',
      choices: ['finite-difference', 'exact'],
      default: 'finite-difference',
    },
  },
  exactHessian: (spec) => spec.estimate === 'exact',
  rule: (spec) => {
    const power = requireOneOf('power', spec.power as 1 | 2, [1, 2] as const);
    return <V, S>(objective: Objective<V, S>, context: RuleContext<V>): RuleStep<V, S> => {
      const coefficient = at('coefficient', spec.coefficient, context);
      const radius = spec.radius as number;
      const p =
        spec.estimate === 'exact'
          ? exactGradientPenaltyStep(objective, { coefficient, power }, context.mask)
          : gradientPenaltyStep(objective, { coefficient, power, radius }, context.mask);
      return { ...p, hyperparameters: { coefficient } };
    };
  },
};

/** The methods every spec may name without registering anything. */
export const BUILTIN_METHODS: readonly MethodDefinition[] = [
  plain,
  sam,
  backstitch,
  gradientPenalty,
  gsamMethod,
  lookSamMethod,
  friendlySamMethod,
];
