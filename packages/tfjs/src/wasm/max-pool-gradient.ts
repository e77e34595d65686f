/**
 * `MaxPoolGrad` for the wasm backend, replacing the kernel tfjs-backend-wasm 4.22
 * ships: that one drops part of the gradient (entries whose input was the window's
 * maximum come back as 0; the test beside this file shows it against the cpu
 * backend and a float64 oracle), so every convolutional model with max pooling
 * trains on wrong gradients there.
 *
 * @module
 */
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { MAX_POOL_GRAD_IS_RIGHT } from '../tfjs-internals.js';
import { type KernelCalls, sizeOf, WASM, withKernelCalls } from './kernel-calls.js';

/**
 * dx[p] = Σ_{windows w whose maximum is first reached at p} dy[w]: the gradient of a
 * 2-D max pool (NHWC), routed to the first position (row-major within the window)
 * that holds the window's maximum, as on the cpu backend.
 *
 * Built from stock wasm kernels, with nothing read back to JavaScript: the input is
 * padded with −∞ as the pool was; then for each of the `k_h·k_w` window offsets
 * (row-major), the strided slice of the input at that offset is compared with the
 * pooled output; where it is the maximum and no earlier offset was, `dy` is taken,
 * spread back to the input grid (a zero interleave by the stride, then a shift by
 * the offset) and added to `dx`. Overlapping windows that share a maximum add up.
 * (tfjs-backend-wasm's own `MaxPoolWithArgmax` is not used: it has the same fault.)
 *
 * Supported: float32 data, no dilation, `dimRoundingMode` unset (what tfjs-layers'
 * pooling layers and `tf.maxPool` without rounding produce).
 *
 * @throws Error for another dtype or a `dimRoundingMode`.
 */
export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  if (input.dtype !== 'float32') {
    throw new Error(`MaxPoolGrad on wasm supports float32 input, got ${input.dtype}`);
  }
  if (dimRoundingMode !== undefined && dimRoundingMode !== null) {
    throw new Error(
      `MaxPoolGrad on wasm does not support dimRoundingMode '${dimRoundingMode}'; ` +
        'use the cpu backend for pools with a rounding mode',
    );
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
  );
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight: oh,
    outWidth: ow,
  } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  if (sh === kh && sw === kw) {
    return withKernelCalls(backend, (calls) =>
      sizeOf(dy.shape) === 0
        ? calls.fill(input.shape, 0, 'float32')
        : tiledMaxPoolGrad(calls, input, dy, [n, h, w, c, oh, ow, kh, kw, top, left]),
    );
  }
  // The padded grid holds every window and the stride interleave of the output.
  const ph = Math.max(h + top, (oh - 1) * sh + kh, oh * sh + kh - 1);
  const pw = Math.max(w + left, (ow - 1) * sw + kw, ow * sw + kw - 1);
  return withKernelCalls(backend, (calls) => {
    if (sizeOf(dy.shape) === 0) return calls.fill(input.shape, 0, 'float32');
    const padded = calls.run(
      'PadV2',
      { x: input },
      {
        paddings: [
          [0, 0],
          [top, ph - h - top],
          [left, pw - w - left],
          [0, 0],
        ],
        constantValue: Number.NEGATIVE_INFINITY,
      },
    );
    const zeros = calls.fill(dy.shape, 0, 'float32');
    let taken: TensorInfo | undefined;
    let dx: TensorInfo | undefined;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const window = calls.run(
          'StridedSlice',
          { x: padded },
          {
            begin: [0, ky, kx, 0],
            end: [n, ky + (oh - 1) * sh + 1, kx + (ow - 1) * sw + 1, c],
            strides: [1, sh, sw, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          },
        );
        let first = calls.run('Equal', { a: window, b: output });
        if (taken !== undefined) {
          first = calls.run('LogicalAnd', { a: first, b: calls.run('LogicalNot', { x: taken }) });
          taken = calls.run('LogicalOr', { a: taken, b: first });
        } else {
          taken = first;
        }
        const routed = calls.run('Select', { condition: first, t: dy, e: zeros });
        const spread = calls.spreadByStride(routed, sh, sw);
        const placed = calls.padOrCrop(spread, [
          [0, 0],
          [ky, ph - ky - oh * sh],
          [kx, pw - kx - ow * sw],
          [0, 0],
        ]);
        dx = dx === undefined ? placed : calls.run('Add', { a: dx, b: placed });
      }
    }
    if (dx === undefined) throw new Error('MaxPoolGrad: an empty pooling window');
    return calls.padOrCrop(dx, [
      [0, 0],
      [-top, -(ph - h - top)],
      [-left, -(pw - w - left)],
      [0, 0],
    ]);
  });
};

