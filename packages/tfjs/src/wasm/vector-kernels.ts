/**
 * The fused vector kernels of `fused-ops.ts` for the wasm backend: `FloodSum`,
 * `FloodSumOfSquares`, `FloodDot` and `FloodAxpby`, each one SIMD
 * pass over the backend's own memory (see `vector-simd.ts`), registered by
 * `enableFastWasmTraining()`. Where that cannot run (the threaded build's shared
 * memory, an engine without WebAssembly SIMD, a backend unlike tfjs-backend-wasm
 * 4.x) each kernel computes the same value with the stock wasm kernels instead.
 *
 * @module
 */
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { FLOOD_AXPBY, FLOOD_DOT, FLOOD_SUM, FLOOD_SUM_OF_SQUARES } from '../fused-ops.js';
import { type WasmHeap, wasmHeapOf } from '../tfjs-internals.js';
import { type KernelCalls, sizeOf, WASM, withKernelCalls } from './kernel-calls.js';
import { type VectorSimd, vectorSimdFor } from './vector-simd.js';

/** The backend's heap and the SIMD loops working in it, or `undefined` (use stock kernels). */
function fastPath(backend: unknown): { heap: WasmHeap; simd: VectorSimd } | undefined {
  const heap = wasmHeapOf(backend);
  const simd = heap === undefined ? undefined : vectorSimdFor(heap.memory);
  return heap === undefined || simd === undefined ? undefined : { heap, simd };
}

/** Inputs `prefix0, prefix1, …` in order; refuses other than float32 data. */
function operands(inputs: NamedTensorInfoMap, prefix: string, kernel: string): TensorInfo[] {
  const out: TensorInfo[] = [];
  for (let t = inputs[`${prefix}0`]; t !== undefined; t = inputs[`${prefix}${out.length}`]) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: float32 inputs only, got ${t.dtype}`);
    out.push(t);
  }
  return out;
}

/** The float32 value of a one-entry tensor on the heap. */
function scalarValue(heap: WasmHeap, t: TensorInfo): number {
  return new Float32Array(heap.memory.buffer, heap.offsetOf(t), 1)[0]!;
}

/** What a reduction adds per entry. */
type Term = 'value' | 'square' | 'product';

/** The same reduction with stock kernels: per block `Sum` of `x`, `Square(x)` or `x·y`, then `Add`s. */
function stockReduction(calls: KernelCalls, term: Term, xs: TensorInfo[], ys: TensorInfo[]) {
  let total: TensorInfo | undefined;
  for (const [i, x] of xs.entries()) {
    const flat = calls.view(x, [sizeOf(x.shape)]);
    const terms =
      term === 'value'
        ? flat
        : term === 'square'
          ? calls.run('Square', { x: flat })
          : calls.run('Multiply', { a: flat, b: calls.view(ys[i]!, [sizeOf(x.shape)]) });
    const sum = calls.run('Sum', { x: terms }, { axis: [0], keepDims: false });
    total = total === undefined ? sum : calls.run('Add', { a: total, b: sum });
  }
  return total ?? calls.fill([], 0, 'float32');
}

/**
 * A reduction kernel: the float32 scalar `Σₖ Σᵢ tₖᵢ` over the blocks `x0, x1, …`
 * (with `y0, y1, …` for products), each block one SIMD pass, the block totals
 * added in float32 in order (so a NaN or an overflow anywhere shows in the result,
 * as in a plain float32 sum).
 */
function reductionKernel(kernel: string, term: Term): KernelFunc {
  return ({ inputs, backend }) => {
    const xs = operands(inputs, 'x', kernel);
    const ys = term === 'product' ? operands(inputs, 'y', kernel) : [];
    if (term === 'product') {
      const sizes = (t: TensorInfo) => sizeOf(t.shape);
      if (ys.length !== xs.length || xs.some((x, i) => sizes(x) !== sizes(ys[i]!))) {
        throw new Error(`${kernel}: inputs x0, y0, x1, y1, … must pair tensors of equal sizes`);
      }
    }
    const fast = fastPath(backend);
    if (fast === undefined) {
      return withKernelCalls(backend, (calls) => stockReduction(calls, term, xs, ys));
    }
    const { heap, simd } = fast;
    let total = 0;
    for (const [i, x] of xs.entries()) {
      const n = sizeOf(x.shape);
      if (n === 0) continue;
      const at = heap.offsetOf(x);
      const s =
        term === 'value'
          ? simd.sum(at, n)
          : term === 'square'
            ? simd.sumOfSquares(at, n)
            : simd.dot(at, heap.offsetOf(ys[i]!), n);
      total = Math.fround(total + s);
    }
    const out = heap.makeOutput([], 'float32');
    new Float32Array(heap.memory.buffer, heap.offsetOf(out), 1)[0] = total;
    return out;
  };
}

/** A coefficient: input `key` (a one-entry float32 tensor) or else attribute `key` (a number). */
type Coefficient = { tensor: TensorInfo } | { value: number };

function coefficient(
  kernel: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
  key: string,
): Coefficient {
  const tensor = inputs[key];
  if (tensor !== undefined) {
    if (tensor.dtype !== 'float32' || sizeOf(tensor.shape) !== 1) {
      throw new Error(`${kernel}: input ${key} must be a float32 scalar`);
    }
    return { tensor };
  }
  const value = attrs[key];
  if (typeof value !== 'number') throw new Error(`${kernel}: needs input or attribute ${key}`);
  return { value };
}

/**
 * `FloodAxpby`: `out = a·x + b·y` in one SIMD pass, each entry rounded as the
 * separate `Multiply`s and `Add` would.
 */
function axpbyKernel(kernel: string): KernelFunc {
  return ({ inputs, attrs = {}, backend }) => {
    const { x, y } = inputs as Record<'x' | 'y', TensorInfo | undefined>;
    if (x?.dtype !== 'float32' || y?.dtype !== 'float32') {
      throw new Error(`${kernel}: float32 inputs x, y needed`);
    }
    const n = sizeOf(x.shape);
    if (sizeOf(y.shape) !== n) throw new Error(`${kernel}: y must have x's size`);
    const a = coefficient(kernel, inputs, attrs, 'a');
    const b = coefficient(kernel, inputs, attrs, 'b');
    const fast = fastPath(backend);
    if (fast === undefined) {
      return withKernelCalls(backend, (calls) => {
        const tensor = (c: Coefficient) =>
          'tensor' in c ? c.tensor : calls.fill([], c.value, 'float32');
        const ax = calls.run('Multiply', { a: x, b: tensor(a) });
        return calls.run('Add', { a: ax, b: calls.run('Multiply', { a: y, b: tensor(b) }) });
      });
    }
    const { heap, simd } = fast;
    const out = heap.makeOutput([...x.shape], 'float32');
    if (n === 0) return out;
    const value = (c: Coefficient) => ('tensor' in c ? scalarValue(heap, c.tensor) : c.value);
    const [at, to] = [heap.offsetOf(x), heap.offsetOf(out)];
    simd.axpby(to, value(a), at, value(b), heap.offsetOf(y), n);
    return out;
  };
}

