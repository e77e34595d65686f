/**
 * `UnsortedSegmentSum` for the wasm backend, which tfjs-backend-wasm 4.22 lacks: the
 * gradient of `tf.gather` (hence of tfjs-layers `Embedding`), as one wasm `ScatterNd`.
 *
 * @module
 */
import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import { sizeOf, WASM, withKernelCalls } from './kernel-calls.js';

/**
 * out[k, …] = Σ_{i: ids[i] = k} x[i, …] for k in [0, numSegments), with `segmentIds`
 * of shape equal to the leading dimensions of x (flattened to i) and the output of
 * shape `[numSegments, …the remaining dimensions of x]`. Entries whose id is outside
 * [0, numSegments) are dropped, as on the cpu backend.
 *
 * The wasm `ScatterNd` kernel adds rows of x into a zero output in wasm, summing
 * repeated ids, but writes out of bounds for an id outside the output; so the ids are
 * first mapped (in wasm: two comparisons and a select) to themselves when in range and
 * to an extra row numSegments otherwise, and that row is cut off at the end. The cost
 * is linear in the size of x (one pass), where a one-hot product would cost
 * numSegments times more.
 *
 * Supported dtypes: float32 and int32 data, int32 ids.
 *
 * @throws Error for other dtypes, or ids whose shape is not a prefix of x's.
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 x, got ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm needs int32 segmentIds, got ${segmentIds.dtype}`);
  }
  const idRank = segmentIds.shape.length;
  if (idRank === 0 || segmentIds.shape.some((d, i) => x.shape[i] !== d)) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] is not a leading part of x shape [${x.shape}]`,
    );
  }
  const inner = x.shape.slice(idRank);
  const rows = sizeOf(segmentIds.shape);
  const width = sizeOf(inner);
  return withKernelCalls(backend, (calls) => {
    if (rows === 0 || width === 0 || numSegments === 0) {
      return calls.fill([numSegments, ...inner], 0, x.dtype);
    }
    const ids = calls.view(segmentIds, [rows]);
    const inRange = calls.run('LogicalAnd', {
      a: calls.run('GreaterEqual', { a: ids, b: calls.fill([], 0, 'int32') }),
      b: calls.run('Less', { a: ids, b: calls.fill([], numSegments, 'int32') }),
    });
    const rowOf = calls.run('Select', {
      condition: inRange,
      t: ids,
      e: calls.fill([rows], numSegments, 'int32'),
    });
    const sums = calls.run(
      'ScatterNd',
      { indices: calls.view(rowOf, [rows, 1]), updates: calls.view(x, [rows, width]) },
      { shape: [numSegments + 1, width] },
    );
    const kept = calls.run('Slice', { x: sums }, { begin: [0, 0], size: [numSegments, width] });
    return calls.view(kept, [numSegments, ...inner]);
  });
};

/** Registration of {@link unsortedSegmentSum} for the wasm backend. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: WASM,
  kernelFunc: unsortedSegmentSum,
};
