import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTerm,
  expectWithinRounding,
  type Oracle,
  onBackend,
  oracle,
  runKernel,
  values,
} from '../../test/wasm-kernel-check.js';
import { registerWasmTrainingKernels } from './training-kernels.js';

interface Pool {
  shape: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'valid' | 'same';
}

/**
 * Float64 oracle of the max-pool gradient (NHWC): each dy entry goes to the first
 * (row-major) position of its window's maximum; windows that share it add up.
 */
function maxPoolGradient(x: Float32Array, dy: Float32Array, p: Pool): Oracle {
  const [n, h, w, c] = p.shape;
  const out = (d: number) =>
    p.pad === 'valid' ? Math.floor((d - p.size) / p.stride) + 1 : Math.ceil(d / p.stride);
  const [oh, ow] = [out(h), out(w)];
  const padAlong = (o: number, d: number) => Math.max(0, (o - 1) * p.stride + p.size - d);
  const [top, left] = [Math.floor(padAlong(oh, h) / 2), Math.floor(padAlong(ow, w) / 2)];
  const result = oracle(x.length);
  const at = (b: number, y: number, xx: number, ch: number) => ((b * h + y) * w + xx) * c + ch;
  let k = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c; ch++, k++) {
          let best = -1;
          for (let ky = 0; ky < p.size; ky++)
            for (let kx = 0; kx < p.size; kx++) {
              const [y, xx] = [oy * p.stride - top + ky, ox * p.stride - left + kx];
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              const i = at(b, y, xx, ch);
              if (best < 0 || (x[i] ?? 0) > (x[best] ?? 0)) best = i;
            }
          addTerm(result, best, dy[k] ?? Number.NaN);
        }
  return result;
}

const cases: Pool[] = [
  { shape: [1, 4, 4, 1], size: 2, stride: 2, pad: 'valid' },
  { shape: [2, 6, 6, 3], size: 2, stride: 2, pad: 'valid' },
  // Overlapping windows (a shared maximum receives several dy entries), 'same' padding.
  { shape: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same' },
  { shape: [1, 5, 6, 4], size: 2, stride: 1, pad: 'valid' },
  { shape: [3, 5, 5, 2], size: 2, stride: 2, pad: 'same' },
  // Tiling windows (stride = size) with rows and columns no window reaches, and with
  // 'same' padding on both sides.
  { shape: [2, 5, 7, 2], size: 2, stride: 2, pad: 'valid' },
  { shape: [1, 7, 8, 3], size: 3, stride: 3, pad: 'same' },
];

/** Input and output gradient of a case, seeded. */
function data(p: Pool, ties: boolean) {
  const size = p.shape.reduce((a, b) => a * b, 1);
  // With ties, half the entries are 0 (a ReLU's output): windows with several maxima.
  const x = values(size, 11).map((v) => (ties ? Math.max(v, 0) : v));
  // The pooled output (a MaxPoolGrad input), from the forward kernel of the active backend.
  const pooled = tf.tidy(() => tf.maxPool(tf.tensor4d(x, p.shape), p.size, p.stride, p.pad));
  const y = pooled.dataSync() as Float32Array;
  const dyShape = pooled.shape;
  pooled.dispose();
  return { x, y, dy: values(y.length, 12), dyShape };
}

describe.runIf(process.env.FLOOD_BACKEND === 'wasm')('MaxPoolGrad on wasm', () => {
  it("tfjs-backend-wasm 4.22's own MaxPoolGrad drops gradient entries (why it is replaced)", async () => {
    const p = cases[0]!;
    const { x, y, dy, dyShape } = data(p, false);
    const stock = await onBackend('wasm', () =>
      runKernel(
        'MaxPoolGrad',
        {
          dy: { data: dy, shape: dyShape },
          input: { data: x, shape: p.shape },
          output: { data: y, shape: dyShape },
        },
        { filterSize: p.size, strides: p.stride, pad: p.pad },
      ),
    );
    const exact = maxPoolGradient(x, dy, p).value;
    const worst = Math.max(...Array.from(exact, (e, i) => Math.abs(e - (stock.data[i] ?? 0))));
    expect(worst).toBeGreaterThan(0.1);
  });

  describe('with the replacement registered', () => {
    let undo: () => void = () => undefined;
    beforeAll(() => {
      undo = registerWasmTrainingKernels();
    });
    afterAll(() => undo());

    for (const p of cases) {
      for (const ties of [false, true]) {
        it(`x [${p.shape}], pool ${p.size} stride ${p.stride} ${p.pad}${ties ? ', ReLU ties' : ''}: equals float64 and cpu`, async () => {
          const { x, y, dy, dyShape } = data(p, ties);
          const inputs = {
            dy: { data: dy, shape: dyShape },
            input: { data: x, shape: p.shape },
            output: { data: y, shape: dyShape },
          };
          const attrs = { filterSize: p.size, strides: p.stride, pad: p.pad };
          const exact = maxPoolGradient(x, dy, p);
          const wasm = await onBackend('wasm', () => runKernel('MaxPoolGrad', inputs, attrs));
          expect(wasm.shape).toEqual(p.shape);
          expectWithinRounding(wasm.data, exact);
          const cpu = await onBackend('cpu', () => runKernel('MaxPoolGrad', inputs, attrs));
          expectWithinRounding(cpu.data, exact);
        });
      }
    }

    it('is what the gradient of a conv → maxPool stack (no ReLU: negative windows) uses on wasm, equal to cpu', async () => {
      const xv = values(2 * 6 * 6 * 3, 5);
      const fv = values(3 * 3 * 3 * 4, 6);
      const wv = values(2 * 3 * 3 * 4, 7);
      const grad = (backend: string) =>
        onBackend(backend, () =>
          tf.tidy(() => {
            const filter = tf.tensor4d(fv, [3, 3, 3, 4]);
            const f = (x: tf.Tensor) =>
              tf.sum(
                tf.mul(
                  tf.maxPool(tf.conv2d(x as tf.Tensor4D, filter, 1, 'same'), 2, 2, 'valid'),
                  tf.tensor4d(wv, [2, 3, 3, 4]),
                ),
              );
            return Array.from(
              tf
                .grad(f)(tf.tensor4d(xv, [2, 6, 6, 3]))
                .dataSync(),
            );
          }),
        );
      const [onWasm, onCpu] = [await grad('wasm'), await grad('cpu')];
      const scale = Math.max(...onCpu.map(Math.abs));
      for (const [i, v] of onWasm.entries())
        expect(Math.abs(v - (onCpu[i] ?? 0))).toBeLessThan(1e-5 * scale);
    });
  });
});
