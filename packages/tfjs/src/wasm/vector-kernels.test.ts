import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTerm,
  expectWithinRounding,
  live,
  oracle,
  values,
} from '../../test/wasm-kernel-check.js';
import {
  FLOOD_AXPBY,
  FLOOD_DOT,
  FLOOD_SUM,
  FLOOD_SUM_OF_SQUARES,
  fusedDot,
  fusedSum,
} from '../fused-ops.js';
import { sumAll, sumOfSquares } from '../reduce.js';
import { tensorSpace } from '../tensor-space.js';
import { enableFastWasmTraining } from './fast-training.js';
import { VECTOR_KERNEL_CONFIGS } from './vector-kernels.js';

const NAMES = [FLOOD_SUM, FLOOD_SUM_OF_SQUARES, FLOOD_DOT, FLOOD_AXPBY];

/** Float64 oracle of a whole-tensor reduction over blocks: Σ t(x, y) with Σ|t| and the term count. */
function reduced(xs: Float32Array[], ys: Float32Array[], t: (x: number, y: number) => number) {
  const o = oracle(1);
  for (const [k, x] of xs.entries())
    for (const [i, v] of x.entries()) addTerm(o, 0, t(v, ys[k]?.[i] ?? 0));
  return o;
}

/**
 * Runs kernel `name` through the engine on float32 tensors (numbers: scalars) and
 * `attrs`, and returns its values, checking for leaks.
 */
function run(
  name: string,
  inputs: Record<string, Float32Array | number>,
  attrs: tf.NamedAttrMap = {},
): Float32Array {
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [
      k,
      typeof v === 'number' ? tf.scalar(v) : tf.tensor1d(v),
    ]),
  );
  const before = live();
  const out = tf.engine().runKernel(name, tensors, attrs) as tf.Tensor;
  expect(live()).toEqual({ tensors: before.tensors + 1, buffers: before.buffers + 1 });
  const data = out.dataSync() as Float32Array;
  tf.dispose([out, ...Object.values(tensors)]);
  return data;
}

