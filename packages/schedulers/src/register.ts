/**
 * Registers every schedule type of this package with `@flood/core`'s schedule
 * registry when the package is imported, so that `@flood/tfjs` rebuilds these
 * schedules when a saved optimizer is loaded, with no call from the user.
 *
 * @module
 */
import { registerScheduleType } from '@flood/core';
import { SCHEDULE_TYPES, scheduleFromJSON } from './from-json.js';

for (const type of SCHEDULE_TYPES) registerScheduleType(type, scheduleFromJSON);
