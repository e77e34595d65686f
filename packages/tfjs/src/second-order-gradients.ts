/**
 * Gradient definitions that tfjs can differentiate again, installed only while
 * an exact curvature product runs.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_GRADIENTS } from './second-order/activations.js';
import { BACKWARD_OP_GRADIENTS } from './second-order/backward-ops.js';

/** Every replacement (see the tables on the two lists). */
const overrides: readonly tf.GradConfig[] = [...ACTIVATION_GRADIENTS, ...BACKWARD_OP_GRADIENTS];

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
