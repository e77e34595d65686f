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
  /** The flood level `b >= 0`, in loss units: a number or a schedule of `step()`. */
  level: ScheduleLike;
  /** Individual flooding (iFlood): flood each sample's loss. Default false (batch flooding). */
  individual?: boolean;
  /**
   * Where a scheduled level reads its step, e.g. `() => optimizer.iterations`.
   * Required when `level` is a schedule (the loss function alone has no notion
   * of time); ignored for a constant level.
   */
  step?: () => number;
}

/**
 * `|L − b| + b` on the device, elementwise, with the gradient
 * `sign(L − b)·∇L`: the same as `@flood/core`'s `floodedLoss` and
 * `floodProposal`, 0 at `L = b` (plain `tf.abs` would give `−∇L` there). A
 * `tf.customGrad`, so backprop through it is one multiplication by the sign
 * saved in the forward pass (4 kernels forward, 1 backward).
 */
export function floodedScalar(value: tf.Tensor, level: number): tf.Tensor {
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
  const level = requireScheduleLike('level', options?.level, requireNonNegative);
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
