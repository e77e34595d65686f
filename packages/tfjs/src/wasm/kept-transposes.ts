/**
 * The explicit transposes the fast wasm matMul keeps while an operand-reuse scope is
 * open (see `reusingOperands` in `../operand-scope.ts`), so that a later product of the
 * same operand in the same step reuses the copy, and XNNPACK's packed copy of it (which
 * XNNPACK caches per buffer and frees with the buffer), instead of remaking both.
 *
 * @module
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isReusingOperands, onOperandReuseEnd } from '../operand-scope.js';

/** The backend as the kept copies need it: its buffer ids and bytes, and freeing a buffer. */
export interface BufferOwner {
  disposeData(dataId: object): boolean;
  /** A view of a buffer's bytes on the wasm heap, read as `dtype` (no copy). */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  readonly dataIdMap: {
    /** Whether the buffer lives on this backend (`get` of one that does not moves it here). */
    has(dataId: object): boolean;
    get(dataId: object): { readonly id: number } | undefined;
  };
}

/** One kept transpose, of the source buffer it is keyed by. */
interface Kept {
  /** The backend's integer id of the source buffer when it was transposed. */
  readonly id: number;
  /** The source's shape then (a reshape shares the buffer under another shape). */
  readonly shape: readonly number[];
  /** The transposed copy (last two axes swapped), owned by this store. */
  readonly transposed: TensorInfo;
  /** The backend both live on. */
  readonly backend: BufferOwner;
}

/** A copy made by the wasm `Identity` kernel during a scope: its buffer id and its source's. */
interface Copy {
  readonly id: number;
  readonly source: object;
  readonly sourceId: number;
}

/**
 * Kept transposes by source buffer (`dataId`). An entry is used only while its source
 * still has the same integer buffer id (not freed, not moved to another backend and
 * back) and the same shape; otherwise it is freed by {@link KeptTransposes.sweep}.
 */
export class KeptTransposes {
  private readonly kept = new Map<object, Kept>();

  /** Copies noted during the scope, by the copy's buffer (see {@link KeptTransposes.noteCopy}). */
  private copies = new WeakMap<object, Copy>();

  private releaseRegistered = false;

  /** Lookups decided by comparing buffers' bits (for tests: the noted copies avoid them). */
  bitComparisons = 0;

  /** Number of transposes kept now. */
  get size(): number {
    return this.kept.size;
  }

  /**
   * The kept transpose of `x`, if a scope is open and one was kept for this very
   * buffer and shape.
   */
  find(x: TensorInfo, backend: BufferOwner): TensorInfo | undefined {
    if (!isReusingOperands()) return undefined;
    const own = this.kept.get(x.dataId);
    if (own !== undefined && own.backend === backend && sameShape(own.shape, x.shape)) {
      return own.id === backend.dataIdMap.get(x.dataId)?.id ? own.transposed : undefined;
    }
    // The engine saves a product's inputs for its gradient as copies (the wasm `Identity`
    // kernel copies), so the backward pass multiplies a copy of the forward pass's
    // operand: a live kept source of the same shape and the same bits will do. A copy
    // noted by the `Identity` replacement is known to be one (tfjs buffers are never
    // written after they are made); any other candidate is compared bit for bit.
    const copy = this.copies.get(x.dataId);
    if (copy !== undefined && copy.id === backend.dataIdMap.get(x.dataId)?.id) {
      const entry = this.kept.get(copy.source);
      if (
        entry !== undefined &&
        entry.backend === backend &&
        entry.id === copy.sourceId &&
        sameShape(entry.shape, x.shape) &&
        isAlive(copy.source, entry)
      ) {
        return entry.transposed;
      }
    }
    for (const [source, entry] of this.kept) {
      if (
        entry.backend !== backend ||
        source === x.dataId ||
        !sameShape(entry.shape, x.shape) ||
        !isAlive(source, entry)
      ) {
        continue;
      }
      this.bitComparisons += 1;
      if (sameBits(backend, { dataId: source, shape: x.shape, dtype: 'int32' }, x)) {
        return entry.transposed;
      }
    }
    return undefined;
  }

  /**
   * Takes ownership of `transposed`, the transpose of `x`, if a scope is open: it is
   * freed when its source is (at the next sweep) or when the scope closes.
   *
   * @returns whether it was kept (otherwise the caller still owns it).
   */
  keep(x: TensorInfo, transposed: TensorInfo, backend: BufferOwner): boolean {
    if (!isReusingOperands()) return false;
    // A no-op transpose shares its source's buffer: nothing worth keeping.
    if (transposed.dataId === x.dataId) return false;
    const id = backend.dataIdMap.get(x.dataId)?.id;
    if (id === undefined) return false;
    if (!this.releaseRegistered) {
      onOperandReuseEnd(() => this.releaseAll());
      this.releaseRegistered = true;
    }
    this.free(x.dataId);
    this.kept.set(x.dataId, { id, shape: [...x.shape], transposed, backend });
    return true;
  }