/**
 * The same gradient when the windows tile the input (stride = window size, the
 * tfjs-layers default): each window is one row of a `[N·OH·OW·C, KH·KW]` view of the
 * −∞-padded input (one transpose), whose `ArgMax` (the first maximum, row-major, as on
 * cpu) is turned into a one-hot mask that selects `dy`; one transpose puts the rows
 * back on the input grid. Every step is one stock wasm kernel over the whole tensor
 * (about ten, against about ten per window cell for overlapping windows).
 *
 * @param geometry - `[n, h, w, c, oh, ow, kh, kw, top, left]` of the pool.
 */
function tiledMaxPoolGrad(
  calls: KernelCalls,
  input: TensorInfo,
  dy: TensorInfo,
  geometry: readonly [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ],
): TensorInfo {
  const [n, h, w, c, oh, ow, kh, kw, top, left] = geometry;
  const rows = n * oh * ow * c;
  const cells = kh * kw;
  // Rows and columns of the tiled grid [−top, OH·KH − top) against the input's [0, H).
  const after = [oh * kh - h - top, ow * kw - w - left] as const;
  const cropped = calls.padOrCrop(input, [
    [0, 0],
    [0, Math.min(after[0], 0)],
    [0, Math.min(after[1], 0)],
    [0, 0],
  ]);
  const grid =
    top > 0 || left > 0 || after[0] > 0 || after[1] > 0
      ? calls.run(
          'PadV2',
          { x: cropped },
          {
            paddings: [
              [0, 0],
              [top, Math.max(after[0], 0)],
              [left, Math.max(after[1], 0)],
              [0, 0],
            ],
            constantValue: Number.NEGATIVE_INFINITY,
          },
        )
      : cropped;
  const windows = calls.transpose(calls.view(grid, [n, oh, kh, ow, kw, c]), [0, 1, 3, 5, 2, 4]);
  const first = calls.run('ArgMax', { x: calls.view(windows, [rows, cells]) }, { axis: 1 });
  // (The wasm OneHot kernel writes int32 values whatever dtype it is asked for.)
  const hot = calls.run(
    'OneHot',
    { indices: first },
    { depth: cells, onValue: 1, offValue: 0, dtype: 'int32' },
  );
  // Cell-major [KH·KW, rows], where dy repeated per cell is a plain concatenation (a
  // broadcasting tile or multiply is a slow path on wasm); 0·∞ is never formed.
  const spread = calls.view(
    // The engine hands Concat its inputs as an array.
    calls.run(
      'Concat',
      Array(cells).fill(calls.view(dy, [rows])) as unknown as NamedTensorInfoMap,
      {
        axis: 0,
      },
    ),
    [cells, rows],
  );
  const selected = calls.run('Select', {
    condition: calls.run('Equal', {
      a: calls.transpose(hot, [1, 0]),
      b: calls.fill([], 1, 'int32'),
    }),
    t: spread,
    e: calls.run('ZerosLike', { x: spread }),
  });
  const routed = calls.transpose(selected, [1, 0]);
  const back = calls.transpose(calls.view(routed, [n, oh, ow, c, kh, kw]), [0, 1, 4, 2, 5, 3]);
  return calls.padOrCrop(calls.view(back, [n, oh * kh, ow * kw, c]), [
    [0, 0],
    [-top, -after[0]],
    [-left, -after[1]],
    [0, 0],
  ]);
}

/** The replacement `MaxPoolGrad` kernel for the wasm backend. */
export const maxPoolGradConfig: KernelConfig & { [MAX_POOL_GRAD_IS_RIGHT]: true } = {
  kernelName: MaxPoolGrad,
  backendName: WASM,
  kernelFunc: maxPoolGrad,
  [MAX_POOL_GRAD_IS_RIGHT]: true,
};
