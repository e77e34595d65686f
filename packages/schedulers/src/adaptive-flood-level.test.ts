import { isAdaptiveSchedule, scheduleValue } from '@flood/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdaptiveFloodLevelOptions,
  adaptiveFloodLevel,
  type LevelChange,
} from './adaptive-flood-level.js';
import { scheduleFromJSON } from './from-json.js';

/** Feeds `[train, val]` pairs at steps 10, 20, 30, … (one "epoch" = 10 steps). */
function feed(
  s: ReturnType<typeof adaptiveFloodLevel>,
  losses: readonly (readonly [number, number])[],
  firstEpoch = 1,
): void {
  losses.forEach(([trainingLoss, validationLoss], i) => {
    s.observe({ step: 10 * (firstEpoch + i), trainingLoss, validationLoss });
  });
}

/** Validation loss falls to 0.7 at epoch 3, then rises: the overfitting point. */
const overfit: [number, number][] = [
  [1.0, 0.9],
  [0.8, 0.8],
  [0.6, 0.7],
  [0.5, 0.75],
  [0.4, 0.8],
  [0.3, 0.85],
  [0.2, 0.9],
];

describe('adaptiveFloodLevel', () => {
  it('is `initial` (0) until validation stops improving for `patience` observations, then fraction × training loss', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    feed(b, overfit.slice(0, 4));
    expect(b.getState().changes).toEqual([]);
    expect(b(40)).toBe(0);
    feed(b, overfit.slice(4, 5), 5); // second observation without improvement, train 0.4
    expect(b.getState().changes).toEqual([{ step: 50, level: 0.2 }]);
    expect([0, 49, 50, 51, 1e6].map(b)).toEqual([0, 0, 0.2, 0.2, 0.2]);
  });
  it('an improvement resets the patience count', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    feed(b, [
      [1, 0.9],
      [0.9, 0.95], // wait 1
      [0.8, 0.85], // new best: wait 0
      [0.7, 0.86], // wait 1
      [0.6, 0.84], // new best
      [0.5, 0.9], // wait 1
    ]);
    expect(b.getState().changes).toEqual([]);
    expect(b.getState().wait).toBe(1);
    feed(b, [[0.4, 0.9]], 7);
    expect(b.getState().changes).toEqual([{ step: 70, level: 0.2 }]);
  });
  it('an improvement smaller than minDelta does not count', () => {
    const b = adaptiveFloodLevel({ fraction: 1, patience: 2, minDelta: 0.01 });
    feed(b, [
      [1, 0.9],
      [0.9, 0.895],
      [0.8, 0.891],
    ]);
    expect(b.getState().changes).toEqual([{ step: 30, level: 0.8 }]);
    expect(b.getState().best).toBe(0.9);
  });
  it('waits `cooldown` observations after a change before counting again', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 1, cooldown: 2, maxChanges: Infinity });
    // Validation never improves after epoch 1.
    feed(b, [
      [1.0, 0.5],
      [0.8, 0.6], // change at 20 → 0.4
      [0.6, 0.6], // cooldown
      [0.5, 0.6], // cooldown
      [0.4, 0.6], // change at 50 → 0.2
    ]);
    expect(b.getState().changes).toEqual([
      { step: 20, level: 0.4 },
      { step: 50, level: 0.2 },
    ]);
    expect([10, 19, 20, 49, 50, 99].map(b)).toEqual([0, 0, 0.4, 0.4, 0.2, 0.2]);
  });
  it('with maxChanges > 1 and no cooldown, changes again after `patience` more observations', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2, maxChanges: 3 });
    feed(b, overfit);
    expect(b.getState().changes).toEqual([
      { step: 50, level: 0.2 },
      { step: 70, level: 0.1 },
    ]);
  });
  it('by default (maxChanges: 1) sets the level once and keeps it', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    feed(b, overfit);
    expect(b.getState().changes).toEqual([{ step: 50, level: 0.2 }]);
    expect(b(1e6)).toBe(0.2);
  });
  it('clamps the level to [minLevel, maxLevel] and never below 0', () => {
    const low = adaptiveFloodLevel({ fraction: 0.5, patience: 2, minLevel: 0.3 });
    feed(low, overfit.slice(0, 5));
    expect(low(50)).toBe(0.3);
    const high = adaptiveFloodLevel({ fraction: 0.5, patience: 2, maxLevel: 0.15 });
    feed(high, overfit.slice(0, 5));
    expect(high(50)).toBe(0.15);
    // A loss that can be negative (e.g. a log-likelihood bound) still gives b >= 0.
    const negative = adaptiveFloodLevel({ fraction: 1, patience: 1 });
    feed(negative, [
      [-1, 0.5],
      [-2, 0.6],
    ]);
    expect(negative(20)).toBe(0);
  });
  it('starts from `initial` if given', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2, initial: 0.05 });
    expect(b(0)).toBe(0.05);
    feed(b, overfit.slice(0, 5));
    expect([49, 50].map(b)).toEqual([0.05, 0.2]);
  });
  it('stays within [0, maxLevel] (or initial) on random loss sequences', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1, max: 3, noNaN: true }),
            fc.double({ min: 0, max: 3, noNaN: true }),
          ),
          {
            maxLength: 40,
          },
        ),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        (losses, fraction, patience) => {
          const b = adaptiveFloodLevel({ fraction, patience, maxLevel: 1, maxChanges: Infinity });
          feed(b, losses);
          for (let t = 0; t <= 10 * (losses.length + 1); t += 5) {
            const level = b(t);
            if (!(level >= 0 && level <= 1))
              throw new Error(`b(${t}) = ${level} is outside [0, 1]`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
  it('restores from saved state (through JSON) and then behaves exactly like an uninterrupted run', () => {
    const options: AdaptiveFloodLevelOptions = {
      fraction: 0.7,
      patience: 2,
      cooldown: 1,
      minDelta: 0.001,
      maxLevel: 2,
      maxChanges: Infinity,
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 2, noNaN: true }),
            fc.double({ min: 0, max: 2, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.nat(),
        (losses, cut) => {
          const k = cut % (losses.length + 1);
          const whole = adaptiveFloodLevel(options);
          feed(whole, losses);

          const first = adaptiveFloodLevel(options);
          feed(first, losses.slice(0, k));
          const saved = JSON.parse(JSON.stringify({ config: first, state: first.getState() }));
          const resumed = scheduleFromJSON(saved.config) as ReturnType<typeof adaptiveFloodLevel>;
          resumed.setState(saved.state);
          feed(resumed, losses.slice(k), k + 1);

          expect(resumed.getState()).toEqual(whole.getState());
          const steps = Array.from({ length: 10 * (losses.length + 1) }, (_, t) => t);
          expect(steps.map(resumed)).toEqual(steps.map(whole));
        },
      ),
      { numRuns: 100 },
    );
  });
  it('is an AdaptiveSchedule for @flood/core (and the tfjs adapter)', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    expect(isAdaptiveSchedule(b)).toBe(true);
    expect(scheduleValue('level', b, 0)).toBe(0);
    expect(isAdaptiveSchedule(scheduleFromJSON(b.toJSON()))).toBe(true);
  });
  it('serialises its configuration, not its state', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    feed(b, overfit);
    expect(JSON.parse(JSON.stringify(b))).toEqual({
      type: 'adaptiveFloodLevel',
      fraction: 0.5,
      patience: 2,
      cooldown: 0,
      minLevel: 0,
      minDelta: 0,
      initial: 0,
      maxChanges: 1,
    });
    expect(scheduleFromJSON(b.toJSON())(1e6)).toBe(0);
    const unlimited = adaptiveFloodLevel({ fraction: 0.5, patience: 2, maxChanges: Infinity });
    expect(unlimited.toJSON().maxChanges).toBeNull();
    const back = scheduleFromJSON(JSON.parse(JSON.stringify(unlimited)));
    expect(back.toJSON()).toEqual(unlimited.toJSON());
  });
  it('rejects an observation without a validation loss, or going back in steps', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    expect(() => b.observe({ step: 1, trainingLoss: 0.5 })).toThrow(
      /observation.validationLoss must be a finite number/,
    );
    expect(() => b.observe({ step: 1, trainingLoss: Number.NaN, validationLoss: 1 })).toThrow(
      /observation.trainingLoss must be a finite number/,
    );
    b.observe({ step: 5, trainingLoss: 0.5, validationLoss: 0.5 });
    expect(() => b.observe({ step: 4, trainingLoss: 0.5, validationLoss: 0.5 })).toThrow(
      /observation.step must be an integer >= 5/,
    );
  });
  it('rejects a malformed state', () => {
    const b = adaptiveFloodLevel({ fraction: 0.5, patience: 2 });
    const good = b.getState();
    const bad = (patch: Record<string, unknown>) => () => b.setState({ ...good, ...patch });
    expect(bad({ wait: -1 })).toThrow(/state.wait must be an integer >= 0/);
    expect(bad({ best: 'x' })).toThrow(/state.best must be a finite number/);
    expect(bad({ changes: {} })).toThrow(/state.changes must be an array/);
    const changes: LevelChange[] = [
      { step: 20, level: 0.1 },
      { step: 10, level: 0.2 },
    ];
    expect(bad({ changes, level: 0.2, lastStep: 20 })).toThrow(
      /state.changes\[1\].step must be an integer >= 20/,
    );
    expect(bad({ changes: [{ step: 10, level: 0.1 }], level: 0, lastStep: 10 })).toThrow(
      /state.level must equal the last change's level/,
    );
    expect(bad({ changes: [{ step: 10, level: 0.1 }], level: 0.1, lastStep: 5 })).toThrow(
      /state.lastStep must be an integer >= the last change's step \(10\)/,
    );
  });
  it.each([
    [{ fraction: 0, patience: 1 }, /fraction must be a finite number in \(0, 1\]/],
    [{ fraction: 1.5, patience: 1 }, /fraction must be a finite number in \(0, 1\]/],
    [{ fraction: 0.5, patience: 0 }, /patience must be an integer >= 1/],
    [{ fraction: 0.5, patience: 1, cooldown: -1 }, /cooldown must be an integer >= 0/],
    [{ fraction: 0.5, patience: 1, minLevel: -0.1 }, /minLevel must be a finite number >= 0/],
    [{ fraction: 0.5, patience: 1, minLevel: 0.2, maxLevel: 0.1 }, /maxLevel must be >= minLevel/],
    [{ fraction: 0.5, patience: 1, maxLevel: Number.NaN }, /maxLevel must be a finite number/],
    [{ fraction: 0.5, patience: 1, minDelta: -1 }, /minDelta must be a finite number >= 0/],
    [{ fraction: 0.5, patience: 1, initial: -1 }, /initial must be a finite number >= 0/],
    [{ fraction: 0.5, patience: 1, maxChanges: 0 }, /maxChanges must be an integer >= 1/],
  ])('rejects %o', (o, message) => {
    expect(() => adaptiveFloodLevel(o)).toThrow(RangeError);
    expect(() => adaptiveFloodLevel(o)).toThrow(message);
  });
});
