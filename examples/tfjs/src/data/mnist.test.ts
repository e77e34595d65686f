import { describe, expect, it } from 'vitest';
import { loadMnist, mnistSize, parseIdx } from './mnist.js';

describe('parseIdx', () => {
  it('decodes a hand-built 2×3 unsigned-byte file', () => {
    const bytes = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
    const idx = parseIdx(bytes);
    expect(idx.shape).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('rejects a wrong magic, a wrong type and a truncated payload', () => {
    expect(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 7]))).toThrow(/magic/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 9, 1, 0, 0, 0, 1, 7]))).toThrow(/0x08/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7]))).toThrow(/payload/);
  });
});

describe('loadMnist', () => {
  it('reads the first training images with the published first labels', () => {
    const d = loadMnist('train', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(d.n).toBe(10);
    expect(d.features).toBe(784);
    expect(d.x.length).toBe(7840);
    // The first ten labels of the MNIST training file, as published with the data set.
    expect(Array.from(d.y)).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Math.min(...d.x)).toBe(0);
    expect(Math.max(...d.x)).toBe(1);
  });

  it('reads the test file (first labels 7 2 1 0 4)', () => {
    const d = loadMnist('test', [0, 1, 2, 3, 4]);
    expect(Array.from(d.y)).toEqual([7, 2, 1, 0, 4]);
    // A digit covers roughly 10–25 % of the 28×28 pixels.
    const ink = d.x.subarray(0, 784).filter((v) => v > 0.5).length / 784;
    expect(ink).toBeGreaterThan(0.05);
    expect(ink).toBeLessThan(0.3);
  });

  it('picks the requested rows in order', () => {
    const d = loadMnist('test', [4, 0]);
    expect(Array.from(d.y)).toEqual([4, 7]);
    expect(Array.from(d.x.subarray(784))).toEqual(Array.from(loadMnist('test', [0]).x));
  });

  it('knows the part sizes and rejects rows beyond the file', () => {
    expect(mnistSize('train')).toBe(60_000);
    expect(mnistSize('test')).toBe(10_000);
    expect(() => loadMnist('test', [10_000])).toThrow(/rows must hold integers in \[0, 10000\)/);
  });
});
