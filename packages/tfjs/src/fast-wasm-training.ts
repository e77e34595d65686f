/**
 * An opt-in speed-up for training on the TensorFlow.js `wasm` backend.
 *
 * tfjs-backend-wasm 4.x multiplies matrices with XNNPACK only when neither operand is
 * transposed and the batch size is 1; any `transposeA`/`transposeB` product takes a
 * naive blocked loop that is about 10× slower. Back-propagation through a dense layer
 * uses exactly those products (`dW = xᵀ·dy`, `dx = dy·Wᵀ`), both in the `BatchMatMul`
 * gradient and in the hard-coded gradient of `tf.fused.matMul` (tfjs-layers `Dense`
 * with linear activation), so a training step spends most of its time there.
 *
 * The fix here is kernel-level: the wasm `BatchMatMul` and `_FusedMatMul` kernels are
 * re-registered so that a transposed operand is first transposed explicitly (the wasm
 * `Transpose` kernel, a cheap copy) and the product is then computed by the original
 * kernel on its fast path. Only the `wasm` registrations change; other backends are
 * untouched (on `cpu` the same trick makes training slower).
 *
 * A second cost sits in the fast path itself: XNNPACK packs (re-lays out) the right-hand
 * operand B of `A·B` the first time it sees that buffer, about 10–23 ns per element,
 * and caches the result per buffer. In training every step's weights are new buffers,
 * so each dense layer's forward product repacks its weight matrix every step. When B
 * is new and packing the other operand plus three transposes is estimated cheaper
 * (large layers, small batches), the product is computed as `(Bᵀ·Aᵀ)ᵀ` instead.
 *
 * @module
 */
import {
  _FusedMatMul,
  Add,
  BatchMatMul,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  registerKernel,
  type TensorInfo,
  Transpose,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';
const KERNELS = [BatchMatMul, _FusedMatMul] as const;

/** What is installed while the speed-up is on. */
interface Installed {
  /** The wasm kernel configurations that were registered before, by kernel name. */
  readonly originals: ReadonlyMap<string, KernelConfig>;
  /** The replacement configurations, by kernel name. */
  readonly replacements: ReadonlyMap<string, KernelConfig>;
  /** Number of `enableFastWasmTraining` handles not yet undone. */
  holders: number;
}

let installed: Installed | undefined;

/**
 * The wasm backend as seen from a kernel: disposal of intermediate results, and the
 * integer id under which its C++ side knows each buffer (the key of XNNPACK's cache).
 */
interface WasmBackendLike {
  disposeData(dataId: object): boolean;
  readonly dataIdMap: { get(dataId: object): { readonly id: number } | undefined };
}

function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  if (typeof backend !== 'object' || backend === null) return false;
  const b = backend as { disposeData?: unknown; dataIdMap?: unknown };
  return (
    typeof b.disposeData === 'function' &&
    typeof b.dataIdMap === 'object' &&
    b.dataIdMap !== null &&
    typeof (b.dataIdMap as { get?: unknown }).get === 'function'
  );
}

/** Product of all but the last two dimensions: the matrix batch of a BatchMatMul operand. */
function batchSize(shape: readonly number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length - 2; i++) size *= shape[i] ?? 1;
  return size;
}

/**
 * Cost model of the choice between `A·B` and `(Bᵀ·Aᵀ)ᵀ`, in nanoseconds per element,
 * measured on tfjs-backend-wasm 4.22 (SIMD, one thread, Node 20): XNNPACK packs the
 * right-hand operand of a product into its own layout the first time it sees that
 * buffer (about 10–23 ns per element), and the wasm `Transpose` kernel copies about
 * 1–5 ns per element. The product itself costs about the same either way round. With
 * these values an MLP's `[128, 784]·[784, 256]` forward product is estimated 4.0 ms
 * direct against 3.0 ms swapped (it measured 4–7 ms against 3–6 ms, noisy) and
 * `[128, 256]·[256, 10]` stays direct.
 */
const PACK_NS = 20;
const TRANSPOSE_NS = 3;

