/**
 * `Select` for the wasm backend, replacing the kernel tfjs-backend-wasm 4.22
 * ships, which gets every condition shape but the elementwise one wrong, and
 * bool data too (the test beside this file saw a later free of the wasm heap
 * fault after it selected bool values):
 * with a rank-1 condition over a higher-rank `t`/`e` (TensorFlow 1's `select`:
 * one boolean per leading index, a whole row each) it copies `t[i]`/`e[i]`,
 * the `i`-th entry, into every entry of row `i` (as the cpu kernel does), and
 * with a scalar condition it writes the first entry only.
 *
 * @module
 */
import {
  type DataType,
  type KernelConfig,
  type KernelFunc,
  Select,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { SELECT_TAKES_SCALAR } from '../tfjs-internals.js';
import { sizeOf, WASM } from './kernel-calls.js';

/** What this kernel needs of the wasm backend (tfjs-backend-wasm 4.22's `BackendWasm`). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  incRef(dataId: TensorInfo['dataId']): void;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The entries of `x` as raw 32- or 8-bit words (so a copy keeps every bit, NaN payloads too). */
function words(backend: HeapBackend, x: TensorInfo): Int32Array | Uint8Array {
  const a = backend.typedArrayFromHeap(x);
  return a instanceof Uint8Array ? a : new Int32Array(a.buffer, a.byteOffset, a.length);
}

/**
 * The stock kernel's function, which runs the elementwise form (a loop in
 * WebAssembly, faster there than one in JavaScript); set by {@link selectConfig}'s
 * `adoptStock` when the replacement is registered.
 */
let elementwise: KernelFunc | undefined;

/**
 * `out = condition ? t : e`, with `t` and `e` of one shape and `condition`
 * either of that shape (entry by entry), of rank 1 with one entry per leading
 * index (row by row: `out[i, …] = condition[i] ? t[i, …] : e[i, …]`), or a
 * scalar (the whole tensor). The elementwise form of float32 and int32 data
 * is the stock kernel's when there is one. A scalar condition returns the
 * chosen input's buffer itself, with one more reference (no copy: tensors are
 * immutable, and tfjs's own `Reshape` returns its input the same way); rows
 * are block copies on the wasm heap; the condition is read there by the kernel, as tfjs-backend-wasm's
 * own JavaScript kernels (`Concat`, `Slice`) read their inputs: the wasm
 * backend computes synchronously in this thread's memory, so nothing waits for
 * a device. Bit-exact: values are copied as raw words.
 *
 * @throws Error for a condition of another shape, or `string`/`complex64` data.
 */
export const select: KernelFunc = ({ inputs, backend }) => {
  const { condition, t, e } = inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
  const heap = backend as unknown as HeapBackend;
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new Error(`Select on wasm supports numeric and bool data, got ${t.dtype}`);
  }
  const size = sizeOf(t.shape);
  const rows = condition.shape.length === 0 ? 1 : sizeOf(condition.shape);
  const sameShape =
    condition.shape.length === t.shape.length && condition.shape.every((d, i) => d === t.shape[i]);
  const rowForm =
    condition.shape.length === 0 ||
    (condition.shape.length === 1 && t.shape.length >= 1 && condition.shape[0] === t.shape[0]);
  if (!sameShape && !rowForm) {
    throw new Error(
      `Select: condition of shape [${condition.shape}] for values of shape [${t.shape}]`,
    );
  }
  // (Not for bool data, which the stock kernel mishandles: see the module comment.)
  if (sameShape && t.dtype !== 'bool' && elementwise !== undefined) {
    return elementwise({ inputs, backend, attrs: {} });
  }
  if (condition.shape.length === 0 && !sameShape) {
    // The whole tensor: the chosen input's own buffer, one more reference (as a
    // same-shape Reshape returns), so no copy is made and every bit is kept.
    const chosen = heap.typedArrayFromHeap(condition)[0] ? t : e;
    heap.incRef(chosen.dataId);
    return { dataId: chosen.dataId, shape: [...t.shape], dtype: t.dtype };
  }
  const out = heap.makeOutput([...t.shape], t.dtype);
  if (size === 0) return out;
  // Views taken after makeOutput (which may grow the heap and detach older views).
  const c = heap.typedArrayFromHeap(condition);
  const [to, tv, ev] = [words(heap, out), words(heap, t), words(heap, e)];
  if (sameShape) {
    for (let i = 0; i < size; i++) to[i] = c[i] ? tv[i]! : ev[i]!;
    return out;
  }
  const width = size / rows;
  for (let i = 0; i < rows; i++) {
    const from = c[i] ? tv : ev;
    to.set(from.subarray(i * width, (i + 1) * width), i * width);
  }
  return out;
};

/** The kernel's registration, marked as taking a scalar condition ({@link SELECT_TAKES_SCALAR}). */
export const selectConfig: KernelConfig & {
  [SELECT_TAKES_SCALAR]: true;
  adoptStock(stock: KernelConfig | undefined): void;
} = {
  kernelName: Select,
  backendName: WASM,
  kernelFunc: select,
  [SELECT_TAKES_SCALAR]: true,
  /**
   * Hands over the stock kernel this one replaces: its elementwise form is
   * kept, and so is its setup (which binds the WebAssembly function it calls
   * when the backend initializes after this registration).
   */
  adoptStock(stock) {
    elementwise = stock?.kernelFunc;
    if (stock?.setupFunc) selectConfig.setupFunc = stock.setupFunc;
    else delete selectConfig.setupFunc;
  },
};
