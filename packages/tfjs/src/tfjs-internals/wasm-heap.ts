/**
 * The wasm backend's linear memory and where its tensors live in it, for kernels
 * that run their own WebAssembly on the backend's data (`@flood/tfjs/wasm`'s
 * vector kernels). Part of `tfjs-internals.ts` (see there).
 *
 * @module
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** What the vector kernels use of the wasm backend. */
export interface WasmHeap {
  /** The backend's memory (the emscripten module's, not shared). */
  readonly memory: WebAssembly.Memory;
  /** Byte offset in {@link WasmHeap.memory} of a float32 tensor's first entry. */
  offsetOf(t: TensorInfo): number;
  /** A new output buffer of the backend (uninitialised, one reference, as kernels return). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** The fields of tfjs-backend-wasm 4.22's `BackendWasm` read here. */
interface BackendWasmFields {
  wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown };
  dataIdMap?: { get(dataId: unknown): { memoryOffset?: unknown } | undefined };
  makeOutput?: unknown;
}

/**
 * The {@link WasmHeap} of `backend`, or `undefined` when it does not look like
 * tfjs-backend-wasm 4.x's `BackendWasm` (memory at `wasm.asm.memory`, or
 * `wasm.wasmMemory` in other emscripten builds; buffers at
 * `dataIdMap.get(dataId).memoryOffset`; `makeOutput(shape, dtype)`) or its memory
 * is shared (the threaded build): callers then use the stock kernels.
 */
export function wasmHeapOf(backend: unknown): WasmHeap | undefined {
  if (typeof backend !== 'object' || backend === null) return undefined;
  const b = backend as BackendWasmFields;
  const memory = b.wasm?.asm?.memory ?? b.wasm?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) {
    return undefined;
  }
  const dataIdMap = b.dataIdMap;
  const makeOutput = b.makeOutput;
  if (typeof dataIdMap?.get !== 'function' || typeof makeOutput !== 'function') return undefined;
  return {
    memory,
    offsetOf: (t) => {
      const offset = dataIdMap.get(t.dataId)?.memoryOffset;
      if (typeof offset !== 'number') throw new Error('a wasm tensor has no buffer on the heap');
      return offset;
    },
    makeOutput: (shape, dtype) => makeOutput.call(backend, shape, dtype) as TensorInfo,
  };
}