/**
 * What the wasm backend's XNNPACK cache probably holds, by tensor buffer: the backend's
 * integer id of the buffer when it was last used as a product's right-hand operand,
 * and whether it was then packed (used as is) or only seen (the product was swapped).
 * A stale entry (the buffer was freed, or moved to another backend and back) has an id
 * that no longer matches and is ignored; entries die with their buffers.
 */
interface Seen {
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
    PACK_NS * (p.transposeB || !p.bPacked ? sizeB : 0) +
    TRANSPOSE_NS * ((p.transposeA ? sizeA : 0) + (p.transposeB ? sizeB : 0));
  const swapped =
    PACK_NS * (p.transposeA && p.aPacked ? 0 : sizeA) +
    TRANSPOSE_NS *
      ((p.transposeA ? 0 : sizeA) + (p.transposeB ? 0 : sizeB) + sizeC * (p.bias ? 2 : 1));
  return swapped < direct;
}

/** The wasm kernels the replacement calls besides the original product. */
interface Helpers {
  readonly transpose: KernelFunc;
  readonly add: KernelFunc;
}

/**
 * Wraps a matMul kernel (`BatchMatMul` or `_FusedMatMul`) for batch-1 products:
 * transposed operands are transposed first, and a product whose right-hand operand is
 * large and new is computed swapped, `(op(B)ᵀ·op(A)ᵀ)ᵀ`, when {@link swapIsCheaper}.
 */
