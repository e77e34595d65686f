import type { Schedule } from './schedule.js';

/** Rebuilds a {@link Schedule} from the object its `toJSON()` returned. */
export type ScheduleFromJSON = (json: object) => Schedule;

/**
 * The registry: `type` tag → deserializer. It lives on `globalThis` under a
 * `Symbol.for` key, so two copies of `@flood/core` in one program (e.g. two
 * versions installed side by side) still share it: a package that registers its
 * schedules and the adapter that loads them need not resolve the same copy.
 */
const KEY = Symbol.for('@flood/core.scheduleRegistry');

function registry(): Map<string, ScheduleFromJSON> {
  const g = globalThis as { [KEY]?: Map<string, ScheduleFromJSON> };
  let map = g[KEY];
  if (!map) {
    map = new Map();
    g[KEY] = map;
  }
  return map;
}

/**
 * Registers how to rebuild the schedules whose `toJSON()` has `type: <type>`,
 * so that loading a saved optimizer (e.g. `tf.loadLayersModel` with
 * `@flood/tfjs`) rebuilds them without any call from the user.
 * `@flood/schedulers` registers all of its types when it is imported; call this
 * for schedules of your own (their `toJSON()` must return an object with a
 * string `type` field). Registering a type again replaces the earlier entry.
 *
 * @param type - the `type` tag of the schedule's JSON, a non-empty string.
 * @param fromJSON - rebuilds the schedule from its JSON (nested schedules
 *   included, e.g. with {@link deserializeSchedule}).
 * @throws RangeError if `type` is not a non-empty string or `fromJSON` is not a function.
 * @example
 * ```ts
 * import { registerScheduleType } from '@flood/core';
 * const halfLife = (steps: number) =>
 *   Object.assign((t: number) => 0.5 ** (t / steps), { toJSON: () => ({ type: 'halfLife', steps }) });
 * registerScheduleType('halfLife', (json) => halfLife((json as { steps: number }).steps));
 * ```
 */
export function registerScheduleType(type: string, fromJSON: ScheduleFromJSON): void {
  if (typeof type !== 'string' || type.length === 0) {
    throw new RangeError(`type must be a non-empty string, got ${String(type)}`);
  }
  if (typeof fromJSON !== 'function') {
    throw new RangeError(`fromJSON must be a function, got ${typeof fromJSON}`);
  }
  registry().set(type, fromJSON);
}

/** True if a deserializer is registered for `type` (see {@link registerScheduleType}). */
export function isScheduleTypeRegistered(type: string): boolean {
  return registry().has(type);
}

/**
 * Rebuilds a schedule from its `toJSON()` form with the deserializer registered
 * for its `type` tag (see {@link registerScheduleType}).
 *
 * @param json - what the schedule's `toJSON()` returned (after a JSON round trip).
 * @returns the rebuilt schedule.
 * @throws RangeError if `json` is not an object with a string `type`, or no
 *   deserializer is registered for that type (the message says what to import).
 */
export function deserializeSchedule(json: unknown): Schedule {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RangeError(`a schedule's JSON must be an object, got ${String(json)}`);
  }
  const type = (json as { type?: unknown }).type;
  if (typeof type !== 'string') {
    throw new RangeError(
      `a schedule's JSON must have a string 'type', got ${JSON.stringify(json).slice(0, 80)}`,
    );
  }
  const fromJSON = registry().get(type);
  if (!fromJSON) {
    throw new RangeError(
      `no schedule type '${type}' is registered: import '@flood/schedulers' before loading ` +
        `(it registers its schedules), or register your own with registerScheduleType('${type}', fromJSON) from @flood/core`,
    );
  }
  return fromJSON(json);
}
