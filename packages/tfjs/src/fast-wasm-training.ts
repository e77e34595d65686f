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
 * @module
 */
import {
  _FusedMatMul,
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

/** A backend as seen from a kernel: only the disposal of intermediate results is needed. */
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

function isDisposingBackend(backend: unknown): backend is DisposingBackend {
  return (
    typeof backend === 'object' &&
    backend !== null &&
    typeof (backend as { disposeData?: unknown }).disposeData === 'function'
  );
}

/** Product of all but the last two dimensions: the matrix batch of a BatchMatMul operand. */
function batchSize(shape: readonly number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length - 2; i++) size *= shape[i] ?? 1;
  return size;
}

/** Wraps a matMul kernel so that transposed operands of batch-1 products are transposed first. */
function transposeFirst(original: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs: NamedAttrMap = args.attrs ?? {};
    const a = inputs.a;
    const b = inputs.b;
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    // Batched products (batch > 1) take the slow loop in any case; leave them alone.
    if (
      (!transposeA && !transposeB) ||
      a === undefined ||
      b === undefined ||
      batchSize(a.shape) !== 1 ||
      batchSize(b.shape) !== 1 ||
      !isDisposingBackend(backend)
    ) {
      return original(args);
    }
    const temporaries: TensorInfo[] = [];
    const swapLastTwo = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = Array.from({ length: rank }, (_, i) => i);
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      const out = transpose({ inputs: { x }, backend, attrs: { perm } });
      if (Array.isArray(out)) throw new Error('Transpose kernel returned several outputs');
      temporaries.push(out);
      return out;
    };
    try {
      const explicitInputs: NamedTensorInfoMap = {
        ...inputs,
        a: transposeA ? swapLastTwo(a) : a,
        b: transposeB ? swapLastTwo(b) : b,
      };
      return original({
        inputs: explicitInputs,
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

function install(): Installed {
  const transpose = getKernel(Transpose, BACKEND);
  const originals = new Map<string, KernelConfig>();
  for (const name of KERNELS) {
    const config = getKernel(name, BACKEND);
    if (config !== undefined) originals.set(name, config);
  }
  if (transpose === undefined || originals.size !== KERNELS.length) {
    throw new Error(
      "enableFastWasmTraining: the 'wasm' kernels are not registered; " +
        "import '@tensorflow/tfjs-backend-wasm' before calling it",
    );
  }
  const replacements = new Map<string, KernelConfig>();
  for (const [name, config] of originals) {
    const replacement: KernelConfig = {
      ...config,
      kernelFunc: transposeFirst(config.kernelFunc, transpose.kernelFunc),
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
 * `docs/benchmarks.md`), with the same results up to float32 rounding.
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
 * Call it once at start-up, after importing `@tensorflow/tfjs-backend-wasm` (before or
 * after `tf.setBackend('wasm')`). Calling it again while it is on changes nothing
 * (idempotent); every call returns its own `undo`. The original kernels are restored
 * when every returned `undo` has been called; calling one `undo` twice does nothing.
 * The extra cost is one transposed copy of the operand per product, freed at once.
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
 * @returns `true` while the explicit-transpose wasm matMul kernels are installed.
 */
export function isFastWasmTrainingEnabled(): boolean {
  return installed !== undefined;
}
