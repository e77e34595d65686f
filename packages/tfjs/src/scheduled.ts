/**
 * Learning-rate schedules for any `tf.train` optimizer.
 *
 * @module
 */
import {
  isAdaptiveSchedule,
  requirePositive,
  requireScheduleLike,
  type ScheduleLike,
} from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { baseFromConfig } from './factory.js';
import { hyperValue, scheduleFromConfig, scheduleToConfig } from './schedule-config.js';
import { type Config, isFloodOptimizer, type NamedTensor } from './wrapper.js';

/** Options of {@link scheduled}. */
export interface ScheduledOptions {
  /** η > 0: a number or a `Schedule` of the step (e.g. `cosine(...)` from `@flood/schedulers`). */
  learningRate: ScheduleLike;
}

/**
 * Sets the learning rate of a `tf.train` optimizer (tfjs-core 4.22). SGD and
 * Momentum cache `−η` in a device scalar that `setLearningRate` renews; the
 * others (Adam, Adamax, Adagrad, Adadelta, RMSProp) read their `learningRate`
 * field in every `applyGradients`. Each is checked by a test.
 */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as {
    learningRate: number;
    setLearningRate?: (lr: number) => void;
  };
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/**
 * The optimizer made by {@link scheduled}, registered for serialization as
 * `'Scheduled'`: a `tf.train` optimizer whose learning rate follows a schedule
 * of its iteration count.
 */
export class Scheduled extends tf.Optimizer {
  /** The registered class name. */
  static get className(): string {
    return 'Scheduled';
  }
  /** The wrapped `tf.train` optimizer (owned: disposed with this one). */
  readonly base: tf.Optimizer;
  /** The learning rate as given (a number or a schedule). */
  readonly schedule: ScheduleLike;

  /** See {@link scheduled}. */
  constructor(base: tf.Optimizer, options: ScheduledOptions) {
    super();
    if (!(base instanceof tf.Optimizer) || isFloodOptimizer(base) || isScheduled(base)) {
      throw new RangeError(
        'base must be a tf.train optimizer (put flood wrappers outside: sam(scheduled(base, …), …))',
      );
    }
    if (typeof (base as unknown as { learningRate?: unknown }).learningRate !== 'number') {
      throw new RangeError('base must have a numeric learningRate (every tf.train optimizer does)');
    }
    for (const key of Object.keys(options ?? {})) {
      if (key !== 'learningRate') {
        throw new RangeError(`unknown option '${key}' for Scheduled; allowed: learningRate`);
      }
    }
    const schedule = requireScheduleLike('learningRate', options?.learningRate, requirePositive);
    if (isAdaptiveSchedule(schedule)) {
      throw new RangeError(
        'learningRate must be a number or a plain schedule (not an adaptive one)',
      );
    }
    this.base = base;
    this.schedule = schedule;
  }

  /** The base optimizer's iteration count (the step the schedule is read at). */
  override get iterations(): number {
    return this.base.iterations;
  }

  /** The learning rate the next step uses: the schedule at {@link Scheduled.iterations}. */
  get learningRate(): number {
    return hyperValue('learningRate', this.schedule, this.iterations, requirePositive);
  }

  /** Sets the base's learning rate for this step, then runs its `applyGradients`. */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    setLearningRate(this.base, this.learningRate);
    this.base.applyGradients(variableGradients);
  }

  /** The base optimizer's weights (its slots and iteration count). */
  override async getWeights(): Promise<NamedTensor[]> {
    return this.base.getWeights();
  }

  /** Restores weights made by {@link Scheduled.getWeights}. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await this.base.setWeights(weightValues);
  }

  /** `{ learningRate, base }`, the schedule as its JSON. */
  override getConfig(): Config {
    return {
      learningRate: scheduleToConfig(this.schedule) as Config[string],
      base: { className: this.base.getClassName(), config: this.base.getConfig() },
    };
  }

  /** Rebuilds a {@link Scheduled} from its config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: Config,
  ): T {
    const learningRate = scheduleFromConfig('learningRate', config.learningRate) as ScheduleLike;
    return new (cls as unknown as typeof Scheduled)(baseFromConfig(config), {
      learningRate,
    }) as unknown as T;
  }

  /** Disposes the base optimizer. */
  override dispose(): void {
    this.base.dispose();
  }
}
tf.serialization.registerClass(Scheduled);

/** True for a {@link Scheduled} (a prototype check: `instanceof` on tfjs optimizers is duck-typed). */
function isScheduled(value: object): value is Scheduled {
  return Object.prototype.isPrototypeOf.call(Scheduled.prototype, value);
}

/**
 * A learning-rate schedule for any `tf.train` optimizer (TensorFlow.js has
 * none): before every step the base optimizer's learning rate is set to
 *
 * ```text
 * η_t = learningRate(t),   t = the base optimizer's iteration count
 * ```
 *
 * then the base steps as usual; its slots are untouched. Works in custom loops
 * and in `model.compile`/`model.fit`, saves and loads with the model
 * (`includeOptimizer: true`; the schedule goes into the config as JSON), and is
 * the base of any flood wrapper: `flooding(scheduled(adam, …), …)`,
 * `gsam(scheduled(sgd, { learningRate: lr }), { rho: … })`. A backstitch
 * `ratio` reads the scheduled rate of the step.
 *
 * It is a base optimizer like the `tf.train` ones it wraps, and like them it
 * has no non-finite guard of its own: a NaN loss or gradient reaches the
 * weights. Under any flood wrapper the step is refused on the device as usual
 * (weights, slots and the schedule's step as they were); the wrapper's step
 * count takes a refused step back at its next read-back point.
 *
 * @param base - a `tf.train.*` optimizer (owned: disposed with the result).
 * @param options - `learningRate`: η > 0, a number or a schedule.
 * @throws RangeError for a base that is not a plain `tf.train` optimizer, an
 *   unknown option, or a learning rate (now or at a later step) that is not > 0.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { cosine } from '@flood/schedulers';
 * import { scheduled } from '@flood/tfjs';
 * const opt = scheduled(tf.train.adam(), { learningRate: cosine({ from: 1e-3, to: 1e-5, steps: 1000 }) });
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * opt.minimize(() => tf.sum(tf.square(w)));
 * console.log(opt.learningRate); // the rate of the next step
 * ```
 */
export function scheduled(base: tf.Optimizer, options: ScheduledOptions): Scheduled {
  return new Scheduled(base, options);
}
