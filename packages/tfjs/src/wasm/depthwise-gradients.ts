/**
 * The two gradients of a depthwise 2-D convolution for the wasm backend, which
 * tfjs-backend-wasm 4.22 lacks: `DepthwiseConv2dNativeBackpropFilter` and
 * `DepthwiseConv2dNativeBackpropInput`, each as one XNNPACK depthwise convolution.
 *
 * Notation: `y = depthwiseConv2d(x, W)` with x `[N, H, W, C]`, W `[KH, KW, C, M]`
 * (M = channel multiplier), y `[N, OH, OW, C·M]`, stride s, and x̃ = x padded by the
 * padding's top/left amounts:
 *
 *   y[n, a, b, c·M + m] = Σ_{i, j} x̃[n, a·s + i, b·s + j, c] · W[i, j, c, m].
 *
 * Supported: what `tf.depthwiseConv2d`'s gradient asks for: NHWC, strides, padding
 * `'same'`, `'valid'`, a number or explicit amounts, `dimRoundingMode`. Dilations
 * above 1 are refused (tfjs's gradient of `depthwiseConv2d` refuses them too, and the
 * cpu kernels ignore them).
 *
 * @module
 */
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { WASM, withKernelCalls } from './kernel-calls.js';

type Shape4 = [number, number, number, number];

function checkFloat32(kernel: string, tensors: Record<string, TensorInfo>): void {
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32')
      throw new Error(`${kernel} on wasm needs float32 ${name}, got ${t.dtype}`);
  }
}

function checkNoDilation(kernel: string, info: backend_util.Conv2DInfo): void {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error(
      `${kernel} on wasm supports dilations 1 only, got [${info.dilationHeight}, ${info.dilationWidth}]`,
    );
  }
}

function checkShape(
  kernel: string,
  name: string,
  actual: readonly number[],
  expected: number[],
): void {
  if (actual.length !== expected.length || expected.some((d, i) => actual[i] !== d)) {
    throw new Error(`${kernel}: ${name} has shape [${actual}], expected [${expected}]`);
  }
}

/**
 * The filter gradient dW[i, j, c, m] = Σ_{n, a, b} x̃[n, a·s + i, b·s + j, c] ·
 * dy[n, a, b, c·M + m]. For each channel c that is a convolution over the examples, so
 * all channels together are one depthwise convolution of the input seen as one image
 * `[1, H, W, C·N]` (channel c·N + n holds example n's channel c) with the filter
 * `[OH, OW, C·N, M]` made of dy, at stride 1 and dilation s, whose output
 * `[1, KH, KW, C·N·M]` summed over n is dW. Its padding is the forward top/left and a
 * bottom/right that makes the output exactly KH × KW (rows no window reaches are cropped).
 */
export const depthwiseConv2dNativeBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const kernel = DepthwiseConv2dNativeBackpropFilter;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  checkFloat32(kernel, { x, dy });
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [n, h, w, c] = x.shape as Shape4;
  const [kh, kw, , m] = filterShape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  checkNoDilation(kernel, info);
  checkShape(kernel, 'dy', dy.shape, [n, oh, ow, c * m]);
  const { top, left } = info.padInfo;
  const bottom = kh + (oh - 1) * sh - h - top;
  const right = kw + (ow - 1) * sw - w - left;
  return withKernelCalls(backend, (calls) => {
    // [N, H, W, C] → [H, W, C, N] = one image with C·N channels.
    let image = calls.view(calls.transpose(x, [1, 2, 3, 0]), [1, h, w, c * n]);
    if (bottom < 0 || right < 0) {
      image = calls.padOrCrop(image, [
        [0, 0],
        [0, Math.min(bottom, 0)],
        [0, Math.min(right, 0)],
        [0, 0],
      ]);
    }
    // [N, OH, OW, C, M] → [OH, OW, C, N, M] = a depthwise filter over C·N channels.
    const filter = calls.view(calls.transpose(calls.view(dy, [n, oh, ow, c, m]), [1, 2, 3, 0, 4]), [
      oh,
      ow,
      c * n,
      m,
    ]);
    const perExample = calls.run(
      'DepthwiseConv2dNative',
      { x: image, filter },
      {
        strides: [1, 1],
        dilations: [sh, sw],
        pad: [
          [0, 0],
          [top, Math.max(bottom, 0)],
          [left, Math.max(right, 0)],
          [0, 0],
        ],
      },
    );
    return calls.run(
      'Sum',
      { x: calls.view(perExample, [kh, kw, c, n, m]) },
      { axis: [3], keepDims: false },
    );
  });
};

/**
 * The input gradient dx[n, h, w, c] = Σ_{a, b, i, j, m: a·s + i − top = h, …}
 * dy[n, a, b, c·M + m] · W[i, j, c, m]: a full correlation of dy, spread out by the
 * stride (s − 1 zeros between entries, by a pad of a reshaped view), with the spatially
 * flipped filter. It runs as one depthwise convolution over the C·M channels of dy
 * (multiplier 1, stride 1, no padding after dy is padded by KH − 1 − top before
 * and what makes the output H × W after), followed by a sum over m when M > 1.
 */
export const depthwiseConv2dNativeBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const kernel = DepthwiseConv2dNativeBackpropInput;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  checkFloat32(kernel, { dy, filter });
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [n, h, w, c] = inputShape;
  const [kh, kw, , m] = filter.shape as Shape4;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  checkNoDilation(kernel, info);
  checkShape(kernel, 'filter', filter.shape, [kh, kw, c, m]);
  checkShape(kernel, 'dy', dy.shape, [n, oh, ow, c * m]);
  const before = [kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left] as const;
  // After spreading, dy is OH·s rows long (s − 1 trailing zeros); the correlation needs
  // H + KH − 1 rows.
  const after = [h + kh - 1 - before[0] - oh * sh, w + kw - 1 - before[1] - ow * sw];
  return withKernelCalls(backend, (calls) => {
    const spread = calls.spreadByStride(dy, sh, sw);
    const framed = calls.padOrCrop(spread, [
      [0, 0],
      [before[0], after[0] ?? 0],
      [before[1], after[1] ?? 0],
      [0, 0],
    ]);
    const flipped = calls.run('Reverse', { x: filter }, { dims: [0, 1] });
    const perMultiplier = calls.run(
      'DepthwiseConv2dNative',
      { x: framed, filter: calls.view(flipped, [kh, kw, c * m, 1]) },
      { strides: [1, 1], dilations: [1, 1], pad: 'valid' },
    );
    if (m === 1) return perMultiplier;
    return calls.run(
      'Sum',
      { x: calls.view(perMultiplier, [n, h, w, c, m]) },
      { axis: [4], keepDims: false },
    );
  });
};

/** Registration of {@link depthwiseConv2dNativeBackpropFilter} for the wasm backend. */
export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: WASM,
  kernelFunc: depthwiseConv2dNativeBackpropFilter,
};

/** Registration of {@link depthwiseConv2dNativeBackpropInput} for the wasm backend. */
export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: WASM,
  kernelFunc: depthwiseConv2dNativeBackpropInput,
};
