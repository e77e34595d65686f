/**
 * Exact Hessian-vector products through tfjs-layers Dense layers (tfjs's fused
 * matMul) against float64 oracles written without tfjs: closed forms for linear
 * least squares, and central differences of a hand-written gradient otherwise.
 * On wasm every case also runs with `enableFastWasmTraining` (re-registered
 * matMul kernels).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  type DenseNet,
  type DenseSpec,
  float32Values,
  netHessianVector,
  netKinkMargin,
  netLossAndGradient,
  netShapes,
} from '../test/dense-oracle.js';
import { exactHessianVectorProduct } from './exact-hvp.js';
import { gradientPenalty } from './gradient-penalty.js';
import { variablesObjective } from './variables-objective.js';
import { enableFastWasmTraining } from './wasm/fast-training.js';

const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  norm(Array.from(b, (x, i) => a[i]! - x)) / norm(b);
const flat = (ts: readonly tf.Tensor[]) => ts.flatMap((t) => Array.from(t.dataSync()));

/** Splits a flat vector into tensors of the given shapes (float32). */
function tensors(values: Float64Array, shapes: readonly number[][]): tf.Tensor[] {
  let offset = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(Float32Array.from(values.subarray(offset, offset + size)), shape);
    offset += size;
    return t;
  });
}

/** Rows of an `[n, cols]` matrix read from a flat vector. */
const rows = (values: Float64Array, cols: number) =>
  Array.from({ length: values.length / cols }, (_, i) =>
    Array.from(values.subarray(i * cols, (i + 1) * cols)),
  );

/** The op and kernel names recorded on a gradient tape while `loss` runs. */
function recordedOps(loss: () => tf.Scalar, variables: tf.Variable[]): Set<string> {
  const { state } = tf.engine() as unknown as { state: { activeTape: { kernelName: string }[] } };
  const names = new Set<string>();
  const { value, grads } = tf.variableGrads(() => {
    const start = state.activeTape.length;
    const y = loss();
    for (const node of state.activeTape.slice(start)) names.add(node.kernelName);
    return y;
  }, variables);
  tf.dispose([value, ...Object.values(grads)]);
  return names;
}

/** Runs `fn` with the wasm speed-up on (`fast`) or off. */
function withKernels<T>(fast: boolean, fn: () => T): T {
  const undo = fast ? enableFastWasmTraining() : undefined;
  try {
    return fn();
  } finally {
    undo?.();
  }
}

const modes = tf.getBackend() === 'wasm' ? [false, true] : [false];
const label = (fast: boolean) =>
  fast ? `${tf.getBackend()} + enableFastWasmTraining` : tf.getBackend();

