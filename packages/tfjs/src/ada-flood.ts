/**
 * AdaFlood's per-sample flood levels, and the target layout that carries them
 * through training.
 *
 * @module
 */
import { requireInRange } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';

/** AdaFlood's default γ (BorealisAI/adaflood `configs/model/criterion/adaflood_cls.yaml`). */
export const DEFAULT_ADAFLOOD_GAMMA = 0.5;

/** Options of {@link adaFloodLevels}. */
export interface AdaFloodLevelOptions {
  /**
   * γ in [0, 1], the correction's weight: γ = 0 takes the auxiliary loss as the
   * level, γ = 1 gives level 0 everywhere (no flooding). Default 0.5; Bae et
   * al.'s sweep covers 0.05–0.95.
   */
  gamma?: number;
}

/**
 * AdaFlood's per-sample flood levels (Bae et al., TMLR 2024) from the losses
 * `ℓ_aux,i` of an auxiliary model that did not train on sample `i` (held-out
 * folds, or the paper's fine-tuned variant):
 *
 * $$ \theta_i = -\log\big((1-\gamma)\, e^{-\ell_{\mathrm{aux},i}} + \gamma\big) $$
 *
 * For cross-entropy `e^{−ℓ_aux} = p_aux(y)`, so `θᵢ` is the loss of a mixture of
 * the auxiliary prediction with the true label. `θᵢ` lies between 0 and
 * `min(ℓ_aux,i, −log γ)` (clamped at 0 against rounding). Computed as `−logaddexp(log(1 − γ) − ℓ, log γ)`, so
 * large losses neither overflow nor lose the `γ` floor; float64 for a number
 * array, float32 on the device for a tensor. Train with them through
 * `floodLoss(loss, { levelsInTarget: true })` and {@link withFloodLevels}.
 *
 * @param auxLosses - per-sample losses `ℓ_aux,i >= 0` (finite): a number array
 *   (checked) or a 1-D tensor (not read back, so not checked; not consumed).
 * @param options - `gamma` (γ in [0, 1], default 0.5).
 * @returns the levels, a new `float32` tensor of the same length.
 * @throws RangeError for γ outside [0, 1], an entry of a number array that is
 *   not finite and `>= 0`, or a tensor that is not 1-D.
 * @see Bae, Ren, Ahmed, Tung, Sutherland, Oliveira, "AdaFlood: Adaptive Flood
 *   Regularization", TMLR 2024 (code: BorealisAI/adaflood).
 * @example
 * ```ts
 * import '@tensorflow/tfjs'; // a backend (tfjs-core alone has none in Node)
 * import { adaFloodLevels } from '@flood/tfjs';
 * const levels = adaFloodLevels([0.1, 2.3, 0], { gamma: 0.5 });
 * levels.print(); // [0.0488, 0.5976, 0] = −log(0.5·e^{−ℓ} + 0.5)
 * ```
 */
export function adaFloodLevels(
  auxLosses: tf.Tensor1D | readonly number[],
  options: AdaFloodLevelOptions = {},
): tf.Tensor1D {
  const gamma = requireInRange('gamma', options?.gamma ?? DEFAULT_ADAFLOOD_GAMMA, 0, 1);
  const a = Math.log1p(-gamma); // log(1 − γ), −∞ at γ = 1
  const b = Math.log(gamma); // −∞ at γ = 0
  if (auxLosses instanceof tf.Tensor) {
    if (auxLosses.rank !== 1) {
      throw new RangeError(`auxLosses must be 1-D, got shape [${auxLosses.shape}]`);
    }
    return tf.tidy(() => {
      if (gamma === 0) return tf.cast(auxLosses, 'float32');
      if (gamma === 1) return tf.zeros(auxLosses.shape, 'float32');
      const x = tf.sub(a, tf.cast(auxLosses, 'float32'));
      const top = tf.maximum(x, b);
      const sum = tf.add(tf.exp(tf.sub(x, top)), tf.exp(tf.sub(b, top)));
      return tf.relu(tf.neg(tf.add(top, tf.log(sum))));
    }) as tf.Tensor1D;
  }
  if (!Array.isArray(auxLosses)) {
    throw new RangeError('auxLosses must be a number array or a 1-D tensor');
  }
  const levels = auxLosses.map((loss, i) => {
    if (typeof loss !== 'number' || !Number.isFinite(loss) || loss < 0) {
      throw new RangeError(`auxLosses[${i}] must be a finite number >= 0, got ${String(loss)}`);
    }
    const x = a - loss;
    const top = Math.max(x, b);
    return Math.max(0, -(top + Math.log(Math.exp(x - top) + Math.exp(b - top))));
  });
  return tf.tensor1d(levels, 'float32');
}

/**
 * Targets with each sample's flood level appended as a last column, the layout
 * `floodLoss(loss, { levelsInTarget: true })` reads: `[y | θ]`, shape
 * `[n, k + 1]` for targets `[n, k]` (a 1-D `y` is taken as `[n, 1]`, e.g.
 * sparse labels). Any shuffling of the rows keeps each level with its sample.
 *
 * @param y - the targets, rank 1 or 2 (not consumed).
 * @param levels - one level per row of `y` (not consumed).
 * @returns a new `[n, k + 1]` tensor.
 * @throws RangeError if the ranks or lengths do not fit.
 */
export function withFloodLevels(y: tf.Tensor, levels: tf.Tensor1D): tf.Tensor2D {
  if (y.rank !== 1 && y.rank !== 2) {
    throw new RangeError(`y must have rank 1 or 2, got shape [${y.shape}]`);
  }
  if (levels.rank !== 1 || levels.shape[0] !== y.shape[0]) {
    throw new RangeError(
      `levels must be 1-D with one entry per sample (${y.shape[0]}), got shape [${levels.shape}]`,
    );
  }
  return tf.tidy(() => {
    const targets = y.rank === 1 ? tf.reshape(y, [-1, 1]) : y;
    return tf.concat([tf.cast(targets, 'float32'), tf.reshape(levels, [-1, 1])], 1) as tf.Tensor2D;
  });
}
