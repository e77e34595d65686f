/**
 * CPU time of the optimizers' parameter-sized vector operations on wasm, as
 * tfjs ops (what `@flood/tfjs` runs without the fused kernels) and as the fused
 * SIMD kernels `enableFastWasmTraining()` registers, on one 784×256 tensor and
 * on the MLP 784-256-10's four blocks (203,530 parameters):
 * `node --expose-gc --single-threaded out/vector-ops.js` after
 * `tsc -p bench/tsconfig.json`. Prints a Markdown table; writes nothing.
 */
import '@tensorflow/tfjs-backend-wasm';
import { tensorSpace } from '@flood/tfjs';
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import { collectGarbage, cpuClock } from './timing.js';

const CALLS = Number(process.env.VECTOR_CALLS ?? 400);
const ROUNDS = 7;

tf.env().set('PROD', true);
await tf.setBackend('wasm');
await tf.ready();

/** Median over rounds of the CPU microseconds per call of `fn` (its outputs freed, untimed GC). */
function time(fn: () => tf.Tensor | tf.Tensor[]): number {
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    collectGarbage?.();
    const start = cpuClock();
    for (let i = 0; i < CALLS; i++) tf.dispose(fn());
    perCall.push(((cpuClock() - start) * 1000) / CALLS);
  }
  return perCall.sort((a, b) => a - b)[ROUNDS >> 1]!;
}

const random = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 7);
const x = random([784, 256]);
const y = random([784, 256]);
const a = tf.scalar(0.3);
const b = tf.scalar(-1.7);
const rowsOf16 = (t: tf.Tensor) => tf.sum(tf.sum(tf.reshape(t, [t.size / 16, 16]), 1));
const blocks = [[784, 256], [256], [256, 10], [10]];
const variables = blocks.map((s) => tf.variable(random(s)));
const u = blocks.map((s) => random(s));
const space = tensorSpace(variables);

const rows: [string, () => tf.Tensor | tf.Tensor[], () => tf.Tensor | tf.Tensor[]][] = [
  [
    'Σx (rows of 16, then the rest)',
    () => tf.tidy(() => rowsOf16(x)),
    () => run('FloodSum', { x0: x }),
  ],
  [
    'Σx² (Square, rows of 16)',
    () => tf.tidy(() => rowsOf16(tf.square(x))),
    () => run('FloodSumOfSquares', { x0: x }),
  ],
  [
    '⟨x, y⟩ (Mul, rows of 16)',
    () => tf.tidy(() => rowsOf16(tf.mul(x, y))),
    () => run('FloodDot', { x0: x, y0: y }),
  ],
  [
    'a·x + b·y (Mul, Mul, Add)',
    () => tf.tidy(() => tf.add(tf.mul(x, a), tf.mul(y, b))),
    () => run('FloodAxpby', { a, x, b, y }),
  ],
];
function run(name: string, inputs: tf.NamedTensorMap): tf.Tensor {
  return tf.engine().runKernel(name, inputs) as tf.Tensor;
}
const spaceRows: [string, () => tf.Tensor | tf.Tensor[]][] = [
  ['space.norm(g), MLP (4 blocks)', () => space.norm(u)],
  ['space.dot(g, u), MLP', () => space.dot(u, variables)],
  ['space.axpby(1, g, c, u), MLP', () => space.axpby(1, u, a, variables)],
];

const undo = enableFastWasmTraining();
console.log('| operation | tfjs ops (µs) | fused kernel (µs) | ratio |');
console.log('|---|---|---|---|');
for (const [label, ops, fused] of rows) {
  const [t0, t1] = [time(ops), time(fused)];
  console.log(`| ${label} | ${t0.toFixed(0)} | ${t1.toFixed(0)} | ${(t1 / t0).toFixed(2)} |`);
}
const withKernels = spaceRows.map(([, fn]) => time(fn));
undo();
for (const [i, [label, fn]] of spaceRows.entries()) {
  const [t0, t1] = [time(fn), withKernels[i]!];
  console.log(`| ${label} | ${t0.toFixed(0)} | ${t1.toFixed(0)} | ${(t1 / t0).toFixed(2)} |`);
}
