import { seededRandom } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { addAll, sumAll, sumOfAll, sumOfSquares } from './reduce.js';

/** Seeded values in [-1, 1), so the float64 oracle sees the same numbers. */
function values(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

describe(`sumAll / sumOfSquares (${tf.getBackend()})`, () => {
  // Sizes below the two-stage threshold, not a multiple of 16, and two-stage ones.
  it.each([[[7]], [[4095]], [[4096]], [[784, 256]], [[4099, 3]], [[2, 16, 512]]])(
    'equals the float64 sum of a %j tensor within float32 rounding',
    (shape) => {
      const n = (shape as number[]).reduce((a, b) => a * b, 1);
      const data = values(n, n);
      const x = tf.tensor(data, shape as number[]);
      let sum = 0;
      let squares = 0;
      let abs = 0;
      for (const v of data) {
        sum += v;
        squares += v * v;
        abs += Math.abs(v);
      }
      const before = tf.memory().numTensors;
      const s = sumAll(x);
      const q = sumOfSquares(x);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(s.shape).toEqual([]);
      // float32 summation error is bounded by ~n·ε·Σ|x| (naive order); the bound is loose.
      expect(Math.abs(s.dataSync()[0]! - sum)).toBeLessThan(n * 2 ** -23 * abs + 1e-6);
      expect(Math.abs(q.dataSync()[0]! - squares)).toBeLessThan(n * 2 ** -23 * squares + 1e-6);
      tf.dispose([x, s, q]);
    },
  );

  it('propagates NaN and ±∞ from any entry (the non-finite guard relies on it)', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const at of [0, 4097, 784 * 256 - 1]) {
        const data = values(784 * 256, 3);
        data[at] = bad;
        const x = tf.tensor(data, [784, 256]);
        const s = sumAll(x);
        expect(Number.isFinite(s.dataSync()[0])).toBe(false);
        tf.dispose([x, s]);
      }
    }
  });
});

describe(`addAll (${tf.getBackend()})`, () => {
  it.each([1, 2, 7, 8, 13, 20])('%i tensors: bit for bit the sum tf.addN makes', (n) => {
    const terms = Array.from({ length: n }, (_, i) => tf.tensor1d(values(5, 100 + i)));
    const before = tf.memory().numTensors;
    const sum = addAll(terms);
    expect(tf.memory().numTensors).toBe(before + (n === 1 ? 0 : 1));
    const reference = tf.addN(terms);
    expect(Array.from(sum.dataSync())).toEqual(Array.from(reference.dataSync()));
    // And the float64 sum within float32 rounding.
    const exact = Array.from({ length: 5 }, (_, j) =>
      terms.reduce((s, t) => s + t.dataSync()[j]!, 0),
    );
    Array.from(sum.dataSync()).forEach((v, j) => {
      expect(Math.abs(v - exact[j]!)).toBeLessThan(1e-6 * n);
    });
    tf.dispose([...terms, reference, ...(n === 1 ? [] : [sum])]);
  });

  it('refuses an empty list', () => {
    expect(() => addAll([])).toThrow(RangeError);
  });
});

describe(`sumOfAll (${tf.getBackend()})`, () => {
  const shapes = [[], [3], [784, 256], [4099, 3], [1]];
  const make = () =>
    shapes.map((shape, i) => tf.tensor(values(tf.util.sizeFromShape(shape), 40 + i), shape));

  it('equals the float64 sum of every entry of every tensor, leaving one new tensor', () => {
    const xs = make();
    let sum = 0;
    let abs = 0;
    for (const x of xs) {
      for (const v of x.dataSync()) {
        sum += v;
        abs += Math.abs(v);
      }
    }
    const before = tf.memory().numTensors;
    const s = sumOfAll(xs);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(s.shape).toEqual([]);
    const n = xs.reduce((a, x) => a + x.size, 0);
    expect(Math.abs(s.dataSync()[0]! - sum)).toBeLessThan(n * 2 ** -23 * abs + 1e-6);
    tf.dispose([...xs, s]);
  });

  it('is not finite when any entry of any tensor is NaN or ±∞', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (let k = 0; k < shapes.length; k++) {
        const xs = make();
        const data = xs[k]!.dataSync().slice();
        data[data.length - 1] = bad;
        const spoiled = tf.tensor(data, xs[k]!.shape);
        const s = sumOfAll(xs.map((x, i) => (i === k ? spoiled : x)));
        expect(Number.isFinite(s.dataSync()[0])).toBe(false);
        tf.dispose([...xs, spoiled, s]);
      }
    }
  });
});
