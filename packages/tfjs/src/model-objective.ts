/**
 * `@flood/core`'s `Objective` for a tfjs-layers model on fixed data.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { type LossFn, resolveLoss } from './losses.js';
import { addAll } from './reduce.js';
import { createObjective, type VariablesObjective } from './variables-objective.js';

/** Options of {@link modelObjective}. */
export interface ModelObjectiveOptions {
  /**
   * The loss: a tfjs-layers loss name (see `perSampleLosses`) or a function
   * `(yTrue, yPred) => loss`. Default: the model's compiled loss, when it is one
   * of those names.
   */
  loss?: string | LossFn;
  /**
   * Run the model in training mode (dropout active, BatchNorm on batch
   * statistics). Default false: inference mode, so the objective is a fixed,
   * deterministic function of the weights, which is what curvature metrics need.
   */
  training?: boolean;
  /**
   * Offer an exact Hessian-vector product (double backprop with
   * `withSecondOrderGradients`, see `exactHessianVectorProduct`), which curvature
   * metrics then use. Default true; a model with an op outside
   * `SECOND_ORDER_SAFE_OPS` makes the product throw a
   * `SecondOrderUnsupportedError` naming the op. False leaves the objective
   * without one (metrics then use checked central differences).
   */
  exactHessian?: boolean;
}

function asList(t: tf.Tensor | tf.Tensor[], name: string): tf.Tensor[] {
  const list = Array.isArray(t) ? t : [t];
  if (list.length === 0 || !list.every((x) => x instanceof tf.Tensor)) {
    throw new RangeError(`${name} must be a tf.Tensor or a non-empty array of tf.Tensors`);
  }
  return list;
}

/**
 * The tfjs implementation of `@flood/core`'s `Objective` for a model on fixed
 * data: `L(θ) = Σ_outputs mean_i loss(y_i, model(x_i))` as a function of the
 * model's trainable weights (in `model.trainableWeights` order), for
 * `@flood/metrics` (sharpness, Hessian eigenvalues and traces, landscapes).
 *
 * It runs the model with `model.apply(x, {training})`, in inference mode by
 * default (dropout off, BatchNorm on its moving statistics): a deterministic
 * function. Regularizer penalties are not included. Evaluations restore the
 * weights bit for bit, and the non-trainable ones too (see
 * {@link variablesObjective}). The data tensors are not copied: keep them alive
 * while the objective is used.
 *
 * @param model - a tfjs-layers model (built).
 * @param data - inputs `x` and targets `y` (tensors, or arrays for multi-io models).
 * @param options - `loss` (default: the compiled loss) and `training` (default false).
 * @throws RangeError for missing or invalid data, model or loss.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { modelObjective } from '@flood/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * const obj = modelObjective(model, { x: tf.ones([4, 2]), y: tf.zeros([4, 1]) }, { loss: 'meanSquaredError' });
 * const { loss, gradient } = obj.evaluate();
 * console.log(loss.dataSync()[0]);
 * tf.dispose([loss, ...gradient]);
 * ```
 */
export function modelObjective(
  model: LayersModel,
  data: { x: tf.Tensor | tf.Tensor[]; y: tf.Tensor | tf.Tensor[] },
  options: ModelObjectiveOptions = {},
): VariablesObjective {
  if (!model || typeof model.apply !== 'function' || !Array.isArray(model.trainableWeights)) {
    throw new RangeError('model must be a tfjs-layers LayersModel');
  }
  const x = asList(data?.x, 'data.x');
  const y = asList(data?.y, 'data.y');
  const loss = resolveLoss('loss', options.loss ?? (model as { loss?: unknown }).loss);
  if (options.training !== undefined && typeof options.training !== 'boolean') {
    throw new RangeError(`training must be a boolean, got ${typeof options.training}`);
  }
  const training = options.training ?? false;
  if (options.exactHessian !== undefined && typeof options.exactHessian !== 'boolean') {
    throw new RangeError(`exactHessian must be a boolean, got ${typeof options.exactHessian}`);
  }
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (variables.length === 0) throw new RangeError('model has no trainable weights');
  const total = (): tf.Scalar =>
    tf.tidy(() => {
      const out = model.apply(x.length === 1 ? x[0]! : x, { training });
      const outputs = asList(out as tf.Tensor | tf.Tensor[], 'model output');
      if (outputs.length !== y.length) {
        throw new RangeError(`data.y must have ${outputs.length} tensors, got ${y.length}`);
      }
      const terms = outputs.map((o, i) => tf.mean(loss(y[i]!, o)) as tf.Scalar);
      return addAll(terms);
    });
  return createObjective(total, variables, { exactHessian: options.exactHessian !== false });
}
