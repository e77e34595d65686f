/**
 * `@flood/tfjs`: TensorFlow.js optimizers for flooding, backstitch, gradient
 * penalties and SAM, built on `@flood/core`.
 *
 * - optimizers (real `tf.Optimizer`s, for custom loops and `model.fit`):
 *   {@link flooding}, {@link backstitch}, {@link gradientPenalty}, {@link sam},
 *   and the SAM variants {@link gsam}, {@link lookSam}, {@link friendlySam};
 *   learning-rate schedules for any `tf.train` optimizer: {@link scheduled};
 *   gradient accumulation over micro-batches: {@link accumulate};
 * - losses for `model.compile`: {@link floodLoss} (batch and individual flooding;
 *   AdaFlood's per-sample levels from {@link adaFloodLevels} via {@link withFloodLevels});
 * - a `model.fit` callback: {@link floodCallback} (`floodProp`, level, gradient norm);
 * - objectives for `@flood/metrics`: {@link variablesObjective}, {@link modelObjective};
 * - the vector space of tensor lists: {@link tensorSpace}.
 *
 * No backend is imported: set one up (`@tensorflow/tfjs-backend-cpu`, `-wasm`,
 * `-webgl`, or `@tensorflow/tfjs-node`) before training.
 *
 * @packageDocumentation
 */
// Registers the per-fit check that warns about an adaptive level nothing observes.
import './fit-check.js';

export { Accumulate, type AccumulateOptions, accumulate } from './accumulate.js';
export {
  type AdaFloodLevelOptions,
  adaFloodLevels,
  DEFAULT_ADAFLOOD_GAMMA,
  withFloodLevels,
} from './ada-flood.js';
export { type BackstitchOptions, backstitch } from './backstitch.js';
export {
  FloodCallback,
  type FloodCallbackOptions,
  floodCallback,
  type UnresolvedLogs,
} from './callback.js';
export {
  exactHessianVectorProduct,
  SECOND_ORDER_SAFE_OPS,
  SecondOrderUnsupportedError,
} from './exact-hvp.js';
export { type FloodLossOptions, floodLoss } from './flood-loss.js';
export { type FloodingOptions, flooding } from './flooding.js';
export { type FriendlySamOptions, friendlySam } from './friendly-sam.js';
export { type GradientPenaltyOptions, gradientPenalty } from './gradient-penalty.js';
export { type GsamOptions, gsam } from './gsam.js';
export { type LookSamOptions, lookSam } from './look-sam.js';
export { type LossFn, perSampleLosses } from './losses.js';
export { type ModelObjectiveOptions, modelObjective } from './model-objective.js';
export type { PerturbFilter } from './perturb.js';
export { safeLogSumExp, safeLosses } from './safe-ops.js';
export { type SamOptions, sam } from './sam.js';
export { registerScheduleDeserializer, type ScheduleDeserializer } from './schedule-config.js';
export { Scheduled, type ScheduledOptions, scheduled } from './scheduled.js';
export { withSecondOrderGradients } from './second-order-gradients.js';
export { type TensorVector, tensorSpace } from './tensor-space.js';
export { type VariablesObjective, variablesObjective } from './variables-objective.js';
export {
  type Config,
  FloodOptimizer,
  type FloodOptimizerOptions,
  type LastStep,
  type NamedTensor,
  type NonFinitePolicy,
  type WrapperKind,
  type WrapperOptions,
} from './wrapper.js';
