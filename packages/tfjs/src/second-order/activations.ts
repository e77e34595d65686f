/**
 * Gradients of activations and reductions that tfjs can differentiate again
 * (used by `withSecondOrderGradients`).
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
 */
export const ACTIVATION_GRADIENTS: readonly tf.GradConfig[] = [
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
];
