/**
 * `@flood/schedulers`: pure, serialisable step → value schedules for the
 * hyper-parameters of `@flood/tfjs` (flood level b, backstitch ratio ε2/ε1,
 * penalty coefficients, SAM radius, …), modelled on optax's `schedules`.
 *
 * - building blocks: {@link constant}, {@link linear}, {@link cosine},
 *   {@link exponential}, {@link piecewiseConstant}, {@link join}, {@link warmup};
 * - for flooding and backstitch: {@link floodLevel} (delay, then warm up to b),
 *   {@link backstitchRatio} (a ratio guaranteed to stay in [0, 1)), and
 *   {@link adaptiveFloodLevel} (b set from the training loss when the validation
 *   loss stops improving);
 * - {@link scheduleFromJSON} rebuilds any of them from `toJSON()`; importing this
 *   package registers them all with `@flood/core`'s schedule registry, so a saved
 *   `@flood/tfjs` optimizer with a schedule loads with no further call.
 *
 * A schedule is a function of the (integer, `>= 0`) step: `s(step)`. Nothing here
 * depends on TensorFlow.js.
 *
 * @packageDocumentation
 */
import './register.js';

export {
  type AdaptiveFloodLevel,
  type AdaptiveFloodLevelJSON,
  type AdaptiveFloodLevelOptions,
  type AdaptiveFloodLevelState,
  adaptiveFloodLevel,
  type LevelChange,
} from './adaptive-flood-level.js';
export { type BackstitchRatioJSON, backstitchRatio } from './backstitch-ratio.js';
export { type ConstantJSON, constant } from './constant.js';
export { type CosineJSON, cosine } from './cosine.js';
export { type ValueRange, valueRange } from './define-schedule.js';
export { type ExponentialJSON, type ExponentialOptions, exponential } from './exponential.js';
export {
  type FloodLevelJSON,
  type FloodLevelOptions,
  floodLevel,
  type RampShape,
} from './flood-level.js';
export { SCHEDULE_TYPES, type ScheduleJSON, scheduleFromJSON } from './from-json.js';
export { type JoinJSON, join } from './join.js';
export { type LinearJSON, linear, type RampOptions } from './linear.js';
export {
  type PiecewiseConstantJSON,
  type PiecewiseConstantOptions,
  piecewiseConstant,
} from './piecewise-constant.js';
export { type WarmupJSON, type WarmupOptions, warmup } from './warmup.js';
