import { deserializeSchedule, isScheduleTypeRegistered, type Schedule } from '@flood/core';
import { describe, expect, it } from 'vitest';
import {
  adaptiveFloodLevel,
  backstitchRatio,
  constant,
  cosine,
  exponential,
  floodLevel,
  join,
  linear,
  piecewiseConstant,
  SCHEDULE_TYPES,
  warmup,
} from './index.js';

describe('importing @flood/schedulers registers its schedules with @flood/core', () => {
  it('every type tag is registered', () => {
    for (const type of SCHEDULE_TYPES) expect(isScheduleTypeRegistered(type)).toBe(true);
  });

  it("core's deserializeSchedule rebuilds every schedule (values equal at every step)", () => {
    const ramp = linear({ from: 0, to: 1, steps: 10 });
    const all: Schedule[] = [
      constant(0.3),
      ramp,
      cosine({ from: 1, to: 0.1, steps: 7 }),
      exponential({ from: 1, rate: 0.5, steps: 3 }),
      piecewiseConstant({ boundaries: [2, 5], values: [0.1, 0.2, 0.3] }),
      join([constant(0.1), ramp], [4]),
      // biome-ignore lint/suspicious/noThenProperty: `then` is warmup's option name in the API contract.
      warmup({ steps: 3, to: 0.2, then: cosine({ from: 0.2, to: 0, steps: 6 }) }),
      floodLevel({ level: 0.05, delay: 2, warmup: 4 }),
      backstitchRatio(linear({ from: 0.5, to: 0.2, steps: 5 })),
      adaptiveFloodLevel({ fraction: 0.5, patience: 2, initial: 0.01 }),
    ];
    expect(new Set(all.map((s) => (s.toJSON() as { type: string }).type))).toEqual(
      new Set(SCHEDULE_TYPES),
    );
    for (const s of all) {
      const copy = deserializeSchedule(JSON.parse(JSON.stringify(s)));
      expect(copy.toJSON()).toEqual(s.toJSON());
      for (let t = 0; t < 20; t++) expect(copy(t)).toBe(s(t));
    }
  });
});
