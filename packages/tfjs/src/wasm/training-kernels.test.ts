import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { enableFastWasmTraining, isFastWasmTrainingEnabled } from './fast-training.js';
import {
  areWasmTrainingKernelsRegistered,
  registerWasmTrainingKernels,
  WASM_REPLACED_KERNELS,
  WASM_TRAINING_KERNELS,
} from './training-kernels.js';

const registered = () => WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm') !== undefined);

describe('registerWasmTrainingKernels', () => {
  it('names the four kernels tfjs-backend-wasm 4.22 lacks, which it indeed lacks', () => {
    expect([...WASM_TRAINING_KERNELS].sort()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]);
    expect(areWasmTrainingKernelsRegistered()).toBe(false);
    expect(registered()).toEqual([false, false, false, false]);
    // The cpu backend has all four: they are what the wasm ones are compared against.
    expect(WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'cpu') !== undefined)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('registers them for wasm only; the last undo of several calls unregisters them', () => {
    const first = registerWasmTrainingKernels();
    expect(registered()).toEqual([true, true, true, true]);
    const kernels = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm'));
    const second = registerWasmTrainingKernels();
    expect(WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm'))).toEqual(kernels);
    first();
    first();
    expect(areWasmTrainingKernelsRegistered()).toBe(true);
    expect(registered()).toEqual([true, true, true, true]);
    second();
    expect(areWasmTrainingKernelsRegistered()).toBe(false);
    expect(registered()).toEqual([false, false, false, false]);
  });

  it('leaves a kernel that someone else registered alone, and does not remove it', () => {
    const own = { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: () => [] };
    tf.registerKernel(own);
    try {
      const undo = registerWasmTrainingKernels();
      expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(own);
      undo();
      expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(own);
      expect(registered()).toEqual([false, false, false, true]);
    } finally {
      tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
    }
  });

  it('comes with enableFastWasmTraining, and goes with its undo', () => {
    const undo = enableFastWasmTraining();
    expect(isFastWasmTrainingEnabled()).toBe(true);
    expect(registered()).toEqual([true, true, true, true]);
    const alone = registerWasmTrainingKernels();
    undo();
    expect(isFastWasmTrainingEnabled()).toBe(false);
    expect(registered()).toEqual([true, true, true, true]);
    alone();
    expect(registered()).toEqual([false, false, false, false]);
  });

  it('replaces the faulty stock MaxPoolGrad while held, and puts it back after the last undo', () => {
    expect([...WASM_REPLACED_KERNELS]).toEqual(['MaxPoolGrad', 'Select']);
    const stock = tf.getKernel('MaxPoolGrad', 'wasm');
    expect(stock).toBeDefined();
    const first = registerWasmTrainingKernels();
    const second = registerWasmTrainingKernels();
    const replacement = tf.getKernel('MaxPoolGrad', 'wasm');
    expect(replacement).not.toBe(stock);
    first();
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(replacement);
    second();
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(stock);
  });
});
