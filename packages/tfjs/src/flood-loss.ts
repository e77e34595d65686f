/**
 * Loss-level flooding for `model.compile`.
 *
 * @module
 */
import { requireNonNegative, requireScheduleLike, type ScheduleLike } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { type LossFn, perSample, resolveLoss } from './losses.js';
import { hyperValue } from './schedule-config.js';

/** Options of {@link floodLoss}. */
export interface FloodLossOptions {
  /**
   * The flood level `b >= 0`, in loss units: a number or a schedule of `step()`.
   * Omitted with `levelsInTarget` (the levels come with the targets).
   */
  level?: ScheduleLike;
  /** Individual flooding (iFlood): flood each sample's loss. Default false (batch flooding). */
  individual?: boolean;
  /**
   * Where a scheduled level reads its step, e.g. `() => optimizer.iterations`.
   * Required when `level` is a schedule (the loss function alone has no notion
   * of time); ignored for a constant level.
   */
  step?: () => number;
  /**
   * Per-sample levels carried by the targets (AdaFlood): the last column of
   * `yTrue` is each sample's level `θᵢ` (see `withFloodLevels` and
   * `adaFloodLevels`), the other columns are the targets, and the loss is
   * `mean_i (|ℓ_i − θ_i| + θ_i)`. Needs rank-2 targets; `level` must be omitted
   * and `individual` is implied. Default false.
   */
  levelsInTarget?: boolean;
}

/**
 * `|L − b| + b` on the device, elementwise, with the gradient
 * `sign(L − b)·∇L`: the same as `@flood/core`'s `floodedLoss` and
 * `floodProposal`, 0 at `L = b` (plain `tf.abs` would give `−∇L` there). A
 * `tf.customGrad`, so backprop through it is one multiplication by the sign
 * saved in the forward pass (4 kernels forward, 1 backward). A tensor `level`
 * (per-sample levels, broadcast against `value`) gets no gradient.
 */
export function floodedScalar(value: tf.Tensor, level: number | tf.Tensor): tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const excess = tf.sub(x, level);
    const sign = tf.sign(excess);
    save([sign]);
    return {
      value: tf.add(tf.abs(excess), level),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!),
    };
  })(value);
}

/**
 * A loss for `model.compile` with flooding built in:
 *
 * ```text
 * batch flooding (Ishida et al., ICML 2020):   |mean_i ℓ_i − b| + b
 * individual flooding (iFlood, Xie et al., ICLR 2022):   mean_i (|ℓ_i − b| + b)
 * ```
 *
 * `loss` is a tfjs-layers loss name (`'meanSquaredError'`, `'meanAbsoluteError'`,
 * `'categoricalCrossentropy'`, `'sparseCategoricalCrossentropy'`,
 * `'binaryCrossentropy'`; computed here per sample with tfjs-layers' formulas
 * and clipping) or a function `(yTrue, yPred) => loss` returning per-sample losses
 * (shape `[batch]`, or more axes, averaged) or, for batch flooding only, a
 * scalar. The reported training loss is the flooded one; use the {@link flooding}
 * optimizer instead to log the raw loss and `floodProp`.
 * A scheduled level needs `step` (e.g. `() => model.optimizer.iterations`).
 *
 * @param loss - a loss name or function.
 * @param options - `level` (b >= 0), `individual` (default false), `step`.
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { floodLoss } from '@flood/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
 * model.compile({
 *   optimizer: tf.train.adam(1e-3),
 *   loss: floodLoss('categoricalCrossentropy', { level: 0.1, individual: true }),
 *   metrics: ['accuracy'],
 * });
 * ```
 */
export function floodLoss(loss: string | LossFn, options: FloodLossOptions): LossFn {
  const fn = resolveLoss('loss', loss);
  if (options?.levelsInTarget !== undefined && typeof options.levelsInTarget !== 'boolean') {
    throw new RangeError(`levelsInTarget must be a boolean, got ${typeof options.levelsInTarget}`);
  }
  if (options?.levelsInTarget) return levelsFromTarget(fn, options);
  const level = requireScheduleLike('level', options?.level as ScheduleLike, requireNonNegative);
  if (options.individual !== undefined && typeof options.individual !== 'boolean') {
    throw new RangeError(`individual must be a boolean, got ${typeof options.individual}`);
  }
  const individual = options.individual ?? false;
  const step = options.step;
  if (typeof level !== 'number' && typeof step !== 'function') {
    throw new RangeError('step must be a function returning the step when level is a schedule');
  }
  const levelNow = (): number =>
    typeof level === 'number' ? level : hyperValue('level', level, step!(), requireNonNegative);
  const flooded: LossFn = (yTrue, yPred) =>
    tf.tidy(() => {
      const b = levelNow();
      const values = fn(yTrue, yPred);
      return individual
        ? tf.mean(floodedScalar(perSample(values), b))
        : floodedScalar(tf.mean(values), b);
    });
  return flooded;
}

/** `floodLoss` with `levelsInTarget`: the last target column holds each sample's level. */
function levelsFromTarget(fn: LossFn, options: FloodLossOptions): LossFn {
  if (options.level !== undefined) {
    throw new RangeError(
      'level must be omitted when levelsInTarget is true (the targets carry it)',
    );
  }
  if (options.individual === false) {
    throw new RangeError('individual must be true or omitted when levelsInTarget is true');
  }
  return (yTrue, yPred) => {
    if (yTrue.rank !== 2 || yTrue.shape[1]! < 2) {
      throw new RangeError(
        `with levelsInTarget, yTrue must be [batch, targets + 1] (levels last), got [${yTrue.shape}]`,
      );
    }
    return tf.tidy(() => {
      const columns = yTrue.shape[1]!;
      const targets = tf.slice(yTrue, [0, 0], [-1, columns - 1]);
      const levels = tf.reshape(tf.slice(yTrue, [0, columns - 1], [-1, 1]), [-1]);
      return tf.mean(floodedScalar(perSample(fn(targets, yPred)), levels));
    });
  };
}