/** A network on 6 samples of 3 inputs, at float32-exact weights, with its tfjs-layers twin. */
function denseProblem(layers: readonly DenseSpec[]) {
  const n = 6;
  const inputs = 3;
  const outputs = layers[layers.length - 1]!.units;
  const xs = float32Values(n * inputs, 11);
  const ys = float32Values(n * outputs, 12);
  const net: DenseNet = { inputs, layers, x: rows(xs, inputs), y: rows(ys, outputs) };
  const shapes = netShapes(net);
  const size = shapes.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
  const theta = float32Values(size, 5).map((t) => Math.fround(1.5 * t));
  const model = tfl.sequential({
    layers: layers.map((l, i) =>
      tfl.layers.dense({
        units: l.units,
        activation: l.activation,
        useBias: l.bias,
        ...(i === 0 ? { inputShape: [inputs] } : {}),
      }),
    ),
  });
  const weights = tensors(theta, shapes);
  model.setWeights(weights);
  tf.dispose(weights);
  const x = tf.tensor2d(Float32Array.from(xs), [n, inputs]);
  const y = tf.tensor2d(Float32Array.from(ys), [n, outputs]);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = () =>
    tf.tidy(() => tf.mean(tf.square(tf.sub(model.apply(x) as tf.Tensor, y))) as tf.Scalar);
  return {
    net,
    theta,
    shapes,
    model,
    variables,
    loss,
    dispose: () => {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

const stacks: [string, DenseSpec[]][] = [
  ['linear with bias', [{ units: 2, activation: 'linear', bias: true }]],
  ['linear without bias', [{ units: 2, activation: 'linear', bias: false }]],
  [
    'linear → linear (cross terms through the saved input)',
    [
      { units: 3, activation: 'linear', bias: true },
      { units: 2, activation: 'linear', bias: true },
    ],
  ],
  [
    'relu → relu → linear',
    [
      { units: 4, activation: 'relu', bias: true },
      { units: 3, activation: 'relu', bias: false },
      { units: 1, activation: 'linear', bias: true },
    ],
  ],
  [
    'softplus (fused matMul, then bias and softplus) → linear',
    [
      { units: 4, activation: 'softplus', bias: true },
      { units: 2, activation: 'linear', bias: false },
    ],
  ],
];

describe(`exact products through tfjs-layers Dense (fused matMul) on ${tf.getBackend()}`, () => {
  const cases = modes.flatMap((fast) =>
    stacks.map(([name, layers]) => ({ name, layers, fast, kernels: label(fast) })),
  );

  it.each(cases)('$name ($kernels) matches float64 central differences', ({ layers, fast }) => {
    const p = denseProblem(layers);
    expect(netKinkMargin(p.net, p.theta)).toBeGreaterThan(1e-3); // far from a ReLU kink
    expect(recordedOps(p.loss, p.variables).has('fusedMatMul__op')).toBe(true);
    const v = float32Values(p.theta.length, 9);
    const vt = tensors(v, p.shapes);
    const oracle = netLossAndGradient(p.net, p.theta);
    const objective = variablesObjective(p.loss, p.variables, { exactHessian: true });
    const n = tf.memory().numTensors;
    const { product, gradient, loss } = withKernels(fast, () => {
      const e = objective.evaluate();
      return { product: objective.hessianVectorProduct!(vt), ...e };
    });
    // The oracle's gradient agrees with tfjs's first-order one (checks the oracle).
    expect(Math.abs(loss.dataSync()[0]! - oracle.loss) / oracle.loss).toBeLessThan(1e-5);
    expect(relativeError(flat(gradient), oracle.gradient)).toBeLessThan(1e-5);
    const expected = netHessianVector(p.net, p.theta, v);
    expect(norm(expected)).toBeGreaterThan(0.1);
    expect(relativeError(flat(product), expected)).toBeLessThan(1e-5); // measured ≤ 2e-7
    tf.dispose([loss, ...gradient, ...product]);
    expect(tf.memory().numTensors).toBe(n);
    tf.dispose(vt);
    p.dispose();
  });

  it.each(modes.map((fast) => ({ fast, kernels: label(fast) })))(
    'linear least squares ($kernels): the closed-form Hessian',
    ({ fast }) => {
      // L = ‖XW + 1bᵀ − Y‖²/(nm), so H·(V, c) = (2/(nm))·(Xᵀ R, 1ᵀ R) with R = XV + 1cᵀ.
      const p = denseProblem([{ units: 2, activation: 'linear', bias: true }]);
      const v = float32Values(p.theta.length, 21);
      const vt = tensors(v, p.shapes);
      const { x } = p.net;
      const [d, m] = p.shapes[0] as [number, number];
      const r = x.map((row) =>
        Array.from({ length: m }, (_, j) =>
          row.reduce((s, xi, i) => s + xi * v[i * m + j]!, v[d * m + j]!),
        ),
      );
      const scale = 2 / (x.length * m);
      const expected = [
        ...Array.from({ length: d * m }, (_, k) => {
          const [i, j] = [Math.floor(k / m), k % m];
          return scale * x.reduce((s, row, n) => s + row[i]! * r[n]![j]!, 0);
        }),
        ...Array.from({ length: m }, (_, j) => scale * r.reduce((s, row) => s + row[j]!, 0)),
      ];
      const product = withKernels(fast, () => exactHessianVectorProduct(p.loss, p.variables, vt));
      expect(relativeError(flat(product), expected)).toBeLessThan(1e-5);
      tf.dispose([...product, ...vt]);
      p.dispose();
    },
  );

  it('a relu Dense runs as matMul, add and relu on a tape (tfjs fuses only linear there)', () => {
    const p = denseProblem([{ units: 2, activation: 'relu', bias: true }]);
    const ops = recordedOps(p.loss, p.variables);
    expect(ops.has('fusedMatMul__op')).toBe(false);
    expect(['BatchMatMul', 'Add', 'Relu'].every((op) => ops.has(op))).toBe(true);
    p.dispose();
  });
});

/** `op(M)`: `M` or its transpose. */
const op = (m: number[][], transpose: boolean) =>
  transpose ? m[0]!.map((_, j) => m.map((row) => row[j]!)) : m;
const matMul = (a: number[][], b: number[][]) =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));

/** `tf.fused.matMul` cases: transposes, a bias or not, batch 1 or 2, op(A) m×k, op(B) k×n. */
const fusedCases = [false, true].flatMap((bias) =>
  [
    [false, false, 1, 4, 3, 2],
    [false, true, 1, 4, 3, 2],
    [true, false, 1, 4, 3, 2],
    [true, true, 1, 4, 3, 2],
    [false, false, 2, 4, 3, 2],
    // Square: a transposed product has the shapes of an untransposed one.
    [false, true, 1, 3, 3, 3],
  ].map(([transposeA, transposeB, batch, m, k, n]) => ({
    transposeA: transposeA as boolean,
    transposeB: transposeB as boolean,
    batch: batch as number,
    dims: [m, k, n] as [number, number, number],
    bias,
  })),
);

describe(`tf.fused.matMul with transposes, bias and batches on ${tf.getBackend()}`, () => {
  it.each(fusedCases)(
    'transposeA $transposeA, transposeB $transposeB, batch $batch, op(A)·op(B) $dims, bias $bias',
    ({ transposeA: ta, transposeB: tb, batch, dims: [m, k, n], bias: withBias }) => {
      // L = mean((op(A_i)·op(B_i) + c − Y_i)²) over batches i, op(A_i) m×k, op(B_i) k×n.
      const shapeA = ta ? [k, m] : [m, k];
      const shapeB = tb ? [n, k] : [k, n];
      const shapes = [[batch, ...shapeA], [batch, ...shapeB], ...(withBias ? [[n]] : [])];
      const y = Array.from({ length: batch }, (_, i) => rows(float32Values(m * n, 31 + i), n));
      const count = m * n * batch;
      const [sizeA, sizeB] = [m * k, k * n];
      const columns = Array.from({ length: n }, (_, j) => j);
      const gradientAt = (theta: Float64Array) => {
        const offset = (sizeA + sizeB) * batch;
        const c = withBias ? theta.subarray(offset, offset + n) : new Float64Array(n);
        const parts = y.map((yi, i) => {
          const oa = op(rows(theta.subarray(sizeA * i, sizeA * (i + 1)), shapeA[1]!), ta);
          const startB = sizeA * batch + sizeB * i;
          const ob = op(rows(theta.subarray(startB, startB + sizeB), shapeB[1]!), tb);
          const dC = matMul(oa, ob).map((row, r) =>
            row.map((z, j) => (2 * (z + c[j]! - yi[r]![j]!)) / count),
          );
          return {
            dA: op(matMul(dC, op(ob, true)), ta).flat(),
            dB: op(matMul(op(oa, true), dC), tb).flat(),
            dc: columns.map((j) => dC.reduce((s, r) => s + r[j]!, 0)),
          };
        });
        return Float64Array.from([
          ...parts.flatMap((q) => q.dA),
          ...parts.flatMap((q) => q.dB),
          ...(withBias ? columns.map((j) => parts.reduce((s, q) => s + q.dc[j]!, 0)) : []),
        ]);
      };
      const size = (sizeA + sizeB) * batch + (withBias ? n : 0);
      const theta = float32Values(size, 41);
      const v = float32Values(size, 43);
      const h = 1e-5;
      const plus = gradientAt(theta.map((t, i) => t + h * v[i]!));
      const minus = gradientAt(theta.map((t, i) => t - h * v[i]!));
      const expected = plus.map((g, i) => (g - minus[i]!) / (2 * h));
      const vars = tensors(theta, shapes).map((t) => tf.variable(t));
      const yt = tf.tensor3d(Float32Array.from(y.flat(2)), [batch, m, n]);
      const [a, b, bias] = vars as [tf.Variable, tf.Variable, tf.Variable | undefined];
      const loss = () =>
        tf.tidy(() => {
          const z = tf.fused.matMul({
            a,
            b,
            transposeA: ta,
            transposeB: tb,
            ...(bias ? { bias } : {}),
          });
          return tf.mean(tf.square(tf.sub(z, yt))) as tf.Scalar;
        });
      expect(recordedOps(loss, vars).has('fusedMatMul__op')).toBe(true);
      const vt = tensors(v, shapes);
      for (const fast of modes) {
        // tfjs-backend-wasm adds a bias wrongly off its XNNPACK path (transposed or
        // batched); enableFastWasmTraining's kernel computes batch-1 products
        // untransposed.
        const wrongOnWasm = withBias && (batch > 1 || (!fast && (ta || tb)));
        if (tf.getBackend() === 'wasm' && wrongOnWasm) {
          const n = tf.memory().numTensors;
          expect(() => withKernels(fast, () => exactHessianVectorProduct(loss, vars, vt))).toThrow(
            /not supported for this loss.*fusedMatMul \(with a bias/,
          );
          expect(tf.memory().numTensors).toBe(n);
          continue;
        }
        const product = withKernels(fast, () => exactHessianVectorProduct(loss, vars, vt));
        expect(relativeError(flat(product), expected), label(fast)).toBeLessThan(1e-5);
        tf.dispose(product);
      }
      tf.dispose([...vars, ...vt, yt]);
    },
  );

  it.runIf(tf.getBackend() === 'wasm')(
    'watches the wasm _FusedMatMul only during the check: the registration is put back, also after a refusal',
    () => {
      const w = tf.variable(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]));
      const bias = tf.tensor1d([1, -1]);
      const x = tf.ones([2, 2, 2]);
      const loss = () =>
        tf.tidy(() => tf.sum(tf.square(tf.fused.matMul({ a: x, b: w, bias }))) as tf.Scalar);
      const v = [tf.onesLike(w)];
      for (const fast of modes) {
        withKernels(fast, () => {
          const registered = tf.getKernel('_FusedMatMul', 'wasm');
          expect(() => exactHessianVectorProduct(loss, [w], v)).toThrow(/batched/);
          expect(tf.getKernel('_FusedMatMul', 'wasm')).toBe(registered);
        });
      }
      tf.dispose([w, bias, x, ...v]);
    },
  );

  it("why: tfjs-backend-wasm's slow path adds a fused bias wrongly (cpu: right)", () => {
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const bias = tf.tensor1d([100, 200]);
    const z = tf.fused.matMul({ a, b, transposeA: true, bias });
    // aᵀ·b + bias = [[101, 203], [102, 204]]; wasm adds bias[min(i·n + j, 1)] instead.
    const expected = tf.getBackend() === 'wasm' ? [101, 203, 202, 204] : [101, 203, 102, 204];
    expect(Array.from(z.dataSync())).toEqual(expected);
    tf.dispose([a, b, bias, z]);
  });
});

