/**
 * Kernel launches and paired CPU time of single optimizer steps on wasm (MLP
 * 784-256-10, `enableFastWasmTraining()`), LookSAM's by their place in its
 * period: `node --expose-gc --single-threaded out/step-phases.js` after
 * `tsc -p bench/tsconfig.json`. `PHASE_PERIODS` periods are timed (default 40).
 * Only this model and the steps below are created, so a probe pass aliases the
 * non-trainable variables of these few optimizers only (the full bench's
 * process holds 28). Prints a Markdown table; writes nothing.
 */
import '@tensorflow/tfjs-backend-wasm';
import os from 'node:os';
import { flooding, lookSam, sam } from '@flood/tfjs';
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import { kernelAccount, kernelDiff } from './kernels.js';
import { createMlp } from './mlp.js';
import { medianInterval, timePaired } from './paired.js';
import { SETTINGS } from './steps.js';
import { collectGarbage, cpuClock } from './timing.js';

const PERIODS = Number(process.env.PHASE_PERIODS ?? 40);
const EVERY = SETTINGS.lookSamEvery;

tf.env().set('PROD', true);
await tf.setBackend('wasm');
await tf.ready();
enableFastWasmTraining();
const model = createMlp([784, 256, 10], 128);
const vars = model.variables;
const parameters = model.parameterBytes / 4;
const loss = () => model.loss();

for (const base of ['sgd', 'adam'] as const) {
  const make = () =>
    base === 'sgd'
      ? tf.train.sgd(SETTINGS.sgdLearningRate)
      : tf.train.adam(SETTINGS.adamLearningRate);
  const plain = make();
  const wrapped: Record<string, tf.Optimizer> = {
    flooding: flooding(make(), { level: SETTINGS.floodLevel }),
    SAM: sam(make(), { rho: SETTINGS.samRho }),
    LookSAM: lookSam(make(), { rho: SETTINGS.samRho, every: EVERY }),
  };
  const step = (o: tf.Optimizer) => () => {
    o.minimize(loss, false, vars);
  };
  for (const o of [plain, ...Object.values(wrapped)]) for (let i = 0; i < EVERY; i++) step(o)();
  const plainAccount = await kernelAccount(step(plain), parameters);
  console.log(`\n### ${base} (plain: ${plainAccount.kernels} kernels)\n`);
  console.log('| step | kernels | ratio to plain [95 % CI] | launches that differ from plain |');
  console.log('|---|---:|---:|---|');
  const rows: { name: string; run: () => void; calls: number }[] = [
    { name: 'flooding', run: step(wrapped.flooding!), calls: 1 },
    { name: 'SAM', run: step(wrapped.SAM!), calls: 1 },
  ];
  for (const { name, run } of rows) {
    const account = await kernelAccount(run, parameters);
    const paired = timePaired(run, step(plain), { pairs: PERIODS * 2, warmup: 2, now: cpuClock });
    const ratios = paired.task.map((t, i) => t / paired.reference[i]!);
    console.log(
      `| ${base} ${name} | ${account.kernels} | ${cell(ratios)} | ${kernelDiff(account, plainAccount)} |`,
    );
  }
  // LookSAM by phase: the optimizer's iteration count says where in the period a call falls.
  const look = wrapped.LookSAM!;
  const byPhase: number[][] = Array.from({ length: EVERY }, () => []);
  const accounts: [number, string][] = [];
  for (let i = 0; i < EVERY; i++) {
    const at = look.iterations % EVERY;
    const account = await kernelAccount(step(look), parameters);
    accounts[at] = [account.kernels, kernelDiff(account, plainAccount)];
  }
  for (let p = 0; p < PERIODS; p++) {
    if (p % 2 === 0) collectGarbage?.();
    for (let i = 0; i < EVERY; i++) {
      const at = look.iterations % EVERY;
      // Which of the two goes first alternates.
      const plainFirst = (p + i) % 2 === 0;
      const before = plainFirst ? time(step(plain)) : 0;
      const t = time(step(look));
      byPhase[at]!.push(t / (plainFirst ? before : time(step(plain))));
    }
  }
  byPhase.forEach((ratios, at) => {
    const [kernels, diff] = accounts[at]!;
    console.log(
      `| ${base} LookSAM t mod ${EVERY} = ${at} | ${kernels} | ${cell(ratios)} | ${diff} |`,
    );
  });
  const periodMeans = byPhase[0]!.map((_, i) => byPhase.reduce((s, r) => s + r[i]!, 0) / EVERY);
  console.log(`| ${base} LookSAM period mean | – | ${cell(periodMeans)} | |`);
  plain.dispose();
  for (const o of Object.values(wrapped)) o.dispose();
}
model.dispose();
console.log(
  `\nload average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join('/')}`,
);

function time(fn: () => void): number {
  const start = cpuClock();
  fn();
  return cpuClock() - start;
}

function cell(ratios: number[]): string {
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const [lo, hi] = medianInterval(ratios);
  return `${median.toFixed(3)} [${lo.toFixed(2)}, ${hi.toFixed(2)}]`;
}
