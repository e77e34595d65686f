import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  depthwiseFilterGradient,
  depthwiseInputGradient,
  type Geometry,
  outputOf,
} from '../../test/conv-oracle.js';
import {
  expectWithinRounding,
  onBackend,
  runKernel,
  values,
} from '../../test/wasm-kernel-check.js';
import { registerWasmTrainingKernels } from './training-kernels.js';

/** Geometry and channel multiplier m. */
const cases: (Geometry & { m: number })[] = [
  { n: 2, h: 7, w: 7, c: 3, kh: 3, kw: 3, m: 1, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { n: 2, h: 8, w: 8, c: 2, kh: 3, kw: 3, m: 2, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { n: 1, h: 9, w: 9, c: 2, kh: 3, kw: 3, m: 3, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { n: 2, h: 6, w: 7, c: 3, kh: 2, kw: 3, m: 2, strides: [2, 1], dilations: [1, 1], pad: 'same' },
  { n: 1, h: 9, w: 8, c: 2, kh: 2, kw: 4, m: 1, strides: [3, 2], dilations: [1, 1], pad: 'valid' },
  {
    n: 2,
    h: 7,
    w: 6,
    c: 2,
    kh: 3,
    kw: 2,
    m: 2,
    strides: [2, 2],
    dilations: [1, 1],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
];

const label = (c: (typeof cases)[number]) =>
  `x [${c.n},${c.h},${c.w},${c.c}], ${c.kh}×${c.kw}×${c.m}, strides ${c.strides}, dilations ${c.dilations}, pad ${JSON.stringify(c.pad)}`;

describe.runIf(process.env.FLOOD_BACKEND === 'wasm')('depthwise conv gradients on wasm', () => {
  let undo: () => void = () => undefined;
  beforeAll(() => {
    undo = registerWasmTrainingKernels();
  });
  afterAll(() => undo());

  for (const c of cases) {
    const { oh, ow } = outputOf(c);
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad };
    const dy = values(c.n * oh * ow * c.c * c.m, 2);
    const dyInput = { data: dy, shape: [c.n, oh, ow, c.c * c.m] };

    it(`DepthwiseConv2dNativeBackpropFilter, ${label(c)}: equals float64 and cpu up to float32 rounding`, async () => {
      const x = values(c.n * c.h * c.w * c.c, 1);
      const inputs = { x: { data: x, shape: [c.n, c.h, c.w, c.c] }, dy: dyInput };
      const kernelAttrs = { ...attrs, filterShape: [c.kh, c.kw, c.c, c.m] };
      const kernel = 'DepthwiseConv2dNativeBackpropFilter';
      const wasm = await onBackend('wasm', () => runKernel(kernel, inputs, kernelAttrs));
      const cpu = await onBackend('cpu', () => runKernel(kernel, inputs, kernelAttrs));
      expect(wasm.shape).toEqual([c.kh, c.kw, c.c, c.m]);
      const exact = depthwiseFilterGradient(c, c.m, x, dy);
      expectWithinRounding(cpu.data, exact);
      expectWithinRounding(wasm.data, exact);
    });

    it(`DepthwiseConv2dNativeBackpropInput, ${label(c)}: equals float64 and cpu up to float32 rounding`, async () => {
      const filter = values(c.kh * c.kw * c.c * c.m, 3);
      const inputs = { dy: dyInput, filter: { data: filter, shape: [c.kh, c.kw, c.c, c.m] } };
      const kernelAttrs = { ...attrs, inputShape: [c.n, c.h, c.w, c.c] };
      const kernel = 'DepthwiseConv2dNativeBackpropInput';
      const wasm = await onBackend('wasm', () => runKernel(kernel, inputs, kernelAttrs));
      const cpu = await onBackend('cpu', () => runKernel(kernel, inputs, kernelAttrs));
      expect(wasm.shape).toEqual([c.n, c.h, c.w, c.c]);
      const exact = depthwiseInputGradient(c, c.m, filter, dy);
      expectWithinRounding(cpu.data, exact);
      expectWithinRounding(wasm.data, exact);
    });
  }

  it('refuse dilations above 1, naming them', async () => {
    await onBackend('wasm', () => {
      const x = tf.zeros([1, 9, 9, 2]);
      const dy = tf.zeros([1, 9, 9, 2]);
      const filter = tf.zeros([3, 3, 2, 1]);
      const attrs = { strides: [1, 1], dilations: [2, 2], pad: 'same' };
      expect(() =>
        tf.engine().runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          {
            ...attrs,
            filterShape: [3, 3, 2, 1],
          },
        ),
      ).toThrow(/dilations 1 only, got \[2, 2\]/);
      expect(() =>
        tf.engine().runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter },
          {
            ...attrs,
            inputShape: [1, 9, 9, 2],
          },
        ),
      ).toThrow(/dilations 1 only, got \[2, 2\]/);
      tf.dispose([x, dy, filter]);
    });
  });

  it('are what tf.grads of tf.depthwiseConv2d uses on wasm', async () => {
    const x = values(2 * 6 * 6 * 2, 4);
    const w = values(3 * 3 * 2 * 2, 5);
    const grads = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(() => {
          const f = (input: tf.Tensor, filter: tf.Tensor) =>
            tf.sum(
              tf.square(tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 2, 'same')),
            );
          const [dx, dw] = tf.grads(f)([
            tf.tensor4d(x, [2, 6, 6, 2]),
            tf.tensor4d(w, [3, 3, 2, 2]),
          ]);
          return [dx?.dataSync(), dw?.dataSync()];
        }),
      );
    const [onWasm, onCpu] = [await grads('wasm'), await grads('cpu')];
    for (const [k, reference] of onCpu.entries()) {
      const scale = Math.max(...Array.from(reference ?? [], Math.abs));
      for (const [i, v] of (onWasm[k] ?? []).entries()) {
        expect(Math.abs(v - (reference?.[i] ?? Number.NaN))).toBeLessThan(1e-5 * scale);
      }
    }
  });
});
