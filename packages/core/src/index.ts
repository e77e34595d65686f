/**
 * `@flood/core`: the gradient math of flooding, backstitch, gradient-norm
 * penalties and SAM, framework-agnostic and with no dependencies.
 *
 * - the seed's scalar transform and equivalences: {@link floodedLoss},
 *   {@link backstitchEquivalent}, {@link backstitchRates}, {@link floodingEquivalent};
 * - the {@link Objective} / {@link VectorSpace} abstraction, with
 *   {@link arrayObjective} over `Float64Array`;
 * - the update rules as small pure functions over an objective:
 *   {@link plainStep}, {@link floodProposal}, {@link gradientPenaltyStep},
 *   {@link samStep}, {@link backstitchStep}, {@link gsamStep}, {@link lookSamStep},
 *   {@link friendlySamStep}, and {@link hessianVectorProduct}; {@link wsamPenalty}
 *   (WSAM as a gradient-norm penalty);
 * - methods as data: a {@link Rule} per method, a serialisable {@link Spec}
 *   (`{ method: 'sam', rho, flood: { level } }`) validated by one option table
 *   ({@link validateSpec}), {@link ruleOf} and the {@link flooded} combinator;
 *   {@link defineMethod} adds a method;
 * - schedules: the {@link Schedule} type, {@link scheduleValue}, and the registry
 *   that rebuilds saved schedules ({@link registerScheduleType},
 *   {@link deserializeSchedule}; `@flood/schedulers` fills it on import);
 * - {@link seededRandom}, the seeded uniform generator (mulberry32) every package draws from.
 *
 * @packageDocumentation
 */
export {
  type ArrayLossFunction,
  type ArrayObjectiveOptions,
  arrayObjective,
} from './array-objective.js';
export { arraySpace, type BlockLayout } from './array-space.js';
export {
  type BackstitchRates,
  backstitchEquivalent,
  backstitchRates,
  type FloodingPenalty,
  floodingEquivalent,
  type PenalisedDescent,
} from './equivalences.js';
export { floodedLoss } from './flooded-loss.js';
export {
  type HessianVectorOptions,
  type HessianVectorResult,
  hessianVectorProduct,
} from './hessian-vector.js';
export { euclideanNorm } from './norm.js';
export type { Evaluation, Objective } from './objective.js';
export { seededRandom } from './random.js';
export { backstitchStep } from './rules/backstitch.js';
export { flooded, floodProposal } from './rules/flooding.js';
export {
  DEFAULT_FSAM_MOMENTUM,
  DEFAULT_FSAM_SIGMA,
  type FriendlySamParams,
  type FriendlySamState,
  friendlySamStep,
} from './rules/friendly-sam.js';
export {
  DEFAULT_PENALTY_RADIUS,
  type GradientPenaltyParams,
  gradientPenaltyStep,
} from './rules/gradient-penalty.js';
export { type GsamParams, gsamStep, projectionCoefficient } from './rules/gsam.js';
export {
  DEFAULT_LOOKSAM_ALPHA,
  type LookSamParams,
  type LookSamState,
  lookSamStep,
  type StatefulProposal,
} from './rules/look-sam.js';
export { BUILTIN_METHODS, exactGradientPenaltyStep } from './rules/methods.js';
export { plainStep } from './rules/plain.js';
export { probeAt, towards, ZERO_NORM } from './rules/probe.js';
export type { StepProposal } from './rules/proposal.js';
export type { Rule, RuleContext, RuleState, RuleStep } from './rules/rule.js';
export {
  DEFAULT_ASAM_ETA,
  SAM_EPSILON,
  type SamParams,
  samOffset,
  samStep,
} from './rules/sam.js';
export {
  defineMethod,
  type FloodSpec,
  type MethodDefinition,
  type MethodSpec,
  methodDefinition,
  methodNames,
  type OptionSpec,
  ruleOf,
  type Spec,
  scheduledOptions,
  validateSpec,
} from './rules/spec.js';
export { wsamPenalty } from './rules/wsam.js';
export {
  type AdaptiveSchedule,
  isAdaptiveSchedule,
  isSchedule,
  requireScheduleLike,
  type Schedule,
  type ScheduleLike,
  scheduleValue,
  type TrainingObservation,
} from './schedule.js';
export {
  deserializeSchedule,
  isScheduleTypeRegistered,
  registerScheduleType,
  type ScheduleFromJSON,
} from './schedule-registry.js';
export type { Block, ScalarOps, VectorSpace } from './space.js';
export {
  requireFinite,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requireOneOf,
  requirePositive,
} from './validate.js';
