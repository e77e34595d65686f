/**
 * Vitest setup for projects that use TensorFlow.js: selects the backend named by
 * `FLOOD_BACKEND` (`cpu` or `wasm`; default `cpu`) before any test runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

const backend = process.env.FLOOD_BACKEND ?? 'cpu';
if (backend !== 'cpu' && backend !== 'wasm') {
  throw new RangeError(`FLOOD_BACKEND must be 'cpu' or 'wasm', got '${backend}'`);
}
// Silence the one-time "use tfjs-node" banner of the cpu backend: PROD only turns
// off tfjs's warn/log. (Not IS_TEST, which would also turn on tfjs's per-kernel
// leak check, which reports false leaks for customGrad and wasm's fused matMul
// under a gradient tape; the tests count live tensors themselves.)
tf.env().set('PROD', true);
const ok = await tf.setBackend(backend);
if (!ok) throw new Error(`could not initialise the tfjs '${backend}' backend`);
await tf.ready();
