import { describe, expect, it } from 'vitest';
import { encodeModule, F32, I32, op, s32, u32 } from './wasm-encoder.js';

describe('wasm-encoder', () => {
  it('LEB128: the specification’s examples and the edges of each byte count', () => {
    expect(u32(0)).toEqual([0]);
    expect(u32(127)).toEqual([0x7f]);
    expect(u32(128)).toEqual([0x80, 0x01]);
    expect(u32(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(u32(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(s32(0)).toEqual([0]);
    expect(s32(63)).toEqual([0x3f]);
    expect(s32(64)).toEqual([0xc0, 0x00]);
    expect(s32(-1)).toEqual([0x7f]);
    expect(s32(-64)).toEqual([0x40]);
    expect(s32(-65)).toEqual([0xbf, 0x7f]);
    expect(s32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(s32(-(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('an empty module and a small one validate; the small one runs over the imported memory', () => {
    expect(WebAssembly.validate(encodeModule([]))).toBe(true);
    const bytes = encodeModule([
      // (x, i) → x + f32[i·4] + f32[i·4 + 4]: parameters, loads at an offset, i32 and f32 arithmetic.
      {
        name: 'f',
        params: [F32, I32],
        results: [F32],
        locals: [I32],
        body: [
          ...[op.localGet(1), op.i32Const(2), op.i32Shl, op.localTee(2)],
          ...[op.f32Load(), op.localGet(0), op.f32Add, op.localGet(2), op.f32Load(4), op.f32Add],
        ],
      },
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    new Float32Array(memory.buffer).set([10, 20, 30, 40]);
    const { f } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
      .exports as { f: (x: number, i: number) => number };
    expect(f(0.5, 1)).toBe(50.5);
    expect(f(1, 2)).toBe(71);
  });
});
