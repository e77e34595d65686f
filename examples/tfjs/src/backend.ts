/**
 * Backend set-up for the demo in Node: wasm by default (single-threaded SIMD,
 * several times faster than the pure-JS cpu backend for dense layers), cpu as
 * the fallback, with a printed note when the fallback is taken.
 */
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

/** The backend in use, and why when it is not the one asked for. */
export interface BackendChoice {
  /** Name of the active tfjs backend. */
  readonly name: string;
  /** Set when the preferred backend failed and cpu was used instead. */
  readonly note?: string;
  /** Whether `@flood/tfjs/wasm`'s `enableFastWasmTraining()` is on (wasm only). */
  readonly fastWasm: boolean;
}

/**
 * Activates `preferred` (falling back to cpu when it cannot start). On wasm it
 * also turns on `enableFastWasmTraining()` from `@flood/tfjs/wasm` (dense-layer
 * back-propagation on XNNPACK's fast path) unless `fastWasm` is false.
 */
export async function setupBackend(
  preferred: 'wasm' | 'cpu',
  fastWasm = true,
): Promise<BackendChoice> {
  let note: string | undefined;
  try {
    if (!(await tf.setBackend(preferred)))
      throw new Error(`setBackend('${preferred}') returned false`);
    await tf.ready();
  } catch (error) {
    note = `the ${preferred} backend failed (${error instanceof Error ? error.message : String(error)}); using cpu, which is several times slower`;
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const name = tf.getBackend();
  const fast = fastWasm && name === 'wasm';
  if (fast) enableFastWasmTraining();
  return { name, fastWasm: fast, ...(note === undefined ? {} : { note }) };
}