  /**
   * Notes, while a scope is open, that `copy` is a copy of `source` made by the wasm
   * `Identity` kernel (the same bits), so that {@link KeptTransposes.find} needs no
   * comparison for it.
   */
  noteCopy(source: TensorInfo, copy: TensorInfo, backend: BufferOwner): void {
    if (!isReusingOperands() || copy.dataId === source.dataId) return;
    const sourceId = backend.dataIdMap.get(source.dataId)?.id;
    const id = backend.dataIdMap.get(copy.dataId)?.id;
    if (sourceId !== undefined && id !== undefined) {
      this.copies.set(copy.dataId, { id, source: source.dataId, sourceId });
    }
  }

  /** Frees the transposes whose source buffer has been freed (or replaced). */
  sweep(): void {
    for (const [source, entry] of this.kept) {
      if (!isAlive(source, entry)) this.free(source);
    }
  }

  /** Frees every kept transpose (the scope closed). */
  releaseAll(): void {
    this.releaseRegistered = false;
    this.copies = new WeakMap();
    const entries = [...this.kept.values()];
    this.kept.clear();
    for (const entry of entries) entry.backend.disposeData(entry.transposed.dataId);
  }

  private free(source: object): void {
    const entry = this.kept.get(source);
    if (entry === undefined) return;
    this.kept.delete(source);
    entry.backend.disposeData(entry.transposed.dataId);
  }
}

/** Whether a kept entry's source buffer is still the one it was made from. */
function isAlive(source: object, entry: Kept): boolean {
  const map = entry.backend.dataIdMap;
  return map.has(source) && map.get(source)?.id === entry.id;
}

/** Whether two buffers of the same shape hold the same bits. */
function sameBits(backend: BufferOwner, a: TensorInfo, b: TensorInfo): boolean {
  const p = backend.typedArrayFromHeap({ ...a, dtype: 'int32' });
  const q = backend.typedArrayFromHeap({ ...b, dtype: 'int32' });
  return p.length === q.length && sameWords(p, q);
}

/**
 * Whether two arrays of 32-bit words are equal, compared two words at a time as float64
 * where both are 8-byte aligned (the wasm heap's allocations are): about 1.5× faster
 * than word by word. Equal doubles have equal bits except ±0; unequal doubles can have
 * equal bits only as NaNs: both cases are decided on the words.
 */
export function sameWords(p: Int32Array | Float32Array | Uint8Array, q: typeof p): boolean {
  const words = (x: typeof p) => new Int32Array(x.buffer, x.byteOffset, x.length);
  const pw = words(p);
  const qw = words(q);
  const n = pw.length;
  const half = pw.byteOffset % 8 === 0 && qw.byteOffset % 8 === 0 ? n >> 1 : 0;
  const pd = new Float64Array(pw.buffer, pw.byteOffset - (pw.byteOffset % 8), half);
  const qd = new Float64Array(qw.buffer, qw.byteOffset - (qw.byteOffset % 8), half);
  for (let i = 0; i < half; i++) {
    const x = pd[i] as number;
    const y = qd[i] as number;
    if (x !== y) {
      if (pw[2 * i] !== qw[2 * i] || pw[2 * i + 1] !== qw[2 * i + 1]) return false;
    } else if (x === 0 && 1 / x !== 1 / y) {
      return false;
    }
  }
  const done = 2 * half;
  for (let i = done; i < n; i++) if (pw[i] !== qw[i]) return false;
  return true;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Wraps the wasm `Identity` kernel (a copy) so that, during a scope, the copies it makes
 * are noted in {@link keptTransposes}: the engine saves a product's inputs for the
 * gradient with it.
 */
export function copyNoting(original: KernelFunc): KernelFunc {
  return (args) => {
    const out = original(args);
    const x = args.inputs.x;
    if (
      isReusingOperands() &&
      x !== undefined &&
      !Array.isArray(out) &&
      isBufferOwner(args.backend)
    ) {
      keptTransposes.noteCopy(x, out, args.backend);
    }
    return out;
  };
}

function isBufferOwner(backend: unknown): backend is BufferOwner {
  if (typeof backend !== 'object' || backend === null) return false;
  const b = backend as { dataIdMap?: { get?: unknown; has?: unknown } };
  return typeof b.dataIdMap?.get === 'function' && typeof b.dataIdMap.has === 'function';
}

/** The one store the fast matMul kernels (`BatchMatMul`, `_FusedMatMul`) share. */
export const keptTransposes = new KeptTransposes();