describe.runIf(tf.getBackend() === 'wasm')('fused vector kernels on wasm', () => {
  let undo: () => void;
  beforeAll(() => {
    undo = enableFastWasmTraining();
  });
  afterAll(() => undo());

  it('enableFastWasmTraining registers them for wasm only; the last undo removes them', () => {
    for (const name of NAMES) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    for (const name of NAMES) expect(tf.getKernel(name, 'cpu')).toBeUndefined();
    const second = enableFastWasmTraining();
    second();
    for (const name of NAMES) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    undo();
    for (const name of NAMES) expect(tf.getKernel(name, 'wasm')).toBeUndefined();
    const x = tf.tensor1d([1, 2]);
    expect(fusedSum(FLOOD_SUM, [x])).toBeUndefined(); // not registered: callers use plain ops
    x.dispose();
    undo = enableFastWasmTraining();
  });

  for (const sizes of [[0], [1], [3], [5, 0, 17], [1003], [200_003], [784 * 256, 256, 2570, 10]]) {
    it(`blocks of [${sizes}]: FloodSum, FloodSumOfSquares, FloodDot equal a float64 oracle to float32 rounding`, () => {
      const xs = sizes.map((n, k) => values(n, 1 + k));
      const ys = sizes.map((n, k) => values(n, 50 + k));
      const named = (prefix: string, arrays: Float32Array[]) =>
        Object.fromEntries(arrays.map((a, k) => [`${prefix}${k}`, a]));
      expectWithinRounding(
        run(FLOOD_SUM, named('x', xs)),
        reduced(xs, ys, (x) => x),
      );
      expectWithinRounding(
        run(FLOOD_SUM_OF_SQUARES, named('x', xs)),
        reduced(xs, ys, (x) => x * x),
      );
      expectWithinRounding(
        run(FLOOD_DOT, { ...named('x', xs), ...named('y', ys) }),
        reduced(xs, ys, (x, y) => x * y),
      );
    });
  }

  for (const n of [0, 1, 3, 13, 1003, 200_003]) {
    it(`n = ${n}: FloodAxpby equals tf.add(tf.mul(x, a), tf.mul(y, b)) bit for bit`, () => {
      const [x, y] = [values(n, 3), values(n, 4)];
      const [a, b] = [-0.3, 1.7];
      const want = tf.tidy(() => {
        const [tx, ty] = [tf.tensor1d(x), tf.tensor1d(y)];
        return tf.add(tf.mul(tx, a), tf.mul(ty, b)).dataSync();
      });
      expect(run(FLOOD_AXPBY, { a, x, b, y })).toEqual(want);
      expect(run(FLOOD_AXPBY, { x, y }, { a, b })).toEqual(want); // coefficients as attributes
      expect(run(FLOOD_AXPBY, { a, x, y }, { b })).toEqual(want);
    });
  }

  it('NaN and ±∞ propagate as in a plain float32 sum; an overflowing sum of squares is +∞', () => {
    const x = values(1003, 9);
    const poked = (i: number, v: number) => Float32Array.from(x, (xi, k) => (k === i ? v : xi));
    expect(run(FLOOD_SUM, { x0: x, x1: poked(7, Number.NaN) })[0]).toBeNaN();
    expect(run(FLOOD_SUM, { x0: poked(1002, Infinity) })[0]).toBe(Infinity);
    expect(run(FLOOD_SUM, { x0: poked(3, Infinity), x1: poked(1001, -Infinity) })[0]).toBeNaN();
    expect(run(FLOOD_SUM_OF_SQUARES, { x0: poked(3, -Infinity) })[0]).toBe(Infinity);
    expect(run(FLOOD_DOT, { x0: poked(1000, Number.NaN), y0: x })[0]).toBeNaN();
    expect(run(FLOOD_SUM_OF_SQUARES, { x0: new Float32Array(64).fill(3e18) })[0]).toBe(Infinity);
    // Two finite block totals whose float32 sum overflows.
    const big = new Float32Array(16).fill(2e37);
    expect(run(FLOOD_SUM, { x0: big, x1: big })[0]).toBe(Infinity);
  });

  it('refuses non-float32 data and mismatched pairs, naming the kernel', () => {
    const i = tf.tensor1d([1, 2], 'int32');
    const f = tf.tensor1d([1, 2, 3]);
    expect(() => tf.engine().runKernel(FLOOD_SUM, { x0: i })).toThrow(/FloodSum: float32/);
    const one = tf.tensor1d([1]);
    expect(() => tf.engine().runKernel(FLOOD_DOT, { x0: f, y0: one })).toThrow(
      /FloodDot: inputs x0, y0/,
    );
    expect(() => tf.engine().runKernel(FLOOD_AXPBY, { x: f, y: f }, { a: 1 })).toThrow(
      /FloodAxpby: needs input or attribute b/,
    );
    expect(() => tf.engine().runKernel(FLOOD_AXPBY, { a: f, x: f, y: f }, { b: 1 })).toThrow(
      /FloodAxpby: input a must be a float32 scalar/,
    );
    tf.dispose([i, f, one]);
  });

  it('falls back to the stock kernels on a shared (threaded-build) memory: same values, no leaked buffer', () => {
    const real = tf.backend() as unknown as { wasm: object; readSync(id: object): Float32Array };
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    // The real backend seen with a shared memory: every other field and method is the real one.
    const wasm = new Proxy(real.wasm, {
      get: (target, key) => (key === 'asm' ? { memory: shared } : Reflect.get(target, key)),
    });
    const threaded = Object.assign(Object.create(real), { wasm });
    const config = (name: string) => VECTOR_KERNEL_CONFIGS.find((c) => c.kernelName === name)!;
    const [x, y] = [values(1003, 5), values(1003, 6)];
    const [tx, ty, ta, tb] = [tf.tensor1d(x), tf.tensor1d(y), tf.scalar(0.5), tf.scalar(-2)];
    const before = live();
    const call = (name: string, inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap = {}) => {
      const out = config(name).kernelFunc({
        inputs,
        attrs,
        backend: threaded,
      }) as tf.TensorInfo;
      const data = real.readSync(out.dataId).slice();
      tf.backend().disposeData(out.dataId);
      return data;
    };
    expectWithinRounding(
      call(FLOOD_SUM, { x0: tx, x1: ty }),
      reduced([x, y], [], (v) => v),
    );
    expectWithinRounding(
      call(FLOOD_SUM_OF_SQUARES, { x0: tx }),
      reduced([x], [], (v) => v * v),
    );
    expectWithinRounding(
      call(FLOOD_DOT, { x0: tx, y0: ty }),
      reduced([x], [y], (v, w) => v * w),
    );
    expect(call(FLOOD_SUM, {})).toEqual(new Float32Array([0]));
    const axpby = Float32Array.from(x, (v, i) =>
      Math.fround(Math.fround(v * 0.5) + Math.fround(y[i]! * -2)),
    );
    expect(call(FLOOD_AXPBY, { a: ta, x: tx, b: tb, y: ty })).toEqual(axpby);
    expect(call(FLOOD_AXPBY, { x: tx, y: ty }, { a: 0.5, b: -2 })).toEqual(axpby);
    expect(live()).toEqual(before);
    tf.dispose([tx, ty, ta, tb]);
  });

  it('sumAll, sumOfSquares and tensorSpace run them (one kernel each), with the plain ops’ values', async () => {
    const w = [
      tf.variable(tf.tensor2d(values(784 * 8, 1), [784, 8])),
      tf.variable(tf.tensor1d(values(8, 2))),
    ];
    const space = tensorSpace(w);
    const u = w.map((v, k) => tf.tensor(values(v.size, 10 + k), v.shape));
    const minus3 = tf.scalar(-3);
    const kernels = async (f: () => tf.Tensor | tf.Tensor[]) => {
      const before = live();
      const info = await tf.profile(f);
      const out = info.result as tf.Tensor | tf.Tensor[];
      const data = (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync()));
      tf.dispose(out);
      expect(live()).toEqual(before);
      return { names: info.kernelNames, data };
    };
    const fused = {
      sum: await kernels(() => sumAll(u[0]!)),
      squares: await kernels(() => sumOfSquares(u[0]!)),
      norm: await kernels(() => space.norm(u)),
      dot: await kernels(() => space.dot(u, w)),
      axpby: await kernels(() => space.axpby(0.5, u, minus3, w)),
    };
    expect(fused.sum.names).toEqual([FLOOD_SUM]);
    expect(fused.squares.names).toEqual([FLOOD_SUM_OF_SQUARES]);
    expect(fused.norm.names).toEqual([FLOOD_SUM_OF_SQUARES, 'Sqrt']);
    expect(fused.dot.names).toEqual([FLOOD_DOT]);
    expect(fused.axpby.names).toContain(FLOOD_AXPBY);
    undo();
    const plain = {
      sum: await kernels(() => sumAll(u[0]!)),
      squares: await kernels(() => sumOfSquares(u[0]!)),
      norm: await kernels(() => space.norm(u)),
      dot: await kernels(() => space.dot(u, w)),
      axpby: await kernels(() => space.axpby(0.5, u, minus3, w)),
    };
    undo = enableFastWasmTraining();
    expect(plain.norm.names).not.toContain(FLOOD_SUM_OF_SQUARES);
    for (const key of ['sum', 'squares', 'norm', 'dot'] as const) {
      const [f, p] = [fused[key].data[0]![0]!, plain[key].data[0]![0]!];
      expect(Math.abs(f - p)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(p)));
    }
    expect(fused.axpby.data).toEqual(plain.axpby.data); // bit for bit
    tf.dispose([...w, ...u, minus3]);
  });
});

