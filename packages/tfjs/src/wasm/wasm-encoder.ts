/**
 * A tiny WebAssembly binary encoder: just the sections and instructions the
 * vector kernels of `vector-simd.ts` need (no toolchain is used to build them).
 * Byte values follow the WebAssembly core specification 2.0 (binary format,
 * chapter 5) and the fixed-width SIMD proposal (opcodes after the `0xfd` prefix).
 *
 * @module
 */

/** A value type: `i32`, `f32` or `v128`. */
export const I32 = 0x7f;
/** 32-bit float value type. */
export const F32 = 0x7d;
/** 128-bit SIMD value type. */
export const V128 = 0x7b;

/** Unsigned LEB128 encoding of a non-negative integer (sizes, indices, counts). */
export function u32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 encoding of a 32-bit integer (`i32.const` operands). */
export function s32(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A UTF-8 name, length-prefixed. */
function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

/** A vector (count-prefixed concatenation) of encoded items. */
function vec(items: readonly number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

/** A section: its id, then its byte length, then its content. */
function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

/**
 * The instructions used, each returning its bytes. Loads and stores take a byte
 * `offset` (added to the address operand) and assume 4-byte alignment (the
 * alignment field is only a hint; unaligned accesses are still correct).
 */
export const op = {
  localGet: (i: number) => [0x20, ...u32(i)],
  localSet: (i: number) => [0x21, ...u32(i)],
  localTee: (i: number) => [0x22, ...u32(i)],
  i32Const: (v: number) => [0x41, ...s32(v)],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32Load: (offset = 0) => [0x2a, 2, ...u32(offset)],
  f32Store: (offset = 0) => [0x38, 2, ...u32(offset)],
  /** `block` with no result. */
  block: [0x02, 0x40],
  /** `loop` with no result. */
  loop: [0x03, 0x40],
  br: (depth: number) => [0x0c, ...u32(depth)],
  brIf: (depth: number) => [0x0d, ...u32(depth)],
  end: [0x0b],
  v128Load: (offset = 0) => [0xfd, ...u32(0x00), 2, ...u32(offset)],
  v128Store: (offset = 0) => [0xfd, ...u32(0x0b), 2, ...u32(offset)],
  f32x4Splat: [0xfd, ...u32(0x13)],
  f32x4ExtractLane: (lane: number) => [0xfd, ...u32(0x1f), lane],
  f32x4Add: [0xfd, ...u32(0xe4)],
  f32x4Mul: [0xfd, ...u32(0xe6)],
} as const;

/** One exported function of a module. */
export interface FunctionSpec {
  /** Export name. */
  readonly name: string;
  /** Parameter types (locals `0 … params.length − 1`). */
  readonly params: readonly number[];
  /** Result types (none or one). */
  readonly results: readonly number[];
  /** Types of the further locals, numbered after the parameters (zero-initialised). */
  readonly locals: readonly number[];
  /** The body's instructions (without the final `end`). */
  readonly body: readonly (readonly number[])[];
}

/**
 * A module that imports one linear memory as `env.memory` (any size, not shared)
 * and exports `functions` (one type per function, for simplicity).
 */
export function encodeModule(functions: readonly FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((t) => [t])),
    ...vec(f.results.map((t) => [t])),
  ]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...u32(0)];
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [...u32(1), t]));
    const code = [...locals, ...f.body.flat(), ...op.end];
    return [...u32(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec(types)),
    ...section(2, vec([memoryImport])),
    ...section(3, vec(functions.map((_, i) => u32(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)]))),
    ...section(10, vec(bodies)),
  ]);
}
