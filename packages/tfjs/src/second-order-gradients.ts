/**
 * Gradient definitions that tfjs can differentiate again, installed only while
 * an exact curvature product runs.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];
type Attrs = Record<string, unknown>;

const f32 = (x: tf.Tensor) => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
/** 1 where `x > 0`, else 0 (`step` has a zero gradient, so masks stay on the tape harmlessly). */
const above = (x: tf.Tensor) => tf.step(x);
/** 1 where `x ≥ 0`, else 0. */
const atLeast = (x: tf.Tensor) => tf.sub(1, tf.step(tf.neg(x)));
/** `exp(min(x, 0))`: the negative branch of elu/selu without overflow on the other side. */
const expNonPositive = (x: tf.Tensor) => tf.exp(tf.neg(tf.relu(tf.neg(x))));
const engine = () =>
  tf.engine() as unknown as { runKernel(n: string, i: object, a: object): tf.Tensor };

/** `max`/`min` over `axes`: `dy` routed to the extreme entries (ties share it, as in tfjs). */
function extremeGrad(kind: 'max' | 'min'): tf.GradConfig['gradFunc'] {
  return (dy, saved, attrs) => ({
    x: () => {
      const x = (saved as Saved)[0]!;
      const raw = (attrs as Attrs).reductionIndices as number | number[];
      const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => (a < 0 ? a + x.rank : a));
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const y = kind === 'max' ? tf.max(x, axes, true) : tf.min(x, axes, true);
      const gap = kind === 'max' ? tf.sub(y, x) : tf.sub(x, y);
      return tf.mul(tf.reshape(dy as tf.Tensor, kept), tf.sub(1, tf.step(gap)));
    },
  });
}

/** The indices of a 4-D pool's window and stride, as tfjs's pool attributes hold them. */
function pair(value: unknown): [number, number] {
  return Array.isArray(value)
    ? [value[0] as number, value[1] as number]
    : [value as number, value as number];
}

/**
 * The replacements. Each gradient is computed from the op's *inputs* (never
 * from a saved output, whose copy tfjs records before the op and so cannot
 * reach from the weights, tfjs#3252), with ops that have gradients themselves:
 *
 * ```text
 * exp        dy·exp(x)                       tanh     dy·(1 − tanh²x)
 * sigmoid    dy·σ(x)(1 − σ(x))               softmax  y⊙dy − y·Σ(y⊙dy),  y = softmax(x)
 * elu        dy·(1[x>0] + 1[x≤0]·e^min(x,0))  selu     the same, scaled (λ, λα)
 * leakyRelu  dy·(α + (1 − α)·1[x>0])         relu6    dy·1[0<x≤6]
 * clip       dy·1[lo ≤ x ≤ hi]               max/min  dy·1[x = max x] (or min) over the axes
 * (masks by `step`, which has a zero gradient: tfjs's comparisons have none)
 * ```
 *
 * and, for kernels tfjs gives no gradient at all (the backward ops of conv
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
const overrides: readonly tf.GradConfig[] = [
  {
    kernelName: 'Exp',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => tf.mul(dy as tf.Tensor, tf.exp(f32((saved as Saved)[0]!))),
    }),
  },
  {
    kernelName: 'Tanh',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh((saved as Saved)[0]!)))),
    }),
  },
  {
    kernelName: 'Sigmoid',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => {
        const s = tf.sigmoid((saved as Saved)[0]!);
        return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
      },
    }),
  },
  {
    kernelName: 'Softmax',
    inputsToSave: ['logits'],
    gradFunc: (dy, saved, attrs) => ({
      logits: () => {
        const dim = (attrs as Attrs).dim as number;
        const y = tf.softmax((saved as Saved)[0]!, dim);
        const dyy = tf.mul(dy as tf.Tensor, y);
        return tf.sub(dyy, tf.mul(tf.sum(dyy, [dim], true), y));
      },
    }),
  },
  {
    kernelName: 'Elu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => {
        const x = (saved as Saved)[0]!;
        const m = above(x);
        return tf.mul(dy as tf.Tensor, tf.add(m, tf.mul(tf.sub(1, m), expNonPositive(x))));
      },
    }),
  },
  {
    kernelName: 'Selu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => {
        // tfjs's constants (selu_util.ts).
        const scale = 1.0507009873554805;
        const scaleAlpha = 1.7580993408473768;
        const x = f32((saved as Saved)[0]!);
        const m = above(x);
        const d = tf.add(
          tf.mul(m, scale),
          tf.mul(tf.sub(1, m), tf.mul(scaleAlpha, expNonPositive(x))),
        );
        return tf.mul(dy as tf.Tensor, d);
      },
    }),
  },
  {
    kernelName: 'LeakyRelu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => {
        const alpha = (attrs as Attrs).alpha as number;
        return tf.mul(
          dy as tf.Tensor,
          tf.add(alpha, tf.mul(1 - alpha, above((saved as Saved)[0]!))),
        );
      },
    }),
  },
  {
    kernelName: 'Relu6',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => {
        const x = f32((saved as Saved)[0]!);
        return tf.mul(dy as tf.Tensor, tf.mul(above(x), atLeast(tf.sub(6, x))));
      },
    }),
  },
  {
    kernelName: 'ClipByValue',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => {
        const { clipValueMin, clipValueMax } = attrs as {
          clipValueMin: number;
          clipValueMax: number;
        };
        const x = (saved as Saved)[0]!;
        const inside = tf.mul(atLeast(tf.sub(x, clipValueMin)), atLeast(tf.sub(clipValueMax, x)));
        return tf.mul(dy as tf.Tensor, inside);
      },
    }),
  },
  { kernelName: 'Max', inputsToSave: ['x'], gradFunc: extremeGrad('max') },
  { kernelName: 'Min', inputsToSave: ['x'], gradFunc: extremeGrad('min') },
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

/** The kernels {@link withSecondOrderGradients} redefines or adds a gradient for. */
export const SECOND_ORDER_GRADIENT_KERNELS: readonly string[] = overrides.map((o) => o.kernelName);

let depth = 0;
let restore: (() => void) | undefined;

/**
 * Runs `fn` with gradient definitions that stay exact when differentiated again
 * (see the table on `overrides`): tfjs's own gradients of exp, tanh, sigmoid,
 * softmax, elu, selu, leakyRelu, relu6 and clipByValue use saved outputs or
 * comparison ops, and conv-filter and pooling backward ops have no gradient.
 * They are registered with `tf.registerGradient` on entry and the previous
 * definitions are put back on exit, also when `fn` throws; nested calls share
 * one installation. `fn` must be synchronous (the tfjs gradient registry is
 * global). Nothing else in tfjs or the JS runtime is changed.
 */
export function withSecondOrderGradients<T>(fn: () => T): T {
  if (depth === 0) {
    const previous = overrides.map((o) => tf.getGradient(o.kernelName));
    for (const o of overrides) tf.registerGradient(o);
    restore = () => {
      overrides.forEach((o, i) => {
        const old = previous[i];
        if (old) tf.registerGradient(old);
        else tf.unregisterGradient(o.kernelName);
      });
    };
  }
  depth += 1;
  try {
    return fn();
  } finally {
    depth -= 1;
    if (depth === 0) {
      restore?.();
      restore = undefined;
    }
  }
}
