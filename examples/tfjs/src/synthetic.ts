/**
 * `node dist/synthetic.js`: Ishida et al.'s synthetic protocol — Two Gaussians,
 * Sinusoid2d and Spiral with flipped labels, 100 training / 100 validation /
 * 20 000 clean test points, the official code's MLP (4 × [Dense, BatchNorm,
 * ReLU]), Adam(1e-3), full batch, 500 epochs; the flood level chosen by the
 * best validation accuracy at the last epoch (b = 0 included, as their code
 * does), over several seeds, reported with 95 % intervals.
 *
 * Flags: --dataset gaussians|sinusoid|spiral (default all), --seeds N (10),
 * --epochs N (500), --width N (500), --noise R (0.1), --levels b,b,… (0,0.1,0.2,0.25;
 * the noisy-label entropy H is always added), --out FILE.json.
 */
import { writeFileSync } from 'node:fs';
import { flooding } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { setupBackend } from './backend.js';
import type { Dataset } from './data/dataset.js';
import { sinusoid2d } from './data/sinusoid.js';
import { spiral, twoGaussians } from './data/synthetic.js';
import { evaluate } from './evaluate.js';
import { noisyLabelEntropy } from './noise.js';
import { mulberry32 } from './random.js';
import { chooseLevel } from './results.js';
import { formatPoints, pairedComparison, tInterval } from './stats/interval.js';
import { disposeDeviceData, toDevice } from './tensors.js';
import { trainRun } from './train.js';

type Name = 'gaussians' | 'sinusoid' | 'spiral';
const MAKERS: Record<Name, (n: number, noise: number, seed: number) => Dataset> = {
  gaussians: (n, noise, seed) => twoGaussians(n, noise, mulberry32(seed)),
  sinusoid: (n, noise, seed) => sinusoid2d(n, noise, mulberry32(seed)),
  spiral: (n, noise, seed) => spiral(n, noise, mulberry32(seed)),
};

/** The official code's `mlp_model`: 4 × [Dense(width, no bias), BatchNorm, ReLU], Dense(classes). */
function paperMlp(inputs: number, width: number, classes: number, seed: number): tfl.LayersModel {
  const model = tfl.sequential();
  for (let i = 0; i < 4; i++) {
    model.add(
      tfl.layers.dense({
        units: width,
        useBias: false,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }),
        ...(i === 0 ? { inputShape: [inputs] } : {}),
      }),
    );
    model.add(tfl.layers.batchNormalization());
    model.add(tfl.layers.activation({ activation: 'relu' }));
  }
  model.add(
    tfl.layers.dense({
      units: classes,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 4 }),
    }),
  );
  return model;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const backend = await setupBackend('wasm', true);
  const datasets = flag('--dataset', 'gaussians,sinusoid,spiral').split(',') as Name[];
  const seeds = Number(flag('--seeds', '10'));
  const epochs = Number(flag('--epochs', '500'));
  const width = Number(flag('--width', '500'));
  const noise = Number(flag('--noise', '0.1'));
  const out = flag('--out', 'out/synthetic.json');
  const entropyLevel = Math.round(100 * noisyLabelEntropy(noise, 2)) / 100;
  const levels = [
    ...new Set([...flag('--levels', '0,0.1,0.2,0.25').split(',').map(Number), entropyLevel]),
  ];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const results: object[] = [];
  console.log(
    `synthetic protocol: ${datasets.join(', ')}; ${seeds} seeds, ${epochs} epochs, width ${width}, noise ${noise}, levels ${levels.join(', ')}; backend ${backend.name}`,
  );
  for (const name of datasets) {
    const make = MAKERS[name];
    if (!make) throw new RangeError(`--dataset must be gaussians, sinusoid or spiral, got ${name}`);
    const plain: number[] = [];
    const flood: number[] = [];
    const chosen: number[] = [];
    for (let s = 1; s <= seeds; s++) {
      const seed = 1000 * s;
      const train = toDevice(make(100, noise, seed));
      const validation = toDevice(make(100, noise, seed + 1));
      const test = toDevice(make(20_000, 0, seed + 2));
      const grid: {
        level: number;
        validationAccuracy: number;
        validationLoss: number;
        test: number;
      }[] = [];
      for (const level of levels) {
        const model = paperMlp(train.x.shape[1], width, 2, seed);
        const base = tf.train.adam(1e-3);
        const optimizer = level === 0 ? base : flooding(base, { level });
        await trainRun(model, optimizer, train, { epochs, batchSize: 100, seed });
        const v = await evaluate(model, validation);
        const t = await evaluate(model, test);
        grid.push({
          level,
          validationAccuracy: v.accuracy,
          validationLoss: v.loss,
          test: t.accuracy,
        });
        optimizer.dispose();
        model.dispose();
      }
      const b = chooseLevel(grid);
      chosen.push(b);
      plain.push(grid[0]!.test);
      flood.push(grid.find((g) => g.level === b)!.test);
      results.push({ dataset: name, seed, grid, chosen: b });
      for (const d of [train, validation, test]) disposeDeviceData(d);
      console.log(
        `${name} seed ${seed}: plain ${(100 * plain.at(-1)!).toFixed(2)} %, flooding b=${b} ${(100 * flood.at(-1)!).toFixed(2)} % (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
    const p = tInterval(plain);
    const f = tInterval(flood);
    const d = pairedComparison(
      { name: 'flooding', values: flood },
      { name: 'plain', values: plain },
    );
    console.log(
      `| ${name} | ${(100 * p.mean).toFixed(2)} [${(100 * p.low).toFixed(2)}, ${(100 * p.high).toFixed(2)}] | ${(100 * f.mean).toFixed(2)} [${(100 * f.low).toFixed(2)}, ${(100 * f.high).toFixed(2)}] | ${formatPoints(d.difference)} (${d.outcome}) | ${chosen.join(', ')} |`,
    );
  }
  const usage = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (usage.user + usage.system) / 1e6;
  writeFileSync(
    out,
    `${JSON.stringify({ datasets, seeds, epochs, width, noise, levels, wall, cpu, results }, null, 1)}\n`,
  );
  console.log(`wall ${wall.toFixed(0)} s, CPU ${cpu.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