describe(`gradientPenalty method 'exact' in model.trainOnBatch on ${tf.getBackend()}`, () => {
  it('trains a linear Dense model by the closed-form step g + 2λ·H·g', async () => {
    // L = ‖Xw + b − y‖²/n: g = (2/n)(Xᵀr, 1ᵀr) and H·g = (2/n)(Xᵀs, 1ᵀs) with s = X g_w + g_b.
    const x = [
      [0.5, -1],
      [1.5, 0.2],
      [-0.3, 0.8],
    ];
    const y = [0.2, 1, -0.4];
    const w = [0.3, -0.6];
    const b = 0.1;
    const lambda = 0.05;
    const lr = 0.1;
    const n = x.length;
    const back = (e: number[]) => [
      ...[0, 1].map((i) => (2 / n) * x.reduce((s, row, k) => s + row[i]! * e[k]!, 0)),
      (2 / n) * e.reduce((s, ek) => s + ek, 0),
    ];
    const g = back(x.map((row, k) => row[0]! * w[0]! + row[1]! * w[1]! + b - y[k]!));
    const hg = back(x.map((row) => row[0]! * g[0]! + row[1]! * g[1]! + g[2]!));
    const expected = [...w, b].map((t, i) => t - lr * (g[i]! + 2 * lambda * hg[i]!));
    const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
    m.setWeights([tf.tensor2d(w, [2, 1]), tf.tensor1d([b])]);
    m.compile({
      optimizer: gradientPenalty(tf.train.sgd(lr), { coefficient: lambda, method: 'exact' }),
      loss: 'meanSquaredError',
    });
    const xt = tf.tensor2d(x);
    const yt = tf.tensor2d(y, [n, 1]);
    await m.trainOnBatch(xt, yt);
    expect(relativeError(flat(m.getWeights()), expected)).toBeLessThan(1e-6);
    const before = tf.memory().numTensors; // the first step sets up tfjs-layers' train function
    await m.trainOnBatch(xt, yt);
    expect(tf.memory().numTensors).toBe(before);
    m.optimizer.dispose();
    m.dispose();
    tf.dispose([xt, yt]);
  });
});
