import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Schedule } from './schedule.js';
import {
  deserializeSchedule,
  isScheduleTypeRegistered,
  registerScheduleType,
} from './schedule-registry.js';

const KEY = Symbol.for('@flood/core.scheduleRegistry');
const store = () => (globalThis as Record<symbol, Map<string, unknown> | undefined>)[KEY];

/** a·(step + 1), serialisable as { type: 'testRamp', a }. */
const ramp = (a: number): Schedule =>
  Object.assign((step: number) => a * (step + 1), { toJSON: () => ({ type: 'testRamp', a }) });

afterEach(() => {
  store()?.delete('testRamp');
});

describe('schedule registry', () => {
  it('rebuilds a registered type from its JSON (after a JSON round trip)', () => {
    expect(isScheduleTypeRegistered('testRamp')).toBe(false);
    registerScheduleType('testRamp', (json) => ramp((json as { a: number }).a));
    expect(isScheduleTypeRegistered('testRamp')).toBe(true);
    const s = deserializeSchedule(JSON.parse(JSON.stringify(ramp(0.25))));
    expect(s(3)).toBe(1);
    expect(s.toJSON()).toEqual({ type: 'testRamp', a: 0.25 });
  });

  it('names the missing type and what to import', () => {
    expect(() => deserializeSchedule({ type: 'testRamp', a: 1 })).toThrow(
      /no schedule type 'testRamp' is registered: import '@flood\/schedulers'.*registerScheduleType\('testRamp'/,
    );
    expect(() => deserializeSchedule({ a: 1 })).toThrow(/string 'type'/);
    expect(() => deserializeSchedule(null)).toThrow(RangeError);
    expect(() => deserializeSchedule([1])).toThrow(RangeError);
  });

  it('validates its arguments', () => {
    expect(() => registerScheduleType('', () => ramp(1))).toThrow(
      /type must be a non-empty string/,
    );
    expect(() => registerScheduleType('testRamp', 1 as never)).toThrow(
      /fromJSON must be a function/,
    );
  });

  it('is shared by every copy of the module (kept on globalThis)', async () => {
    registerScheduleType('testRamp', (json) => ramp((json as { a: number }).a));
    vi.resetModules();
    const copy = await import('./schedule-registry.js');
    expect(copy.deserializeSchedule).not.toBe(deserializeSchedule);
    expect(copy.deserializeSchedule({ type: 'testRamp', a: 2 })(0)).toBe(2);
  });
});
