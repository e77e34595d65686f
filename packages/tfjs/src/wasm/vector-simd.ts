/**
 * Fused SIMD loops over float32 arrays in the wasm backend's own memory: the
 * whole-vector reductions and linear combinations the optimizers run every step
 * (‖g‖², ⟨g, u⟩, Σg, `a·x + b·y`), each one pass over its operands.
 *
 * tfjs-backend-wasm 4.22 computes `Σ xᵢ²` as a `Square` pass and a `Sum` pass,
 * the latter with one scalar accumulator (one float addition latency per entry),
 * and `a·x + b·y` as three passes. The loops here are written directly in
 * WebAssembly (encoded by `wasm-encoder.ts`), instantiated once per backend
 * memory, and address tensors by their byte offsets in it.
 *
 * Accumulation is in float32, in 32 independent lanes (8 `f32x4` accumulators)
 * that are added pairwise at the end, then the tail entries (at most 31) one by
 * one. Float32 rather than float64 after promotion because it keeps the
 * semantics of a plain float32 sum (an overflowing sum of squares is `+∞`,
 * `∞ − ∞` is NaN, a NaN anywhere is NaN), and because its error bound,
 * `(n/32 + 36)·u·Σ|xᵢ|` (u = 2⁻²⁴), is already tighter than that of the stock
 * single-accumulator `Sum` (`n·u·Σ|xᵢ|`) and close to `sumAll`'s rows of 16
 * (`(n/16 + 16)·u·Σ|xᵢ|`), at about a third of the instructions per entry of a
 * promoting loop. WebAssembly SIMD has no fused multiply-add, so
 * `a·x + b·y` rounds each product and then the sum, bit for bit as
 * `tf.add(tf.mul(x, a), tf.mul(y, b))`.
 *
 * @module
 */
import { encodeModule, F32, type FunctionSpec, I32, op, V128 } from './wasm-encoder.js';

/** Independent `f32x4` accumulators of a reduction (32 lanes). */
const ACCUMULATORS = 8;
/** Bytes one reduction iteration reads from each operand. */
const STRIDE = ACCUMULATORS * 16;

/** What a reduction adds per entry: `xᵢ`, `xᵢ²` or `xᵢ·yᵢ`. */
type Term = 'value' | 'square' | 'product';

/**
 * `(x[, y], n) → f32`: the sum of `term` over `n` float32 entries at byte
 * addresses `x` (and `y`). Locals: parameters, then `end`, `endBlocks`, a
 * temporary, the accumulators and the scalar total.
 */
function reduction(name: string, term: Term): FunctionSpec {
  const two = term === 'product';
  const [x, y] = [0, 1];
  const n = two ? 2 : 1;
  const end = n + 1;
  const endBlocks = n + 2;
  const tmp = n + 3; // a v128 (a loaded vector, to square it); tmp + 1: an f32 (a loaded entry)
  const acc = (k: number) => n + 5 + k;
  const total = n + 5 + ACCUMULATORS;
  const vectorTerm = (offset: number) =>
    term === 'value'
      ? [op.localGet(x), op.v128Load(offset)]
      : term === 'square'
        ? [op.localGet(x), op.v128Load(offset), op.localTee(tmp), op.localGet(tmp), op.f32x4Mul]
        : [op.localGet(x), op.v128Load(offset), op.localGet(y), op.v128Load(offset), op.f32x4Mul];
  const scalarTerm =
    term === 'value'
      ? [op.localGet(x), op.f32Load()]
      : term === 'square'
        ? [op.localGet(x), op.f32Load(), op.localTee(tmp + 1), op.localGet(tmp + 1), op.f32Mul]
        : [op.localGet(x), op.f32Load(), op.localGet(y), op.f32Load(), op.f32Mul];
  const advance = (bytes: number) =>
    (two ? [x, y] : [x]).flatMap((p) => [
      op.localGet(p),
      op.i32Const(bytes),
      op.i32Add,
      op.localSet(p),
    ]);
  // Pairwise combination of the accumulators into acc(0), then of its lanes.
  const combine: (readonly number[])[] = [];
  for (let width = ACCUMULATORS / 2; width >= 1; width /= 2) {
    for (let k = 0; k < width; k++) {
      combine.push(
        op.localGet(acc(k)),
        op.localGet(acc(k + width)),
        op.f32x4Add,
        op.localSet(acc(k)),
      );
    }
  }
  const lane = (i: number) => [op.localGet(acc(0)), op.f32x4ExtractLane(i)];
  return {
    name,
    params: two ? [I32, I32, I32] : [I32, I32],
    results: [F32],
    locals: [I32, I32, V128, F32, ...Array<number>(ACCUMULATORS).fill(V128), F32],
    body: [
      ...[op.localGet(x), op.localGet(n), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(end)],
      ...[op.localGet(x), op.localGet(n), op.i32Const(-(STRIDE / 4)), op.i32And],
      ...[op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(endBlocks)],
      op.block,
      op.loop,
      ...[op.localGet(x), op.localGet(endBlocks), op.i32GeU, op.brIf(1)],
      ...Array.from({ length: ACCUMULATORS }, (_, k) => [
        op.localGet(acc(k)),
        ...vectorTerm(16 * k),
        op.f32x4Add,
        op.localSet(acc(k)),
      ]).flat(),
      ...advance(STRIDE),
      op.br(0),
      op.end,
      op.end,
      ...combine,
      ...[...lane(0), ...lane(1), op.f32Add, ...lane(2), ...lane(3), op.f32Add, op.f32Add],
      op.localSet(total),
      op.block,
      op.loop,
      ...[op.localGet(x), op.localGet(end), op.i32GeU, op.brIf(1)],
      ...[op.localGet(total), ...scalarTerm, op.f32Add, op.localSet(total)],
      ...advance(4),
      op.br(0),
      op.end,
      op.end,
      op.localGet(total),
    ],
  };
}

