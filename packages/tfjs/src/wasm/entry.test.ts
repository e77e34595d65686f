import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

/** Every registered kernel of the backends this project runs on, by identity. */
const registry = () =>
  ['cpu', 'wasm'].flatMap((backend) =>
    tf.getKernelsForBackend(backend).map((k) => `${backend}/${k.kernelName}`),
  );

describe('entry points', () => {
  it('importing @flood/tfjs registers or replaces no kernel, and does not carry the wasm module', async () => {
    const before = registry().map((k) => [k, tf.getKernel(k.split('/')[1]!, k.split('/')[0]!)]);
    const main = await import('@flood/tfjs');
    expect(registry().map((k) => [k, tf.getKernel(k.split('/')[1]!, k.split('/')[0]!)])).toEqual(
      before,
    );
    expect(Object.keys(main)).not.toContain('enableFastWasmTraining');
    expect(Object.keys(main)).not.toContain('registerWasmTrainingKernels');
    expect(Object.keys(main)).not.toContain('reusingOperands');
  });

  it('@flood/tfjs/wasm exports the wasm training functions and registers nothing on import', async () => {
    const before = registry();
    const wasm = await import('@flood/tfjs/wasm');
    expect(registry()).toEqual(before);
    expect(Object.keys(wasm).sort()).toEqual([
      'WASM_TRAINING_KERNELS',
      'areWasmTrainingKernelsRegistered',
      'enableFastWasmTraining',
      'isFastWasmTrainingEnabled',
      'registerWasmTrainingKernels',
      'reusingOperands',
    ]);
  });
});
