/** The experiment: train plain and flooded models, measure both, write the chart and JSON. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { chartSvg, type Labelled } from './chart.js';
import { sinusoid2d } from './data.js';
import { measure } from './measure.js';
import { createModel, toTensors, train } from './model.js';

/** `' (not converged, check failed)'` and the like: what a finite-difference run admits. */
function flags(r: { converged: boolean; checkPassed: boolean }): string {
  const notes = [
    ...(r.converged ? [] : ['not converged']),
    ...(r.checkPassed ? [] : ['check failed']),
  ];
  return notes.length === 0 ? '' : ` (${notes.join(', ')})`;
}

/** Settings of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Output directory. */
  out: string;
  /** Full-batch epochs per model. */
  epochs: number;
  /** Flood level of the flooded model. */
  flood: number;
  /** Seed of data, weights and metrics. */
  seed: number;
  /** Training points (default 100, as Ishida et al.). */
  trainPoints?: number;
  /** Clean test points (default 2000). */
  testPoints?: number;
  /** Hidden units per layer (default 64). */
  hidden?: number;
  /** Hutchinson probes (default 100). */
  traceSamples?: number;
  /** Landscape points (default 41). */
  landscapePoints?: number;
  /** Progress of training: model label, epoch, epochs, current (flooded) loss. */
  onEpoch?: (label: string, epoch: number, epochs: number, loss: number) => void;
  /** Called when a model's measurements start. */
  onMeasure?: (label: string) => void;
}

/** What {@link runExperiment} produced. */
export interface ExperimentResult {
  /** Both models' measurements. */
  models: Labelled[];
  /** The printed table. */
  table: string;
  /** Paths written. */
  files: { svg: string; json: string };
}

const fmt = (x: number, digits = 4) =>
  Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(digits) : x.toExponential(2);

/** A plain-text table, one column per model. */
export function formatTable(models: readonly Labelled[]): string {
  const rows: [string, (m: Labelled['measurements']) => string][] = [
    ['train loss (noisy labels)', (m) => fmt(m.trainLoss)],
    ['train accuracy', (m) => fmt(m.trainAccuracy, 3)],
    ['test accuracy (clean)', (m) => fmt(m.testAccuracy, 3)],
    ['gradient norm', (m) => fmt(m.gradientNorm)],
    [
      'top Hessian eigenvalues',
      (m) =>
        m.eigenvalues.map((x) => fmt(x, 3)).join(', ') +
        (m.eigenvaluesConverged ? '' : ' (not converged)'),
    ],
    [
      'λ1 by float32 differences',
      (m) => fmt(m.finiteDifference.eigenvalue, 3) + flags(m.finiteDifference),
    ],
    ['Hessian trace ± SE', (m) => `${fmt(m.trace, 3)} ± ${fmt(m.traceStandardError, 3)}`],
    ['SAM sharpness (rho 0.05)', (m) => fmt(m.sharpness)],
    ['epsilon-sharpness % (1e-3)', (m) => fmt(m.epsilonSharpness)],
    ['exact Hessian-vector products', (m) => String(m.hessianVectorProducts)],
    ['gradient evaluations', (m) => String(m.gradientEvaluations)],
  ];
  const header = ['metric', ...models.map((m) => m.label)];
  const body = rows.map(([name, f]) => [name, ...models.map((m) => f(m.measurements))]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Trains both models from the same initial weights, measures them and writes the outputs. */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const trainData = toTensors(sinusoid2d(options.trainPoints ?? 100, 0.1, options.seed));
  const testData = toTensors(sinusoid2d(options.testPoints ?? 2000, 0, options.seed + 1));
  const models: Labelled[] = [];
  try {
    for (const flood of [undefined, options.flood]) {
      const label = flood === undefined ? 'plain' : `flooding b = ${flood}`;
      const model = createModel(options.seed, options.hidden);
      try {
        await train(
          model,
          trainData,
          { epochs: options.epochs, ...(flood ? { flood } : {}) },
          (e, l) => options.onEpoch?.(label, e, options.epochs, l),
        );
        options.onMeasure?.(label);
        const measurements = await measure(model, trainData, testData, {
          seed: options.seed,
          ...(options.traceSamples ? { traceSamples: options.traceSamples } : {}),
          ...(options.landscapePoints ? { landscapePoints: options.landscapePoints } : {}),
        });
        models.push({ label, measurements });
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([trainData.x, trainData.y, testData.x, testData.y]);
  }
  await mkdir(options.out, { recursive: true });
  const files = { svg: join(options.out, 'metrics.svg'), json: join(options.out, 'metrics.json') };
  await writeFile(files.svg, await chartSvg(models));
  await writeFile(
    files.json,
    `${JSON.stringify({ backend: tf.getBackend(), options: { epochs: options.epochs, flood: options.flood, seed: options.seed }, models }, null, 2)}\n`,
  );
  return { models, table: formatTable(models), files };
}
