import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { classCounts, type Dataset, select, subsample, trainValidationSplit } from './dataset.js';

/** Ten examples whose single feature equals their index and label is index mod 3. */
function toy(): Dataset {
  const n = 10;
  return {
    x: Float32Array.from({ length: n }, (_, i) => i),
    y: Int32Array.from({ length: n }, (_, i) => i % 3),
    n,
    features: 1,
    classes: 3,
  };
}

describe('select', () => {
  it('copies the rows in the given order, features and labels together', () => {
    const s = select(toy(), [4, 0, 9]);
    expect(Array.from(s.x)).toEqual([4, 0, 9]);
    expect(Array.from(s.y)).toEqual([1, 0, 0]);
    expect(s.n).toBe(3);
  });

  it('rejects an index out of range', () => {
    expect(() => select(toy(), [10])).toThrow(/index must be in \[0, 10\)/);
  });
});

describe('subsample', () => {
  it('draws distinct examples, reproducibly from the seed', () => {
    const a = subsample(toy(), 6, mulberry32(5));
    const b = subsample(toy(), 6, mulberry32(5));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(new Set(a.x).size).toBe(6);
    expect(Array.from(a.y)).toEqual(Array.from(a.x, (v) => v % 3));
  });

  it('rejects a count outside [1, n]', () => {
    expect(() => subsample(toy(), 11, mulberry32(1))).toThrow(RangeError);
    expect(() => subsample(toy(), 0, mulberry32(1))).toThrow(RangeError);
  });
});

describe('trainValidationSplit', () => {
  it('splits 80:20 into disjoint parts that cover the data', () => {
    const { train, validation } = trainValidationSplit(toy(), 0.8, mulberry32(2));
    expect(train.n).toBe(8);
    expect(validation.n).toBe(2);
    const all = [...train.x, ...validation.x].sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects fractions outside (0, 1) and empty parts', () => {
    expect(() => trainValidationSplit(toy(), 1, mulberry32(1))).toThrow(/trainFraction/);
    expect(() => trainValidationSplit(toy(), 0.01, mulberry32(1))).toThrow(/empty part/);
  });
});

describe('classCounts', () => {
  it('counts labels per class', () => {
    expect(classCounts(toy())).toEqual([4, 3, 3]);
  });
});
