import { describe, expect, it } from 'vitest';
import { classCounts } from './dataset.js';
import { fashionSize, loadFashion, splitClass } from './fashion.js';

describe('splitClass', () => {
  it('keeps the first images for training and the rest for testing, as bytes', () => {
    const img = (v: number) => new Array(784).fill(v);
    const { train, test } = splitClass([img(1), [], img(2), img(255)], 2);
    expect(train.length).toBe(2 * 784);
    expect(test.length).toBe(784);
    expect(train[783]).toBe(1);
    expect(train[784]).toBe(2);
    expect(test[0]).toBe(255);
    expect(() => splitClass([[1, 2]], 1)).toThrow(/784 pixels/);
  });
});

describe('loadFashion (the fashion-mnist package)', () => {
  it('has 60 000 training images, 6 000 per class, and a 10 000-image test pool', () => {
    expect(fashionSize('train')).toBe(60_000);
    expect(fashionSize('test')).toBe(10_000);
    const rows = Array.from({ length: 100 }, (_, i) => i * 600);
    const d = loadFashion('train', rows);
    expect(d.n).toBe(100);
    expect(classCounts(d)).toEqual(new Array(10).fill(10));
    expect(Math.max(...d.x)).toBeLessThanOrEqual(1);
    expect(Math.max(...d.x)).toBeGreaterThan(0.9);
    expect(() => loadFashion('test', [10_000])).toThrow(/rows/);
    // Parsing the package's 150 MB of JSON takes seconds, minutes on a loaded machine.
  }, 300_000);
});
