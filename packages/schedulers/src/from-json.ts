import type { Schedule } from '@flood/core';
import { type AdaptiveFloodLevelJSON, adaptiveFloodLevel } from './adaptive-flood-level.js';
import { type BackstitchRatioJSON, backstitchRatio } from './backstitch-ratio.js';
import { type ConstantJSON, constant } from './constant.js';
import { type CosineJSON, cosine } from './cosine.js';
import { type ExponentialJSON, exponential } from './exponential.js';
import { type FloodLevelJSON, floodLevel } from './flood-level.js';
import { type JoinJSON, join } from './join.js';
import { type LinearJSON, linear } from './linear.js';
import { type PiecewiseConstantJSON, piecewiseConstant } from './piecewise-constant.js';
import { type WarmupJSON, warmup } from './warmup.js';

/** The JSON form of any schedule of this package (what `toJSON()` returns), tagged by `type`. */
export type ScheduleJSON =
  | ConstantJSON
  | LinearJSON
  | CosineJSON
  | ExponentialJSON
  | PiecewiseConstantJSON
  | JoinJSON
  | WarmupJSON
  | FloodLevelJSON
  | BackstitchRatioJSON
  | AdaptiveFloodLevelJSON;

/** The `type` tags {@link scheduleFromJSON} understands. */
export const SCHEDULE_TYPES: readonly ScheduleJSON['type'][] = [
  'constant',
  'linear',
  'cosine',
  'exponential',
  'piecewiseConstant',
  'join',
  'warmup',
  'floodLevel',
  'backstitchRatio',
  'adaptiveFloodLevel',
];

/**
 * Rebuilds a schedule from its `toJSON()` form (a plain object, or a string of
 * JSON), nested schedules included, so that
 * `scheduleFromJSON(JSON.parse(JSON.stringify(s)))(t) === s(t)` for every step t.
 * The arguments are validated exactly as by the constructors.
 *
 * An {@link adaptiveFloodLevel} comes back as a fresh schedule with the same
 * configuration; restore its state with `setState(getState())`. Schedules built
 * outside this package cannot be rebuilt.
 *
 * @throws RangeError if `json` is not an object with a known `type` tag, or its
 *   fields are not valid arguments of that schedule.
 */
export function scheduleFromJSON(json: unknown): Schedule {
  const o = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw new RangeError(`json must be a schedule's JSON object, got ${String(o)}`);
  }
  const j = o as ScheduleJSON;
  switch (j.type) {
    case 'constant':
      return constant(j.value);
    case 'linear':
      return linear(j);
    case 'cosine':
      return cosine(j);
    case 'exponential':
      return exponential(j);
    case 'piecewiseConstant':
      return piecewiseConstant(j);
    case 'join':
      return join(nested('schedules', j.schedules), j.boundaries);
    case 'warmup':
      return warmup({
        steps: j.steps,
        from: j.from,
        to: j.to,
        // biome-ignore lint/suspicious/noThenProperty: `then` is warmup's option name in the API contract; the option is the contract's name.
        then: scheduleFromJSON(j.then),
      });
    case 'floodLevel':
      return floodLevel(j);
    case 'backstitchRatio':
      return backstitchRatio(scheduleFromJSON(j.ratio));
    case 'adaptiveFloodLevel':
      return adaptiveFloodLevel({
        ...j,
        maxChanges: j.maxChanges === null ? Number.POSITIVE_INFINITY : j.maxChanges,
      });
    default:
      throw new RangeError(
        `json.type must be one of ${SCHEDULE_TYPES.join(', ')}, got ${JSON.stringify((j as { type?: unknown }).type)}`,
      );
  }
}

function nested(name: string, list: unknown): Schedule[] {
  if (!Array.isArray(list)) throw new RangeError(`json.${name} must be an array of schedule JSON`);
  return list.map(scheduleFromJSON);
}
