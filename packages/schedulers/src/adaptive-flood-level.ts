import {
  type AdaptiveSchedule,
  requireFinite,
  requireInRange,
  requireInteger,
  requireNonNegative,
  type TrainingObservation,
} from '@flood/core';
import { defineSchedule } from './define-schedule.js';
import { pieceIndex } from './piecewise-constant.js';

/** Options of {@link adaptiveFloodLevel}. */
export interface AdaptiveFloodLevelOptions {
  /** b is set to `fraction` × the training loss at the plateau (in (0, 1]). */
  fraction: number;
  /** Observations without improvement of the validation loss before b is set (an integer `>= 1`). */
  patience: number;
  /** Observations after a change that do not count towards `patience` (an integer `>= 0`). Default 0. */
  cooldown?: number;
  /** Lower bound on a level that is set (finite, `>= 0`). Default 0. */
  minLevel?: number;
  /** Upper bound on a level that is set (finite, `>= minLevel`). Default: none. */
  maxLevel?: number;
  /** The validation loss must fall below `best − minDelta` to count as an improvement (finite, `>= 0`). Default 0. */
  minDelta?: number;
  /** The level before the first change (finite, `>= 0`; 0 = flooding off). Default 0. */
  initial?: number;
  /**
   * At most this many changes (an integer `>= 1`, or `Infinity` for no limit). Default 1: set b
   * once and keep it. With more, each later plateau sets b again from the training
   * loss at that time; see {@link adaptiveFloodLevel} for why that tends to lower b.
   */
  maxChanges?: number;
}

/** The JSON form (the configuration) of {@link adaptiveFloodLevel}. */
export interface AdaptiveFloodLevelJSON {
  /** The type tag. */
  type: 'adaptiveFloodLevel';
  /** See {@link AdaptiveFloodLevelOptions.fraction}. */
  fraction: number;
  /** See {@link AdaptiveFloodLevelOptions.patience}. */
  patience: number;
  /** See {@link AdaptiveFloodLevelOptions.cooldown}. */
  cooldown: number;
  /** See {@link AdaptiveFloodLevelOptions.minLevel}. */
  minLevel: number;
  /** See {@link AdaptiveFloodLevelOptions.maxLevel}; absent when there is no bound. */
  maxLevel?: number;
  /** See {@link AdaptiveFloodLevelOptions.minDelta}. */
  minDelta: number;
  /** See {@link AdaptiveFloodLevelOptions.initial}. */
  initial: number;
  /** See {@link AdaptiveFloodLevelOptions.maxChanges}; `null` for no limit (JSON has no `Infinity`). */
  maxChanges: number | null;
}

/** One change of the adaptive level: from `step` on, b = `level`. */
export type LevelChange = {
  /** The step of the observation that set the level; it applies from this step on. */
  step: number;
  /** The new flood level. */
  level: number;
};

/** The state of an {@link adaptiveFloodLevel} (plain JSON), from `getState()`. */
export type AdaptiveFloodLevelState = {
  /** The best validation loss seen so far (`null` before the first observation). */
  best: number | null;
  /** Observations since the last improvement (outside cooldown). */
  wait: number;
  /** Observations left in the cooldown after the last change. */
  cooldownLeft: number;
  /** The current level (the last change's, or `initial`). */
  level: number;
  /** The step of the last observation (`null` before the first). */
  lastStep: number | null;
  /** Every change so far, in order. */
  changes: LevelChange[];
};

/** An {@link adaptiveFloodLevel}: an AdaptiveSchedule whose state has a known shape. */
export interface AdaptiveFloodLevel extends AdaptiveSchedule {
  /** The configuration as JSON (rebuild a fresh schedule with `scheduleFromJSON`). */
  toJSON(): AdaptiveFloodLevelJSON;
  /** A snapshot of the state (plain JSON), restored exactly by `setState`. */
  getState(): AdaptiveFloodLevelState;
}