/** The wasm registrations of the fused vector kernels. */
export const VECTOR_KERNEL_CONFIGS: readonly KernelConfig[] = [
  { kernelName: FLOOD_SUM, backendName: WASM, kernelFunc: reductionKernel(FLOOD_SUM, 'value') },
  {
    kernelName: FLOOD_SUM_OF_SQUARES,
    backendName: WASM,
    kernelFunc: reductionKernel(FLOOD_SUM_OF_SQUARES, 'square'),
  },
  { kernelName: FLOOD_DOT, backendName: WASM, kernelFunc: reductionKernel(FLOOD_DOT, 'product') },
  { kernelName: FLOOD_AXPBY, backendName: WASM, kernelFunc: axpbyKernel(FLOOD_AXPBY) },
];

let holders = 0;
let registered: readonly KernelConfig[] = [];

/**
 * Registers {@link VECTOR_KERNEL_CONFIGS} for wasm (those not already registered)
 * and returns `undo`; the kernels are unregistered when every `undo` has been
 * called (calling one twice does nothing). `enableFastWasmTraining()` calls it.
 */
export function registerWasmVectorKernels(): () => void {
  if (holders === 0) {
    registered = VECTOR_KERNEL_CONFIGS.filter((c) => getKernel(c.kernelName, WASM) === undefined);
    for (const config of registered) registerKernel(config);
  }
  holders += 1;
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    holders -= 1;
    if (holders > 0) return;
    for (const config of registered) {
      if (getKernel(config.kernelName, WASM) === config) unregisterKernel(config.kernelName, WASM);
    }
    registered = [];
  };
}
