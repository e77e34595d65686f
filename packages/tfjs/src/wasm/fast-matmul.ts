/**
 * Faster wasm matMul kernels for training: explicit transposes instead of the wasm
 * backend's slow transposed-product loop, and a swapped product when XNNPACK would
 * otherwise repack a large new right-hand operand.
 *
 * tfjs-backend-wasm 4.x multiplies matrices with XNNPACK only when neither operand is
 * transposed and the batch size is 1; any `transposeA`/`transposeB` product takes a
 * naive blocked loop, several times slower. Back-propagation through a dense layer
 * uses exactly those products (`dW = xᵀ·dy`, `dx = dy·Wᵀ`), both in the `BatchMatMul`
 * gradient and in the hard-coded gradient of `tf.fused.matMul` (tfjs-layers `Dense`
 * with linear activation). The replacement kernel transposes a transposed operand
 * explicitly (the wasm `Transpose` kernel, one copy) and computes the product with the
 * original kernel on its fast path.
 *
 * XNNPACK also packs (re-lays out) the right-hand operand B of `A·B` the first time it
 * sees that buffer and caches the result per buffer. In training every step's weights
 * are new buffers, so each dense layer's forward product repacks its weight matrix
 * every step. When B is new and packing the other operand plus three transposes is
 * estimated cheaper (large layers, small batches), the product is computed as
 * `(Bᵀ·Aᵀ)ᵀ` instead. The measured effect is in docs/benchmarks.md.
 *
 * While an operand-reuse scope is open (`reusingOperands`, opened around every flood
 * optimizer step), the transpose of a swapped product's left operand A (a wide dense
 * layer's input), which XNNPACK packs, is kept and reused by later products of the same A
 * (see `kept-transposes.ts`); the
 * choice of product and the kernels run are the same with or without the scope.
 *
 * @module
 */
import type {
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { type BufferOwner, keptTransposes } from './kept-transposes.js';

/**
 * The wasm backend as seen from a kernel: disposal of intermediate results, and the
 * integer id under which its C++ side knows each buffer (the key of XNNPACK's cache).
 */
export type WasmBackendLike = BufferOwner;

export function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  if (typeof backend !== 'object' || backend === null) return false;
  const b = backend as { disposeData?: unknown; dataIdMap?: unknown; typedArrayFromHeap?: unknown };
  return (
    typeof b.disposeData === 'function' &&
    typeof b.typedArrayFromHeap === 'function' &&
    typeof b.dataIdMap === 'object' &&
    b.dataIdMap !== null &&
    typeof (b.dataIdMap as { get?: unknown }).get === 'function' &&
    typeof (b.dataIdMap as { has?: unknown }).has === 'function'
  );
}

/** Product of all but the last two dimensions: the matrix batch of a BatchMatMul operand. */
function batchSize(shape: readonly number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length - 2; i++) size *= shape[i] ?? 1;
  return size;
}

/**
 * Cost model of the choice between `A·B` and `(Bᵀ·Aᵀ)ᵀ`, in relative cost per element:
 * XNNPACK packing one element of the right-hand operand (the first time it sees that
 * buffer) against the wasm `Transpose` kernel copying one element. The product itself
 * costs about the same either way round. The ratio was fitted to tfjs-backend-wasm
 * 4.22 (SIMD, one thread, Node 20); docs/benchmarks.md has the measurements.
 */
const PACK_COST = 20;
const TRANSPOSE_COST = 3;

/**
 * What the wasm backend's XNNPACK cache probably holds, by tensor buffer: the backend's
 * integer id of the buffer when it was last used as a product's right-hand operand,
 * and whether it was then packed (used as is) or only seen (the product was swapped).
 * A stale entry (the buffer was freed, or moved to another backend and back) has an id
 * that no longer matches and is ignored; entries die with their buffers.
 */
export interface Seen {
  readonly id: number;
  readonly packed: boolean;
}

/** The product `op(A)·op(B)` of two batch-1 operands, with its inner sizes. */
interface Product {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** Whether the buffer of A resp. B is already packed by XNNPACK. */
  readonly aPacked: boolean;
  readonly bPacked: boolean;
  /** Whether B was the right-hand operand of an earlier product (it is being reused). */
  readonly bSeen: boolean;
  /** Whether a bias is added (in the swapped form: one more pass over the output). */
  readonly bias: boolean;
}

/**
 * Whether to compute `op(A)·op(B)` as `(op(B)ᵀ·op(A)ᵀ)ᵀ`: when XNNPACK would otherwise
 * pack a large new B and packing the other operand (plus the extra transposes) is
 * estimated cheaper. A B that was seen before is being reused (inference with fixed
 * weights), so it is packed once, as the stock kernel does.
 */
function swapIsCheaper(p: Product): boolean {
  if (!p.transposeB && p.bSeen) return false;
  const sizeA = p.m * p.k;
  const sizeB = p.k * p.n;
  const sizeC = p.m * p.n;
  const direct =
    PACK_COST * (p.transposeB || !p.bPacked ? sizeB : 0) +
    TRANSPOSE_COST * ((p.transposeA ? sizeA : 0) + (p.transposeB ? sizeB : 0));
  const swapped =
    PACK_COST * (p.transposeA && p.aPacked ? 0 : sizeA) +
    TRANSPOSE_COST *
      ((p.transposeA ? 0 : sizeA) + (p.transposeB ? 0 : sizeB) + sizeC * (p.bias ? 2 : 1));
  return swapped < direct;
}