describe.runIf(tf.getBackend() === 'wasm')(
  'the non-finite guard through FloodSum (wasm, fast training)',
  () => {
    it('a step whose gradient has one non-finite entry is refused: weights bit for bit as before', async () => {
      const { flooding, lookSam, sam } = await import('../index.js');
      const undoFast = enableFastWasmTraining();
      try {
        for (const make of [
          () => flooding(tf.train.sgd(0.1), { level: 0.01 }),
          () => sam(tf.train.sgd(0.1), { rho: 0.05 }),
          () => lookSam(tf.train.sgd(0.1), { rho: 0.05, every: 2 }),
        ]) {
          const w = tf.variable(tf.tensor1d(values(1003, 9)));
          const before = tf.memory().numTensors;
          const optimizer = make();
          // √|w| is finite, its gradient at the zero entry is not (∞·0 = NaN).
          const poke = tf.tensor1d(
            Float32Array.from({ length: 1003 }, (_, i) => (i === 1000 ? 0 : 1)),
          );
          const loss = () => tf.sum(tf.sqrt(tf.abs(tf.mul(w, poke)))) as tf.Scalar;
          const start = w.dataSync().slice();
          optimizer.minimize(loss, false, [w]);
          expect(w.dataSync()).toEqual(start);
          poke.dispose();
          optimizer.dispose();
          expect(tf.memory().numTensors).toBe(before);
          w.dispose();
        }
      } finally {
        undoFast();
      }
    });
  },
);

describe('fused ops where the kernels are not registered (cpu)', () => {
  it('return undefined, so the plain ops are used', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      const x = tf.tensor1d([1, 2, 3]);
      expect(fusedSum(FLOOD_SUM_OF_SQUARES, [x])).toBeUndefined();
      expect(fusedDot([x], [x])).toBeUndefined();
      expect(sumOfSquares(x).dataSync()[0]).toBe(14);
      x.dispose();
    } finally {
      await tf.setBackend(previous);
    }
  });
});