/** Float32 entries per iteration of the `axpby` loop (two `f32x4`). */
const LANES = 8;

/**
 * `(out, a, x, b, y, n)`: `out[i] = a·x[i] + b·y[i]` for `n` float32 entries at byte
 * addresses `out`, `x`, `y` (scalars `a`, `b`).
 */
function axpby(name: string): FunctionSpec {
  const [out, a, x, b, y, n] = [0, 1, 2, 3, 4, 5];
  const [end, endBlocks, va, vb] = [6, 7, 8, 9];
  const advance = (bytes: number) =>
    [out, x, y].flatMap((p) => [op.localGet(p), op.i32Const(bytes), op.i32Add, op.localSet(p)]);
  const vectorValue = (offset: number) => [
    ...[op.localGet(x), op.v128Load(offset), op.localGet(va), op.f32x4Mul],
    ...[op.localGet(y), op.v128Load(offset), op.localGet(vb), op.f32x4Mul, op.f32x4Add],
  ];
  const scalarValue = [
    ...[op.localGet(x), op.f32Load(), op.localGet(a), op.f32Mul],
    ...[op.localGet(y), op.f32Load(), op.localGet(b), op.f32Mul, op.f32Add],
  ];
  return {
    name,
    params: [I32, F32, I32, F32, I32, I32],
    results: [],
    locals: [I32, I32, V128, V128],
    body: [
      ...[op.localGet(out), op.localGet(n), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(end)],
      ...[op.localGet(out), op.localGet(n), op.i32Const(-LANES), op.i32And],
      ...[op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(endBlocks)],
      ...[op.localGet(a), op.f32x4Splat, op.localSet(va)],
      ...[op.localGet(b), op.f32x4Splat, op.localSet(vb)],
      op.block,
      op.loop,
      ...[op.localGet(out), op.localGet(endBlocks), op.i32GeU, op.brIf(1)],
      ...[op.localGet(out), ...vectorValue(0), op.v128Store(0)],
      ...[op.localGet(out), ...vectorValue(16), op.v128Store(16)],
      ...advance(4 * LANES),
      op.br(0),
      op.end,
      op.end,
      op.block,
      op.loop,
      ...[op.localGet(out), op.localGet(end), op.i32GeU, op.brIf(1)],
      ...[op.localGet(out), ...scalarValue, op.f32Store()],
      ...advance(4),
      op.br(0),
      op.end,
      op.end,
    ],
  };
}

/**
 * The module's bytes: exports `sum(x, n)`, `sumOfSquares(x, n)`, `dot(x, y, n)`
 * (float32 results) and `axpby(out, a, x, b, y, n)`, with byte addresses in the imported memory `env.memory`.
 */
export const VECTOR_MODULE: Uint8Array<ArrayBuffer> = encodeModule([
  reduction('sum', 'value'),
  reduction('sumOfSquares', 'square'),
  reduction('dot', 'product'),
  axpby('axpby'),
]);

/** The instantiated loops; addresses are byte offsets of float32 arrays, `n` their length. */
export interface VectorSimd {
  /** `Σ xᵢ` (float32 accumulation, see the module comment). */
  sum(x: number, n: number): number;
  /** `Σ xᵢ²`. */
  sumOfSquares(x: number, n: number): number;
  /** `Σ xᵢ·yᵢ`. */
  dot(x: number, y: number, n: number): number;
  /** `out ← a·x + b·y`, each entry rounded as `fl(fl(a·xᵢ) + fl(b·yᵢ))`. */
  axpby(out: number, a: number, x: number, b: number, y: number, n: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, VectorSimd | null>();

/**
 * The loops of `bytes` (default {@link VECTOR_MODULE}) working in `memory`, made
 * once per memory, or `undefined` where they cannot run: a shared memory (the
 * threaded wasm build, whose memory a non-shared import cannot take) or an engine
 * without WebAssembly SIMD (the module does not validate). Synchronous compilation
 * is fine: the module is well under the 4 KB browsers allow on the main thread.
 */
export function vectorSimdFor(
  memory: WebAssembly.Memory,
  bytes: Uint8Array<ArrayBuffer> = VECTOR_MODULE,
): VectorSimd | undefined {
  const known = bytes === VECTOR_MODULE ? instances.get(memory) : undefined;
  if (known !== undefined) return known ?? undefined;
  let made: VectorSimd | null = null;
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  if (!shared && WebAssembly.validate(bytes)) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      made = instance.exports as unknown as VectorSimd;
    } catch {
      made = null;
    }
  }
  if (bytes === VECTOR_MODULE) instances.set(memory, made);
  return made ?? undefined;
}
