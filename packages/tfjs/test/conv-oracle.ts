/**
 * Float64 oracles of the convolution gradients, written from the definitions and
 * independent of tfjs: NHWC, stride s, dilation d, padding top/left by TensorFlow's
 * rules ('valid': none; 'same': total max((O − 1)·s + (K − 1)·d + 1 − H, 0), the
 * smaller half on top; explicit amounts as given).
 *
 * @module
 */
import { addTerm, type Oracle, oracle } from './wasm-kernel-check.js';

/** Padding as the kernels take it. */
export type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

/** Output size and top/left padding along one axis. */
export function axis(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  pad: Pad,
  index: 1 | 2,
): { out: number; before: number } {
  const extent = (kernel - 1) * dilation + 1;
  if (pad === 'valid') return { out: Math.ceil((size - extent + 1) / stride), before: 0 };
  if (pad === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + extent - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const [before, after] = pad[index];
  return { out: Math.floor((size + before + after - extent) / stride) + 1, before };
}

/** Geometry of a 2-D convolution of x `[n, h, w, c]` with a `kh × kw` window. */
export interface Geometry {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

/** Output size and padding of a geometry. */
export function outputOf(g: Geometry) {
  const rows = axis(g.h, g.kh, g.strides[0], g.dilations[0], g.pad, 1);
  const cols = axis(g.w, g.kw, g.strides[1], g.dilations[1], g.pad, 2);
  return { oh: rows.out, ow: cols.out, top: rows.before, left: cols.before };
}

/**
 * Calls `visit(n, a, b, i, j, y, x)` for every output position (a, b) of example n,
 * window tap (i, j) and the input row y and column x it reads (inside the input only).
 */
function forEachTap(
  g: Geometry,
  visit: (n: number, a: number, b: number, i: number, j: number, y: number, x: number) => void,
): void {
  const { oh, ow, top, left } = outputOf(g);
  for (let n = 0; n < g.n; n++)
    for (let a = 0; a < oh; a++)
      for (let b = 0; b < ow; b++)
        for (let i = 0; i < g.kh; i++)
          for (let j = 0; j < g.kw; j++) {
            const y = a * g.strides[0] + i * g.dilations[0] - top;
            const x = b * g.strides[1] + j * g.dilations[1] - left;
            if (y >= 0 && y < g.h && x >= 0 && x < g.w) visit(n, a, b, i, j, y, x);
          }
}

/**
 * dW `[kh, kw, c, k]` of a convolution whose filter column `q` of input channel
 * `c` writes output channel `channelOf(c, q)` of `channels`.
 */
function filterGradient(
  g: Geometry,
  k: number,
  x: Float32Array,
  dy: Float32Array,
  channels: number,
  channelOf: (c: number, q: number) => number,
): Oracle {
  const { oh, ow } = outputOf(g);
  const out = oracle(g.kh * g.kw * g.c * k);
  forEachTap(g, (n, a, b, i, j, y, xx) => {
    for (let c = 0; c < g.c; c++)
      for (let q = 0; q < k; q++) {
        const xv = x[((n * g.h + y) * g.w + xx) * g.c + c] ?? Number.NaN;
        const dv = dy[((n * oh + a) * ow + b) * channels + channelOf(c, q)] ?? Number.NaN;
        addTerm(out, ((i * g.kw + j) * g.c + c) * k + q, xv * dv);
      }
  });
  return out;
}

/** dW `[kh, kw, c, o]` of a conv2d with `o` output channels (each sees every input channel). */
export function conv2dFilterGradient(
  g: Geometry,
  o: number,
  x: Float32Array,
  dy: Float32Array,
): Oracle {
  return filterGradient(g, o, x, dy, o, (_c, q) => q);
}

/** dW `[kh, kw, c, m]` of a depthwise conv with channel multiplier m (output channel `c·m + q`). */
export function depthwiseFilterGradient(
  g: Geometry,
  m: number,
  x: Float32Array,
  dy: Float32Array,
): Oracle {
  return filterGradient(g, m, x, dy, g.c * m, (c, q) => c * m + q);
}

/** dx `[n, h, w, c]` of a depthwise conv with filter `[kh, kw, c, m]`. */
export function depthwiseInputGradient(
  g: Geometry,
  m: number,
  filter: Float32Array,
  dy: Float32Array,
): Oracle {
  const { oh, ow } = outputOf(g);
  const out = oracle(g.n * g.h * g.w * g.c);
  forEachTap(g, (n, a, b, i, j, y, xx) => {
    for (let c = 0; c < g.c; c++)
      for (let k = 0; k < m; k++) {
        const fv = filter[((i * g.kw + j) * g.c + c) * m + k] ?? Number.NaN;
        const dv = dy[((n * oh + a) * ow + b) * g.c * m + c * m + k] ?? Number.NaN;
        addTerm(out, ((n * g.h + y) * g.w + xx) * g.c + c, fv * dv);
      }
  });
  return out;
}