/** The wasm kernels the replacement calls besides the original product. */
export interface Helpers {
  readonly transpose: KernelFunc;
  readonly add: KernelFunc;
}

/**
 * Wraps a matMul kernel (`BatchMatMul` or `_FusedMatMul`) for batch-1 products:
 * transposed operands are transposed first, and a product whose right-hand operand is
 * large and new is computed swapped, `(op(B)ᵀ·op(A)ᵀ)ᵀ`, when {@link swapIsCheaper}.
 */
export function fastMatMul(
  original: KernelFunc,
  helpers: Helpers,
  seen: WeakMap<object, Seen>,
): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs: NamedAttrMap = args.attrs ?? {};
    const a = inputs.a;
    const b = inputs.b;
    // Batched products (batch > 1) take the slow loop in any case; leave them alone, and
    // non-float32 operands to the original's error.
    if (
      a === undefined ||
      b === undefined ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      batchSize(a.shape) !== 1 ||
      batchSize(b.shape) !== 1 ||
      !isWasmBackend(backend)
    ) {
      return original(args);
    }
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const m = a.shape[transposeA ? rankA - 1 : rankA - 2] ?? 0;
    const k = a.shape[transposeA ? rankA - 2 : rankA - 1] ?? 0;
    const n = b.shape[transposeB ? rankB - 2 : rankB - 1] ?? 0;
    const bias = inputs.bias;
    const activation = attrs.activation ?? 'linear';
    // The swapped product yields Cᵀ: an element-wise activation commutes with that, but a
    // bias (added per column of C) and PReLU weights do not. A rank-1 bias of length n is
    // added after transposing back (only with a linear activation, which then comes last).
    const swappable =
      inputs.preluActivationWeights === undefined &&
      (bias === undefined ||
        (activation === 'linear' && bias.shape.length === 1 && bias.shape[0] === n));
    const entry = (x: TensorInfo): Seen | undefined => {
      const known = seen.get(x.dataId);
      return known !== undefined && known.id === backend.dataIdMap.get(x.dataId)?.id
        ? known
        : undefined;
    };
    const remember = (x: TensorInfo, packed: boolean): void => {
      const id = backend.dataIdMap.get(x.dataId)?.id;
      if (id !== undefined) seen.set(x.dataId, { id, packed: packed || entry(x)?.packed === true });
    };
    const bEntry = entry(b);
    const swap =
      swappable &&
      swapIsCheaper({
        m,
        k,
        n,
        transposeA,
        transposeB,
        aPacked: entry(a)?.packed === true,
        bPacked: bEntry?.packed === true,
        bSeen: bEntry !== undefined,
        bias: bias !== undefined,
      });
    // Kept transposes whose source died (the previous pass's activations) go first.
    keptTransposes.sweep();
    if (!swap && !transposeA && !transposeB) {
      remember(b, true);
      return original(args);
    }
    const temporaries: TensorInfo[] = [];
    // In an operand-reuse scope, A's transpose (A is the data: the batch, an activation,
    // multiplied again in the backward pass and in a second pass) is looked up among the
    // kept ones, and kept when XNNPACK packs it (the swapped product's right operand),
    // which a later product of the same A then reuses with its packing. B's (a weight,
    // new in each pass) and the result's are always temporary.
    const swapLastTwo = (x: TensorInfo, reuse: 'no' | 'find' | 'keep' = 'no'): TensorInfo => {
      const found = reuse === 'no' ? undefined : keptTransposes.find(x, backend);
      if (found !== undefined) return found;
      const rank = x.shape.length;
      const perm = Array.from({ length: rank }, (_, i) => i);
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      const out = helpers.transpose({ inputs: { x }, backend, attrs: { perm } });
      if (Array.isArray(out)) throw new Error('Transpose kernel returned several outputs');
      if (!(reuse === 'keep' && keptTransposes.keep(x, out, backend))) temporaries.push(out);
      return out;
    };
    const untransposed = { ...attrs, transposeA: false, transposeB: false };
    try {
      if (!swap) {
        if (!transposeB) remember(b, true);
        const explicitInputs: NamedTensorInfoMap = {
          ...inputs,
          a: transposeA ? swapLastTwo(a, 'find') : a,
          b: transposeB ? swapLastTwo(b) : b,
        };
        return original({ inputs: explicitInputs, backend, attrs: untransposed });
      }
      // C = op(A)·op(B) as (op(B)ᵀ·op(A)ᵀ)ᵀ, where op(B)ᵀ is B itself when transposeB
      // (op(A)ᵀ likewise), so XNNPACK packs op(A)ᵀ instead of B.
      if (!transposeB) remember(b, false);
      if (transposeA) remember(a, true);
      const left = transposeB ? b : swapLastTwo(b);
      const right = transposeA ? a : swapLastTwo(a, 'keep');
      const product = original({ inputs: { a: left, b: right }, backend, attrs: untransposed });
      if (Array.isArray(product)) throw new Error('matMul kernel returned several outputs');
      temporaries.push(product);
      const c = swapLastTwo(product);
      if (bias === undefined) {
        temporaries.pop();
        return c;
      }
      return helpers.add({ inputs: { a: c, b: bias }, backend });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}
