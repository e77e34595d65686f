/**
 * The @flood/tfjs benchmark: `pnpm bench` at the root (builds first), or
 * `pnpm --filter @flood/tfjs bench` after a build. Writes `docs/benchmarks.json`
 * and `docs/benchmarks.md` from the same run. `BENCH_QUICK=1` takes a handful of
 * samples only (a smoke test; results are not written then); `BENCH_RENDER=1`
 * only re-renders the Markdown from the JSON (after editing `bench/analysis.md`).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import os from 'node:os';
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import { mergeConvnet, readSaved, rerender, writeResults } from './bench-docs.js';
import { runConvnet } from './convnet-run.js';
import { runCurvature, runSpeedup } from './probe-runs.js';
import { renderMarkdown } from './report.js';
import type {
  BenchResults,
  ConvnetResult,
  CurvatureResult,
  SpeedupResult,
  SuiteResult,
} from './results.js';
import {
  BACKENDS,
  BATCH,
  CLOCK,
  log,
  ONLY_CONVNET,
  ONLY_SMALL,
  PARTIAL,
  QUICK,
} from './run-plan.js';
import { runSuite } from './step-suite.js';
import { SETTINGS } from './steps.js';
import { cpuClock } from './timing.js';

/** Runs the convnet rows only and merges them into docs/benchmarks.json (see `ONLY_CONVNET`). */
async function mainConvnetOnly(): Promise<void> {
  tf.env().set('PROD', true);
  const convnet: ConvnetResult[] = [];
  for (const backend of BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
    await tf.ready();
    const undo = backend === 'wasm' ? enableFastWasmTraining() : undefined;
    convnet.push(await runConvnet(backend, undo !== undefined));
    undo?.();
  }
  const results = mergeConvnet(readSaved(), convnet, BACKENDS);
  if (QUICK) {
    console.log(renderMarkdown(results));
    log('partial convnet run done (nothing written)');
    return;
  }
  writeResults(results);
  log('convnet rows merged into docs/benchmarks.json and docs/benchmarks.md');
}

async function main(): Promise<void> {
  if (process.env.BENCH_RENDER === '1') {
    // Re-render docs/benchmarks.md from docs/benchmarks.json (after editing analysis.md).
    rerender();
    log('re-rendered docs/benchmarks.md from docs/benchmarks.json');
    return;
  }
  if (ONLY_CONVNET) {
    await mainConvnetOnly();
    return;
  }
  const started = Date.now();
  const loadAverageStart = os.loadavg();
  const suites: SuiteResult[] = [];
  const curvature: CurvatureResult[] = [];
  const speedup: SpeedupResult[] = [];
  const convnet: ConvnetResult[] = [];
  // Silences the cpu backend's "use tfjs-node" banner (PROD only turns off tfjs's warn/log).
  tf.env().set('PROD', true);
  for (const backend of BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
    await tf.ready();
    const undo = backend === 'wasm' ? enableFastWasmTraining() : undefined;
    for (const size of ['small', 'large'] as const) {
      if (ONLY_SMALL && size === 'large') continue;
      suites.push(await runSuite(backend, size, undo !== undefined));
    }
    if (ONLY_SMALL) {
      undo?.();
      continue;
    }
    curvature.push(await runCurvature(backend));
    convnet.push(await runConvnet(backend, undo !== undefined));
    undo?.();
    if (backend === 'wasm') speedup.push(await runSpeedup(backend));
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    command:
      'pnpm bench  (= pnpm turbo run build --filter=@flood/tfjs... && pnpm --filter @flood/tfjs bench)',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    cpuSeconds: Math.round(cpuClock() / 1000),
    clock: CLOCK,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      tfjs: tf.version_core,
      loadAverageStart,
      loadAverageEnd: os.loadavg(),
    },
    settings: { ...SETTINGS, batch: BATCH },
    suites,
    curvature,
    speedup,
    convnet,
  };
  const markdown = renderMarkdown(results);
  if (PARTIAL) {
    console.log(markdown);
    log(`partial run done in ${results.durationSeconds} s (nothing written)`);
    return;
  }
  writeResults(results, markdown);
  log(`done in ${results.durationSeconds} s: docs/benchmarks.md, docs/benchmarks.json`);
}

await main();