/**
 * An adaptive flood level: b starts at `initial` (default 0, flooding off) and
 * is set to `fraction` × the current training loss once the validation loss
 * stops improving.
 *
 * **The premise** (the seed, kexue.fm 7643): flooding with level b keeps the
 * training loss floating around b instead of letting it go to 0. The right b is
 * the training loss at which the model starts to overfit: once the training loss
 * is "low enough" and the validation loss starts to rise, that loss level is
 * where to float. Ishida et al. (ICML 2020) pick b by a grid search on
 * validation data; this detects the point during a single run, like Keras's
 * `ReduceLROnPlateau` detects a plateau.
 *
 * **The rule**, at each `observe` (e.g. at the end of an
 * epoch, with that epoch's mean training loss and the validation loss):
 * 1. If a cooldown is running, it counts down by one; this observation is then
 *    "in cooldown".
 * 2. If the validation loss is below `best − minDelta` (or it is the first), it
 *    becomes `best` and the wait counter is reset to 0.
 * 3. Otherwise, unless in cooldown, the wait counter goes up by one; when it
 *    reaches `patience` (and fewer than `maxChanges` changes were made), b is set to
 *    $\max(0, \min(\mathrm{maxLevel}, \max(\mathrm{minLevel}, \mathrm{fraction} \cdot L_\mathrm{train})))$,
 *    the wait counter is reset and a cooldown of `cooldown` observations starts.
 *
 * So the first change can happen at the (patience + 1)-th observation, and two
 * changes are at least `cooldown + patience` observations apart. A change made by
 * an observation at `step` applies from `step` on: the schedule's value at step t
 * is the level of the last change at or before t (or `initial`), so it stays a
 * pure function of the step.
 *
 * **Why b is set only once by default** (`maxChanges: 1`): after the first
 * change the training loss keeps falling until it reaches b, and then floats
 * near b. A later plateau would set b to `fraction` × a loss that is already
 * near or below the old b, so every later change lowers b, and b keeps trailing
 * just below the training loss, where flooding never engages. In the schedulers
 * example (sinusoid data, `fraction: 0.9`, `patience: 20`, `cooldown: 50`),
 * unlimited changes gave 7 ever lower levels and a run identical to the
 * unflooded one. Allow more changes (with a `cooldown`) only with `fraction`
 * close to 1 or a `minLevel`.
 *
 * Its state (best validation loss, counters, changes) round-trips through
 * `getState()`/`setState()`, so training can be checkpointed and resumed exactly;
 * `toJSON()` is its configuration. `@flood/tfjs` calls `observe` from its
 * `model.fit` callback. Pass it as the level itself: nested inside `join` or
 * `warmup` it would still be read, but the result is not an AdaptiveSchedule,
 * so nothing would call its `observe`.
 *
 * @example
 * ```ts
 * import { adaptiveFloodLevel } from '@flood/schedulers';
 * const level = adaptiveFloodLevel({ fraction: 0.9, patience: 2, maxLevel: 0.5 });
 * // What floodCallback does at each epoch end (validation loss stops improving at 0.40):
 * const epochs = [[0.6, 0.5], [0.45, 0.42], [0.4, 0.4], [0.38, 0.41], [0.36, 0.43]];
 * epochs.forEach(([trainingLoss, validationLoss], e) =>
 *   level.observe({ step: 100 * (e + 1), trainingLoss, validationLoss }),
 * );
 * console.log(level(0), level(500)); // 0 0.324 (b = 0.9 × 0.36, from step 500 on)
 * ```
 * @throws RangeError if an option is outside the range documented on
 *   {@link AdaptiveFloodLevelOptions}.
 */
export function adaptiveFloodLevel(options: AdaptiveFloodLevelOptions): AdaptiveFloodLevel {
  const config = requireOptions(options);
  const { fraction, patience, cooldown, minLevel, minDelta, initial } = config;
  const maxLevel = config.maxLevel ?? Number.POSITIVE_INFINITY;
  const maxChanges = config.maxChanges ?? Number.POSITIVE_INFINITY;

  let best: number | null = null;
  let wait = 0;
  let cooldownLeft = 0;
  let lastStep: number | null = null;
  let changeSteps: number[] = [];
  let changeLevels: number[] = [];

  const current = (): number =>
    changeLevels.length === 0 ? initial : changeLevels[changeLevels.length - 1]!;

  const value = (t: number): number => {
    const n = changeSteps.length;
    if (n === 0) return initial;
    if (t >= changeSteps[n - 1]!) return changeLevels[n - 1]!;
    const i = pieceIndex(changeSteps, t);
    return i === 0 ? initial : changeLevels[i - 1]!;
  };

  const observe = (observation: TrainingObservation): void => {
    const step = requireInteger('observation.step', observation.step, lastStep ?? 0);
    const train = requireFinite('observation.trainingLoss', observation.trainingLoss);
    const val = observation.validationLoss;
    if (typeof val !== 'number' || !Number.isFinite(val)) {
      throw new RangeError(
        `observation.validationLoss must be a finite number (adaptiveFloodLevel watches the validation loss: give model.fit validation data), got ${String(val)}`,
      );
    }
    lastStep = step;
    const inCooldown = cooldownLeft > 0;
    if (inCooldown) cooldownLeft--;
    if (best === null || val < best - minDelta) {
      best = val;
      wait = 0;
    } else if (!inCooldown) {
      wait++;
      if (wait >= patience && changeSteps.length < maxChanges) {
        changeSteps.push(step);
        changeLevels.push(Math.max(0, Math.min(maxLevel, Math.max(minLevel, fraction * train))));
        wait = 0;
        cooldownLeft = cooldown;
      }
    }
  };

  const getState = (): AdaptiveFloodLevelState => ({
    best,
    wait,
    cooldownLeft,
    level: current(),
    lastStep,
    changes: changeSteps.map((step, i) => ({ step, level: changeLevels[i]! })),
  });

  const setState = (state: Record<string, unknown>): void => {
    const s = requireState(state, initial);
    best = s.best;
    wait = s.wait;
    cooldownLeft = s.cooldownLeft;
    lastStep = s.lastStep;
    changeSteps = s.changes.map((c) => c.step);
    changeLevels = s.changes.map((c) => c.level);
  };

  const toJSON = (): AdaptiveFloodLevelJSON => ({ type: 'adaptiveFloodLevel', ...config });
  const schedule = defineSchedule(value, toJSON, () => undefined);
  return Object.assign(schedule, { toJSON, observe, getState, setState });
}