function fastMatMul(
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
    if (!swap && !transposeA && !transposeB) {
      remember(b, true);
      return original(args);
    }
    const temporaries: TensorInfo[] = [];
    const swapLastTwo = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = Array.from({ length: rank }, (_, i) => i);
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      const out = helpers.transpose({ inputs: { x }, backend, attrs: { perm } });
      if (Array.isArray(out)) throw new Error('Transpose kernel returned several outputs');
      temporaries.push(out);
      return out;
    };
    const untransposed = { ...attrs, transposeA: false, transposeB: false };
    try {
      if (!swap) {
        if (!transposeB) remember(b, true);
        const explicitInputs: NamedTensorInfoMap = {
          ...inputs,
          a: transposeA ? swapLastTwo(a) : a,
          b: transposeB ? swapLastTwo(b) : b,
        };
        return original({ inputs: explicitInputs, backend, attrs: untransposed });
      }
      // C = op(A)·op(B) as (op(B)ᵀ·op(A)ᵀ)ᵀ, where op(B)ᵀ is B itself when transposeB
      // (op(A)ᵀ likewise), so XNNPACK packs op(A)ᵀ instead of B.
      if (!transposeB) remember(b, false);
      if (transposeA) remember(a, true);
      const left = transposeB ? b : swapLastTwo(b);
      const right = transposeA ? a : swapLastTwo(a);
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

function install(): Installed {
  const transpose = getKernel(Transpose, BACKEND);
  const add = getKernel(Add, BACKEND);
  const originals = new Map<string, KernelConfig>();
  for (const name of KERNELS) {
    const config = getKernel(name, BACKEND);
    if (config !== undefined) originals.set(name, config);
  }
  if (transpose === undefined || add === undefined || originals.size !== KERNELS.length) {
    throw new Error(
      "enableFastWasmTraining: the 'wasm' kernels are not registered; " +
        "import '@tensorflow/tfjs-backend-wasm' before calling it",
    );
  }
  const helpers: Helpers = { transpose: transpose.kernelFunc, add: add.kernelFunc };
  const seen = new WeakMap<object, Seen>();
  const replacements = new Map<string, KernelConfig>();
  for (const [name, config] of originals) {
    const replacement: KernelConfig = {
      ...config,
      kernelFunc: fastMatMul(config.kernelFunc, helpers, seen),
    };
    unregisterKernel(name, BACKEND);
    registerKernel(replacement);
    replacements.set(name, replacement);
  }
  return { originals, replacements, holders: 0 };
}

function uninstall(state: Installed): void {
  for (const [name, original] of state.originals) {
    // Restore only what is still ours: a later registration by someone else wins.
    if (getKernel(name, BACKEND) !== state.replacements.get(name)) continue;
    unregisterKernel(name, BACKEND);
    registerKernel(original);
  }
}

/**
 * Makes training dense models on the TensorFlow.js `wasm` backend several times faster
 * (measured 2.5–10× per step for an MLP 784-256-10 at batch 128; see
 * `docs/benchmarks.md`), with the same results up to float32 rounding. (One exception:
 * a stock `tf.fused.matMul` with a bias and a transposed operand adds `bias[min(i·n + j,
 * n − 1)]` instead of `bias[j]` to element `(i, j)` of the `m×n` result; here it is right.)
 *
 * It re-registers the wasm `BatchMatMul` and `_FusedMatMul` kernels so that a product
 * `op(A)·op(B)` with a transposed operand and batch size 1 is computed as an explicit
 * transpose followed by the untransposed product, which tfjs-backend-wasm runs with
 * XNNPACK instead of its naive loop. This covers `tf.matMul`, the gradients of
 * `tf.matMul`, and `tf.fused.matMul` (which tfjs-layers `Dense` uses), hence
 * `model.fit`, custom loops and every optimizer in this package. Batched products
 * (batch > 1) and all other backends (`cpu`, `webgl`, …) are left unchanged, so it is
 * safe to call whatever backend is active; it only speeds up work done on `wasm`.
 *
 * It also avoids most of XNNPACK's repacking of new weights: XNNPACK re-lays out the
 * right-hand operand B of every product whose B buffer it has not seen (10–23 ns per
 * element), and training makes new weight buffers every step. A product whose B is new
 * and large next to A (a wide layer, a small batch) is computed as `(Bᵀ·Aᵀ)ᵀ`, which
 * packs the smaller operand instead, whenever a cost model (20 ns per packed element,
 * 3 ns per transposed element) estimates it cheaper; a B seen before (fixed weights at
 * inference) is used directly and packed once, as the stock kernel does. Not swapped:
 * fused products with PReLU, or with a bias and a non-linear activation. On top of the
 * transposes, this made a plain `tf.train.sgd` step (CPU time, median of 100
 * interleaved pairs, 2-core VM) about 9 % faster for an MLP 784-256-10 at batch 128
 * (tfjs-core ops and tfjs-layers `Dense` alike), 14–16 % for 784-512-512-10, and 30 %
 * resp. 44 % at batch 32.
 *
 * Call it once at start-up, after importing `@tensorflow/tfjs-backend-wasm` (before or
 * after `tf.setBackend('wasm')`). Calling it again while it is on changes nothing
 * (idempotent); every call returns its own `undo`. The original kernels are restored
 * when every returned `undo` has been called; calling one `undo` twice does nothing.
 * The extra cost is a transposed copy of the operands (and of the result, when swapped)
 * per product, freed at once, and a per-buffer note (a `WeakMap` entry) of which right-hand
 * operands XNNPACK has seen.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { enableFastWasmTraining } from '@flood/tfjs';
 * const undo = enableFastWasmTraining();
 * await tf.setBackend('wasm');
 * await model.fit(x, y, { epochs: 10 });
 * undo(); // optional: back to the stock wasm kernels
 * ```
 *
 * @returns `undo()`: releases this call's hold on the speed-up.
 * @throws Error if `@tensorflow/tfjs-backend-wasm` has not been imported (its kernels are
 *   not registered).
 */
export function enableFastWasmTraining(): () => void {
  if (installed === undefined) installed = install();
  const state = installed;
  state.holders += 1;
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    state.holders -= 1;
    if (state.holders === 0 && installed === state) {
      uninstall(state);
      installed = undefined;
    }
  };
}

/**
 * Whether {@link enableFastWasmTraining} is currently on (some `undo` is still pending).
 *
 * @returns `true` while the replacement wasm matMul kernels are installed.
 */
export function isFastWasmTrainingEnabled(): boolean {
  return installed !== undefined;
}
