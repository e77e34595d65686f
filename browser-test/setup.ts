/**
 * Setup of the browser suite: registers the cpu (reference), webgl and webgpu
 * backends and activates the one this Vitest project tests (`provide.backend`).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The tfjs backend under test: `webgl` or `webgpu`. */
    backend: string;
  }
}

const backend = inject('backend');
// PROD silences tfjs's one-time warnings; the tests count live tensors themselves.
tf.env().set('PROD', true);
if (!(await tf.setBackend(backend))) throw new Error(`could not initialise the ${backend} backend`);
await tf.ready();
