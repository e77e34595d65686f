import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2dFilterGradient, type Geometry, outputOf } from '../../test/conv-oracle.js';
import {
  expectWithinRounding,
  onBackend,
  runKernel,
  values,
} from '../../test/wasm-kernel-check.js';
import { registerWasmTrainingKernels } from './training-kernels.js';

/** Geometry and output channels; dilation is always 1 for this kernel. */
const cases: (Omit<Geometry, 'dilations'> & { o: number })[] = [
  { n: 2, h: 7, w: 7, c: 3, kh: 3, kw: 3, o: 4, strides: [1, 1], pad: 'valid' },
  { n: 2, h: 8, w: 8, c: 2, kh: 3, kw: 3, o: 3, strides: [2, 2], pad: 'same' },
  // Stride 2 and 3 with rows and columns that no window reaches (cropped).
  { n: 1, h: 9, w: 8, c: 2, kh: 2, kw: 4, o: 2, strides: [2, 3], pad: 'valid' },
  { n: 3, h: 6, w: 5, c: 1, kh: 5, kw: 5, o: 2, strides: [1, 1], pad: 'same' },
  {
    n: 2,
    h: 9,
    w: 7,
    c: 2,
    kh: 2,
    kw: 3,
    o: 3,
    strides: [2, 2],
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  // The tfjs-examples MNIST convnet's first layer, at batch 4.
  { n: 4, h: 28, w: 28, c: 1, kh: 5, kw: 5, o: 8, strides: [1, 1], pad: 'valid' },
];

describe.runIf(process.env.FLOOD_BACKEND === 'wasm')('Conv2DBackpropFilter on wasm', () => {
  let undo: () => void = () => undefined;
  beforeAll(() => {
    undo = registerWasmTrainingKernels();
  });
  afterAll(() => undo());

  for (const c of cases) {
    it(`x [${c.n},${c.h},${c.w},${c.c}], ${c.kh}×${c.kw}→${c.o}, strides ${c.strides}, pad ${JSON.stringify(c.pad)}: equals float64 and cpu up to float32 rounding`, async () => {
      const g: Geometry = { ...c, dilations: [1, 1] };
      const { oh, ow } = outputOf(g);
      const x = values(c.n * c.h * c.w * c.c, 1);
      const dy = values(c.n * oh * ow * c.o, 2);
      const inputs = {
        x: { data: x, shape: [c.n, c.h, c.w, c.c] },
        dy: { data: dy, shape: [c.n, oh, ow, c.o] },
      };
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: [c.kh, c.kw, c.c, c.o],
      };
      const wasm = await onBackend('wasm', () => runKernel('Conv2DBackpropFilter', inputs, attrs));
      const cpu = await onBackend('cpu', () => runKernel('Conv2DBackpropFilter', inputs, attrs));
      expect(wasm.shape).toEqual([c.kh, c.kw, c.c, c.o]);
      const exact = conv2dFilterGradient(g, c.o, x, dy);
      expectWithinRounding(wasm.data, exact);
      expectWithinRounding(cpu.data, exact);
    });
  }

  it('is what tf.grads of tf.conv2d uses on wasm', async () => {
    const x = values(2 * 6 * 6 * 2, 3);
    const w = values(3 * 3 * 2 * 3, 4);
    const grad = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(() => {
          const f = (filter: tf.Tensor) =>
            tf.sum(
              tf.square(tf.conv2d(tf.tensor4d(x, [2, 6, 6, 2]), filter as tf.Tensor4D, 2, 'same')),
            );
          return tf
            .grad(f)(tf.tensor4d(w, [3, 3, 2, 3]))
            .dataSync();
        }),
      );
    const [onWasm, onCpu] = [await grad('wasm'), await grad('cpu')];
    const scale = Math.max(...Array.from(onCpu, Math.abs));
    for (const [i, v] of onWasm.entries())
      expect(Math.abs(v - (onCpu[i] ?? Number.NaN))).toBeLessThan(1e-5 * scale);
  });

  it('refuses NCHW data, naming the format', async () => {
    await onBackend('wasm', () => {
      const x = tf.zeros([1, 2, 5, 5]);
      const dy = tf.zeros([1, 2, 3, 3]);
      expect(() =>
        tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          {
            strides: [1, 1],
            pad: 'valid',
            dataFormat: 'NCHW',
            filterShape: [3, 3, 2, 2],
          },
        ),
      ).toThrow(/dataFormat 'NHWC' only, got 'NCHW'/);
      tf.dispose([x, dy]);
    });
  });
});
