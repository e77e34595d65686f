import type { Schedule } from '@flood/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptiveFloodLevel } from './adaptive-flood-level.js';
import { backstitchRatio } from './backstitch-ratio.js';
import { constant } from './constant.js';
import { cosine } from './cosine.js';
import { exponential } from './exponential.js';
import { floodLevel } from './flood-level.js';
import { SCHEDULE_TYPES, scheduleFromJSON } from './from-json.js';
import { join } from './join.js';
import { linear } from './linear.js';
import { piecewiseConstant } from './piecewise-constant.js';
import { warmup } from './warmup.js';

/** A finite double without −0 (JSON writes −0 as 0). */
const finite = (min = -100, max = 100) =>
  fc.double({ min, max, noNaN: true }).map((x) => (x === 0 ? 0 : x));
const steps = fc.integer({ min: 0, max: 200 });
/** Strictly increasing integers >= 1. */
const boundaries = (n: number) =>
  fc.array(fc.integer({ min: 1, max: 60 }), { minLength: n, maxLength: n }).map((gaps) => {
    let sum = 0;
    return gaps.map((g) => {
      sum += g;
      return sum;
    });
  });

const leaf: fc.Arbitrary<Schedule> = fc.oneof(
  finite().map(constant),
  fc.record({ from: finite(), to: finite(), steps }).map(linear),
  fc.record({ from: finite(), to: finite(), steps }).map(cosine),
  fc
    .record({
      from: finite(-10, 10),
      rate: fc.double({ min: 0.5, max: 2, noNaN: true }),
      steps: fc.integer({ min: 1, max: 100 }),
      staircase: fc.boolean(),
      endFactor: fc.option(fc.double({ min: 0, max: 10, noNaN: true })),
    })
    .map(({ endFactor, ...o }) => {
      // An `end` on the side the schedule moves to: between 0 and from (decay) or beyond from (growth).
      if (endFactor === null || o.from === 0 || o.rate === 1) return exponential(o);
      const end = o.rate < 1 ? (o.from * endFactor) / 10 : o.from * (1 + endFactor);
      return exponential({ ...o, end });
    }),
  fc
    .integer({ min: 0, max: 4 })
    .chain((n) =>
      fc.record({
        boundaries: boundaries(n),
        values: fc.array(finite(), { minLength: n + 1, maxLength: n + 1 }),
      }),
    )
    .map(piecewiseConstant),
  fc
    .record({
      level: finite(0, 3),
      delay: steps,
      warmup: steps,
      shape: fc.constantFrom('linear' as const, 'cosine' as const),
    })
    .map(floodLevel),
  fc
    .record({ from: finite(0, 0.999), to: finite(0, 0.999), steps })
    .map((o) => backstitchRatio(cosine(o))),
  fc
    .record({
      fraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
      patience: fc.integer({ min: 1, max: 10 }),
      cooldown: fc.integer({ min: 0, max: 10 }),
      initial: finite(0, 1),
      maxChanges: fc.constantFrom(1, 3, Number.POSITIVE_INFINITY),
    })
    .map(adaptiveFloodLevel),
);

const tree = fc.letrec<{ schedule: Schedule }>((tie) => ({
  schedule: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schedule' },
    leaf,
    fc
      .integer({ min: 1, max: 3 })
      .chain((n) =>
        fc.tuple(fc.array(tie('schedule'), { minLength: n, maxLength: n }), boundaries(n - 1)),
      )
      .map(([schedules, b]) => join(schedules, b)),
    fc
      .tuple(fc.record({ steps, from: finite(), to: finite() }), tie('schedule'))
      .map(([o, then]) => warmup({ ...o, then })),
  ),
})).schedule;

/** Steps to compare at: the start, every step up to 300, and some far ones. */
const probe = [...Array.from({ length: 301 }, (_, t) => t), 1000, 4321, 1e6, 2 ** 40];

describe('scheduleFromJSON', () => {
  it('round-trips every schedule through JSON text: same values at every probed step, same JSON', () => {
    fc.assert(
      fc.property(tree, (s) => {
        const text = JSON.stringify(s);
        const back = scheduleFromJSON(JSON.parse(text));
        expect(JSON.stringify(back)).toBe(text);
        expect(probe.map(back)).toEqual(probe.map(s));
      }),
      { numRuns: 150 },
    );
  });
  it('accepts the JSON text itself', () => {
    const then = cosine({ from: 1, to: 0, steps: 5 });
    const s = warmup({ steps: 3, to: 1, then });
    expect(scheduleFromJSON(JSON.stringify(s))(5)).toBe(s(5));
  });
  it('covers every type it lists', () => {
    const made = [
      constant(1),
      linear({ from: 0, to: 1, steps: 1 }),
      cosine({ from: 0, to: 1, steps: 1 }),
      exponential({ from: 1, rate: 0.5, steps: 1 }),
      piecewiseConstant({ boundaries: [1], values: [1, 2] }),
      join([constant(1)], []),
      warmup({ steps: 1, to: 1 }),
      floodLevel({ level: 0.1 }),
      backstitchRatio(0.1),
      adaptiveFloodLevel({ fraction: 0.5, patience: 1 }),
    ].map((s) => (s.toJSON() as { type: string }).type);
    expect([...made].sort()).toEqual([...SCHEDULE_TYPES].sort());
  });
  it('validates the fields as the constructors do', () => {
    expect(() => scheduleFromJSON({ type: 'linear', from: 0, to: 1, steps: -2 })).toThrow(
      /steps must be an integer >= 0/,
    );
    expect(() =>
      scheduleFromJSON({ type: 'backstitchRatio', ratio: { type: 'constant', value: 1 } }),
    ).toThrow(/ratio must stay in \[0, 1\)/);
    expect(() => scheduleFromJSON({ type: 'join', schedules: 3, boundaries: [] })).toThrow(
      /json.schedules must be an array/,
    );
  });
  it.each([null, 3, [], { type: 'custom' }, { value: 1 }])('rejects %o', (json) => {
    expect(() => scheduleFromJSON(json)).toThrow(RangeError);
  });
  it('names the unknown type tag', () => {
    expect(() => scheduleFromJSON({ type: 'step' })).toThrow(
      /json.type must be one of .*, got "step"/,
    );
  });
});
