/**
 * Calling the wasm backend's own kernels from inside a kernel.
 *
 * The training kernels of this folder are compositions of stock wasm kernels (XNNPACK
 * convolutions, transposes, pads, scatters), all running in WebAssembly on the
 * backend's heap; nothing is read back to JavaScript. Each composition makes
 * intermediate buffers that must be freed before the kernel returns, whether it
 * returns or throws: {@link withKernelCalls} does that bookkeeping.
 *
 * @module
 */
import {
  type DataType,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The backend all kernels here run on. */
export const WASM = 'wasm';

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Runs stock wasm kernels on one backend and remembers what they made. */
export class KernelCalls {
  private readonly made: TensorInfo[] = [];

  private readonly backend: KernelBackend;

  /**
   * @param backend - the backend the calling kernel runs on (the wasm backend).
   * @throws Error if it is not a tfjs kernel backend.
   */
  constructor(backend: unknown) {
    if (
      typeof backend !== 'object' ||
      backend === null ||
      typeof (backend as { disposeData?: unknown }).disposeData !== 'function'
    ) {
      throw new Error('a wasm training kernel was called without a backend');
    }
    this.backend = backend as KernelBackend;
  }

  /**
   * Runs the registered wasm kernel `name` (whatever is registered at the time, so a
   * replacement such as the fast matMul is used too) and records its output as a
   * temporary of this call.
   *
   * @throws Error if no such wasm kernel is registered or it returns several outputs.
   */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const [out, ...rest] = this.runAll(name, inputs, attrs);
    if (out === undefined || rest.length > 0) {
      throw new Error(`the wasm kernel '${name}' did not return one output`);
    }
    return out;
  }

  /**
   * Like {@link KernelCalls.run}, for a kernel with several outputs (such as
   * `MaxPoolWithArgmax`): every output is recorded as a temporary of this call.
   *
   * @throws Error if no such wasm kernel is registered.
   */
  runAll(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo[] {
    const config = getKernel(name, WASM);
    if (config === undefined) {
      throw new Error(`the wasm kernel '${name}' is not registered`);
    }
    const out = config.kernelFunc({ inputs, attrs, backend: this.backend });
    const outputs = Array.isArray(out) ? out : [out];
    this.made.push(...outputs);
    return outputs;
  }

  /**
   * The same buffer seen with another shape of the same size (row-major order kept):
   * no copy, no new reference, so a view is never freed on its own.
   *
   * @throws Error if the sizes differ.
   */
  view(x: TensorInfo, shape: readonly number[]): TensorInfo {
    if (sizeOf(shape) !== sizeOf(x.shape)) {
      throw new Error(`cannot view shape [${x.shape}] as [${shape}]`);
    }
    return { dataId: x.dataId, shape: [...shape], dtype: x.dtype };
  }

  /** A scalar or a filled tensor of `shape`, made by the wasm `Fill` kernel. */
  fill(shape: readonly number[], value: number, dtype: DataType): TensorInfo {
    return this.run('Fill', {}, { shape: [...shape], value, dtype });
  }

  /** `x` with its axes permuted (`perm[i]` is the input axis of output axis `i`). */
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm: [...perm] });
  }

  /**
   * Pads (positive amounts, with zeros) or crops (negative amounts) each axis of `x`
   * by `[before, after]`: at most one `Slice` and one `PadV2`.
   */
  padOrCrop(x: TensorInfo, amounts: readonly (readonly [number, number])[]): TensorInfo {
    let out = x;
    if (amounts.some(([a, b]) => a < 0 || b < 0)) {
      const begin = amounts.map(([a]) => Math.max(-a, 0));
      const size = amounts.map(([a, b], i) => (x.shape[i] ?? 0) + Math.min(a, 0) + Math.min(b, 0));
      out = this.run('Slice', { x: out }, { begin, size });
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = amounts.map(([a, b]) => [Math.max(a, 0), Math.max(b, 0)]);
      out = this.run('PadV2', { x: out }, { paddings, constantValue: 0 });
    }
    return out;
  }

  /**
   * `x` (`[N, OH, OW, C]`) spread by the strides: entry `(i, j)` moves to
   * `(i·sh, j·sw)` of an `[N, OH·sh, OW·sw, C]` tensor, zeros in between (and
   * `sh − 1` rows, `sw − 1` columns of trailing zeros): one `PadV2` of a
   * `[N·OH, 1, OW, 1, C]` view, none at stride 1. The transposed convolution's
   * and pooling gradient's way back to the input grid.
   */
  spreadByStride(x: TensorInfo, sh: number, sw: number): TensorInfo {
    if (sh === 1 && sw === 1) return x;
    const [n = 1, oh = 1, ow = 1, c = 1] = x.shape;
    const padded = this.run(
      'PadV2',
      { x: this.view(x, [n * oh, 1, ow, 1, c]) },
      {
        paddings: [
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    return this.view(padded, [n, oh * sh, ow * sw, c]);
  }

  /**
   * Frees every buffer these calls made except `keep`'s (the kernel's output).
   *
   * @param keep - the result, or undefined to free everything (on an error).
   */
  release(keep: TensorInfo | undefined): void {
    const made = this.made.splice(0);
    // One reference of the kept buffer is handed to the engine; a buffer can hold several
    // (a no-op transpose returns its input with one more reference), each freed once.
    const kept = keep === undefined ? -1 : made.map((t) => t.dataId).lastIndexOf(keep.dataId);
    for (const [i, t] of made.entries()) {
      if (i !== kept) this.backend.disposeData(t.dataId);
    }
  }
}

/**
 * Runs `body` with a fresh {@link KernelCalls} and frees its temporaries: all but the
 * returned tensor's buffer on success, all of them on an error.
 *
 * The result must be a buffer made by `body`'s calls (or a view of one), never an
 * input of the calling kernel, which the engine owns.
 */
export function withKernelCalls(
  backend: unknown,
  body: (calls: KernelCalls) => TensorInfo,
): TensorInfo {
  const calls = new KernelCalls(backend);
  let result: TensorInfo | undefined;
  try {
    result = body(calls);
    return result;
  } finally {
    calls.release(result);
  }
}
