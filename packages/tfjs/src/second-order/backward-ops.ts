/**
 * Gradients for the backward kernels of conv filters and pooling, which tfjs
 * leaves without one (used by `withSecondOrderGradients`).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];
type Attrs = Record<string, unknown>;

const engine = () =>
  tf.engine() as unknown as { runKernel(n: string, i: object, a: object): tf.Tensor };

/** The indices of a 4-D pool's window and stride, as tfjs's pool attributes hold them. */
function pair(value: unknown): [number, number] {
  return Array.isArray(value)
    ? [value[0] as number, value[1] as number]
    : [value as number, value as number];
}

/**
 * The gradients of kernels tfjs gives no gradient at all (the backward ops of conv
 * filters and pooling, linear in `dy`):
 *
 * ```text
 * Conv2DBackpropFilter(x, dy) = ∂⟨dy, conv(x, w)⟩/∂w:  d/dx = convBackpropInput(dy, u),  d/ddy = conv(x, u)
 * AvgPoolGrad(dy) = Jᵀdy:   d/ddy = J·u = avgPool(u)
 * MaxPoolGrad(dy) = Jᵀdy:   d/ddy = J·u = Σ_window (M ⊙ u),  M = Jᵀ·1 the argmax mask
 * ```
 *
 * (the max-pool rule needs windows that do not overlap, `stride ≥ pool size`,
 * the tfjs-layers default; otherwise it throws naming the op). `u` is the
 * incoming gradient; the inputs a backward op does not depend on smoothly get zeros.
 */
export const BACKWARD_OP_GRADIENTS: readonly tf.GradConfig[] = [
  {
    kernelName: 'Conv2DBackpropFilter',
    inputsToSave: ['x', 'dy'],
    gradFunc: (u, saved, attrs) => {
      const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
      const { strides, pad, dataFormat, dimRoundingMode } = attrs as Attrs;
      const common = { strides, pad, dataFormat, dimRoundingMode };
      return {
        x: () =>
          engine().runKernel(
            'Conv2DBackpropInput',
            { dy, filter: u },
            { ...common, inputShape: x.shape },
          ),
        dy: () => engine().runKernel('Conv2D', { x, filter: u }, { ...common, dilations: [1, 1] }),
      };
    },
  },
  {
    kernelName: 'AvgPoolGrad',
    inputsToSave: ['input'],
    gradFunc: (u, saved, attrs) => {
      const input = (saved as Saved)[0]!;
      const { filterSize, strides, pad } = attrs as Attrs;
      return {
        dy: () => engine().runKernel('AvgPool', { x: u }, { filterSize, strides, pad }),
        input: () => tf.zerosLike(input),
      };
    },
  },
  {
    kernelName: 'MaxPoolGrad',
    inputsToSave: ['dy', 'input', 'output'],
    gradFunc: (u, saved, attrs) => {
      const [dy, input, output] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const { filterSize, strides, pad, dimRoundingMode } = attrs as Attrs;
      const [fh, fw] = pair(filterSize);
      const [sh, sw] = pair(strides);
      if (sh < fh || sw < fw) {
        throw new Error(
          `exact Hessian-vector products do not support maxPool with overlapping windows ` +
            `(strides ${sh}×${sw} < pool ${fh}×${fw}); use method 'finite-difference'`,
        );
      }
      return {
        dy: () => {
          // M = Jᵀ·1 marks each window's argmax (one per window: they do not overlap).
          const mask = engine().runKernel(
            'MaxPoolGrad',
            { dy: tf.onesLike(dy), input, output },
            { filterSize, strides, pad, dimRoundingMode },
          );
          const channels = input.shape[3];
          const ones = tf.ones([fh, fw, channels, 1]) as tf.Tensor4D;
          const picked = tf.mul(mask, u as tf.Tensor) as tf.Tensor4D;
          return tf.depthwiseConv2d(
            picked,
            ones,
            [sh, sw],
            pad as 'valid' | 'same',
            'NHWC',
            1,
            dimRoundingMode as 'floor' | undefined,
          );
        },
        input: () => tf.zerosLike(input),
        output: () => tf.zerosLike(output),
      };
    },
  },
];