/** Validates the options and returns them with defaults filled in (as JSON, without `type`). */
function requireOptions(o: AdaptiveFloodLevelOptions): Omit<AdaptiveFloodLevelJSON, 'type'> {
  const minLevel = requireNonNegative('minLevel', o.minLevel ?? 0);
  const config: Omit<AdaptiveFloodLevelJSON, 'type'> = {
    fraction: requireInRange('fraction', o.fraction, 0, 1, { lowerOpen: true }),
    patience: requireInteger('patience', o.patience, 1),
    cooldown: requireInteger('cooldown', o.cooldown ?? 0, 0),
    minLevel,
    minDelta: requireNonNegative('minDelta', o.minDelta ?? 0),
    initial: requireNonNegative('initial', o.initial ?? 0),
    maxChanges: requireMaxChanges(o.maxChanges ?? 1),
  };
  if (o.maxLevel !== undefined) {
    requireFinite('maxLevel', o.maxLevel);
    if (o.maxLevel < minLevel) {
      throw new RangeError(`maxLevel must be >= minLevel (${minLevel}), got ${o.maxLevel}`);
    }
    config.maxLevel = o.maxLevel;
  }
  return config;
}

/** `maxChanges` is an integer `>= 1` or `Infinity` (stored as `null`). */
function requireMaxChanges(n: number): number | null {
  if (n === Number.POSITIVE_INFINITY) return null;
  return requireInteger('maxChanges', n, 1);
}

/** Validates a state from `getState()` (e.g. after a JSON round trip). */
function requireState(state: Record<string, unknown>, initial: number): AdaptiveFloodLevelState {
  if (typeof state !== 'object' || state === null) {
    throw new RangeError(`state must be an object from getState(), got ${String(state)}`);
  }
  const best = state.best === null ? null : requireFinite('state.best', state.best as number);
  const lastStep =
    state.lastStep === null ? null : requireInteger('state.lastStep', state.lastStep as number, 0);
  if (!Array.isArray(state.changes)) {
    throw new RangeError('state.changes must be an array of { step, level }');
  }
  let previous = 0;
  const changes = state.changes.map((c: unknown, i): LevelChange => {
    const change = (c ?? {}) as Partial<LevelChange>;
    const step = requireInteger(`state.changes[${i}].step`, change.step as number, previous);
    previous = step;
    return { step, level: requireNonNegative(`state.changes[${i}].level`, change.level as number) };
  });
  const lastChange = changes.length === 0 ? 0 : changes[changes.length - 1]!.step;
  if (changes.length > 0 && (lastStep === null || lastStep < lastChange)) {
    throw new RangeError(
      `state.lastStep must be an integer >= the last change's step (${lastChange}), got ${String(lastStep)}`,
    );
  }
  const level = requireNonNegative('state.level', state.level as number);
  const expected = changes.length === 0 ? initial : changes[changes.length - 1]!.level;
  if (level !== expected) {
    throw new RangeError(
      `state.level must equal the last change's level (${expected}), got ${level}`,
    );
  }
  return {
    best,
    wait: requireInteger('state.wait', state.wait as number, 0),
    cooldownLeft: requireInteger('state.cooldownLeft', state.cooldownLeft as number, 0),
    level,
    lastStep,
    changes,
  };
}
