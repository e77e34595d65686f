/**
 * `tf.variableGrads` that cleans up after a throwing loss, and makes sure
 * tfjs's gradient functions are registered. `@tensorflow/tfjs-core`'s
 * Node bundle registers none (`@tensorflow/tfjs` and `@tensorflow/tfjs-layers`
 * do, as a side effect of being imported), and every optimizer here needs
 * `tf.variableGrads`; importing tfjs-layers is the portable way to get them in
 * Node and in bundlers. It imports no backend.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { releaseAbandonedTape } from './tfjs-internals.js';

/**
 * `tf.variableGrads`, but when `loss` throws, frees the tensors the engine had
 * saved for backprop (tfjs only frees them after a completed backward pass, so a
 * throwing loss would leak them).
 */
export function variableGradsOrCleanUp(loss: () => tf.Scalar, vars: tf.Variable[]) {
  try {
    return tf.variableGrads(loss, vars);
  } catch (error) {
    releaseAbandonedTape();
    throw error;
  }
}
