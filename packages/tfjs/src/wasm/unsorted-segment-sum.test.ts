import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTerm,
  expectWithinRounding,
  onBackend,
  oracle,
  runKernel,
  values,
} from '../../test/wasm-kernel-check.js';
import { registerWasmTrainingKernels } from './training-kernels.js';

/** Segment ids of `shape`, seeded, in [low, high). */
function ids(size: number, low: number, high: number, seed: number): Int32Array {
  return Int32Array.from(values(size, seed), (v) => low + Math.floor(((v + 1) / 2) * (high - low)));
}

/** Float64 oracle: out[k, j] = Σ_{i: id[i] = k} x[i, j], ids outside [0, segments) dropped. */
function segmentSums(x: Float32Array, id: Int32Array, segments: number) {
  const width = x.length / id.length;
  const out = oracle(segments * width);
  for (const [i, k] of id.entries()) {
    if (k < 0 || k >= segments) continue;
    for (let j = 0; j < width; j++) addTerm(out, k * width + j, x[i * width + j] ?? Number.NaN);
  }
  return out;
}

const cases: { xShape: number[]; idRank: number; segments: number; low: number; high: number }[] = [
  { xShape: [12, 4], idRank: 1, segments: 5, low: 0, high: 5 },
  // Ids of rank 2 (the wasm kernel flattens the leading dimensions; checked on wasm only).
  { xShape: [3, 4, 2], idRank: 2, segments: 6, low: 0, high: 6 },
  // An embedding gradient: batch 8 × sequence 5 ids into a vocabulary of 30, width 3.
  { xShape: [40, 3], idRank: 1, segments: 30, low: 0, high: 30 },
  // Ids outside [0, segments) are dropped (the cpu kernel drops them too).
  { xShape: [20, 3], idRank: 1, segments: 4, low: -3, high: 7 },
  { xShape: [7], idRank: 1, segments: 3, low: 0, high: 3 },
];

describe.runIf(process.env.FLOOD_BACKEND === 'wasm')('UnsortedSegmentSum on wasm', () => {
  let undo: () => void = () => undefined;
  beforeAll(() => {
    undo = registerWasmTrainingKernels();
  });
  afterAll(() => undo());

  for (const c of cases) {
    it(`x [${c.xShape}], ids in [${c.low}, ${c.high}) of rank ${c.idRank}, ${c.segments} segments: equals float64 and cpu up to float32 rounding`, async () => {
      const size = c.xShape.reduce((p, d) => p * d, 1);
      const idShape = c.xShape.slice(0, c.idRank);
      const x = values(size, 1);
      const id = ids(
        idShape.reduce((p, d) => p * d, 1),
        c.low,
        c.high,
        2,
      );
      const inputs = {
        x: { data: x, shape: c.xShape },
        segmentIds: { data: id, shape: idShape, dtype: 'int32' as const },
      };
      const attrs = { numSegments: c.segments };
      const wasm = await onBackend('wasm', () => runKernel('UnsortedSegmentSum', inputs, attrs));
      expect(wasm.shape).toEqual([c.segments, ...c.xShape.slice(c.idRank)]);
      const exact = segmentSums(x, id, c.segments);
      expectWithinRounding(wasm.data, exact);
      // tf.unsortedSegmentSum documents 1-D ids; the cpu kernel fails on others.
      if (c.idRank === 1) {
        const cpu = await onBackend('cpu', () => runKernel('UnsortedSegmentSum', inputs, attrs));
        expectWithinRounding(cpu.data, exact);
      }
    });
  }

  it('sums int32 data exactly, repeated ids included', async () => {
    const inputs = {
      x: { data: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2], dtype: 'int32' as const },
      segmentIds: { data: Int32Array.from([1, 1, 0]), shape: [3], dtype: 'int32' as const },
    };
    const out = await onBackend('wasm', () =>
      runKernel('UnsortedSegmentSum', inputs, { numSegments: 3 }),
    );
    expect(Array.from(out.data)).toEqual([5, 6, 4, 6, 0, 0]);
  });

  it('is what the gradient of tf.gather uses on wasm (an embedding lookup)', async () => {
    const table = values(10 * 3, 3);
    const lookups = Int32Array.from([1, 4, 4, 9, 0, 1, 1]);
    const weights = values(7 * 3, 4);
    const grad = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(() => {
          const f = (t: tf.Tensor) =>
            tf.sum(
              tf.mul(tf.gather(t, tf.tensor1d(lookups, 'int32')), tf.tensor2d(weights, [7, 3])),
            );
          return tf
            .grad(f)(tf.tensor2d(table, [10, 3]))
            .dataSync();
        }),
      );
    const [onWasm, onCpu] = [await grad('wasm'), await grad('cpu')];
    const exact = segmentSums(weights, lookups, 10);
    expectWithinRounding(onWasm, exact);
    expectWithinRounding(onCpu, exact);
  });
});
