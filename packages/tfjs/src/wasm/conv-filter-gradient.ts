/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs-backend-wasm 4.22 lacks:
 * the gradient of a 2-D convolution with respect to its filter, as one XNNPACK
 * convolution of the input with the output gradient.
 *
 * @module
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { WASM, withKernelCalls } from './kernel-calls.js';

/**
 * The filter gradient of `y = conv2d(x, W)` (NHWC, stride s, no dilation, padding p):
 *
 *   dW[i, j, c, o] = Σ_{n, a, b} x̃[n, a·s_h + i, b·s_w + j, c] · dy[n, a, b, o],
 *
 * with x̃ the input padded by p's top/left amounts. That is itself a convolution, of
 * xᵀ = x transposed to `[C, H, W, N]` (the channels as the batch, the examples as the
 * input channels) with the filter dyᵀ = dy transposed to `[OH, OW, N, O]`, at stride 1
 * and dilation s: its output `[C, KH, KW, O]`, transposed to `[KH, KW, C, O]`, is dW.
 * The padding is p's top/left, and bottom/right chosen so that the output is exactly
 * KH × KW (input rows that no window reaches are cropped). The convolution runs in
 * XNNPACK through the stock wasm `Conv2D` kernel; the three transposes in wasm too.
 *
 * Supported: what `tf.conv2d`'s gradient asks for, i.e. NHWC, any strides, padding
 * `'same'`, `'valid'`, a number or explicit amounts, and `dimRoundingMode`. NCHW is
 * refused (tfjs-layers transposes channels-first inputs to NHWC before `conv2d`).
 *
 * @throws Error for NCHW data, non-float32 tensors or shapes that do not match.
 */
export const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') {
    throw new Error(
      `Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'`,
    );
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(
      `Conv2DBackpropFilter on wasm needs float32 tensors, got x ${x.dtype}, dy ${dy.dtype}`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const expected = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.length !== 4 || expected.some((d, i) => dy.shape[i] !== d)) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}], expected [${expected}] from x [${x.shape}] and filter [${filterShape}]`,
    );
  }
  const { top, left } = info.padInfo;
  // Rows (columns) after the input that the convolution of x̃ with dyᵀ needs for an
  // output of height KH: negative when the last rows are reached by no window.
  const bottom = info.filterHeight + (info.outHeight - 1) * info.strideHeight - info.inHeight - top;
  const right = info.filterWidth + (info.outWidth - 1) * info.strideWidth - info.inWidth - left;
  return withKernelCalls(backend, (calls) => {
    let input = calls.transpose(x, [3, 1, 2, 0]);
    // Crop what no window reaches; the rest of the padding goes to the convolution.
    if (bottom < 0 || right < 0) {
      input = calls.padOrCrop(input, [
        [0, 0],
        [0, Math.min(bottom, 0)],
        [0, Math.min(right, 0)],
        [0, 0],
      ]);
    }
    const filter = calls.transpose(dy, [1, 2, 0, 3]);
    const product = calls.run(
      'Conv2D',
      { x: input, filter },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, Math.max(bottom, 0)],
          [left, Math.max(right, 0)],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
      },
    );
    return calls.transpose(product, [1, 2, 0, 3]);
  });
};

/** Registration of {@link conv2DBackpropFilter} for the wasm backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter,
};
