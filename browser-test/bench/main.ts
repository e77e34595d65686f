/**
 * The browser bench page: every wrapper's optimizer step against the plain step of
 * its base optimizer on a GPU backend of TensorFlow.js (webgl or webgpu), timed in
 * adjacent pairs like `packages/tfjs/bench` does in Node, with the same model,
 * methods and hyper-parameters (imported from there). `browser-test/bench.mjs`
 * opens this page in Chromium and calls `window.runBench`.
 *
 * A GPU step is queued, not run, when `minimize` returns: every timed call ends
 * with an asynchronous read of the last bias (10 numbers), which waits for the
 * queue to drain, so a sample is the step's whole device time plus one small read
 * (the same read on both sides of a pair).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { createMlp, type Mlp } from '../../packages/tfjs/bench/mlp.js';
import { medianInterval } from '../../packages/tfjs/bench/paired.js';
import { type Summary, summarize } from '../../packages/tfjs/bench/stats.js';
import { type BaseName, createStep, METHODS, SETTINGS } from '../../packages/tfjs/bench/steps.js';

/** What {@link runBench} is asked to do. */
export interface BenchOptions {
  backend: 'webgl' | 'webgpu';
  /** Layer widths, input first (default 784-256-10, the Node bench's small model). */
  sizes: number[];
  batch: number;
  /** Timed pairs per method. */
  pairs: number;
  /** Untimed pairs first (shader compilation, optimizer slots). */
  warmup: number;
  bases: BaseName[];
}

/** One method's paired comparison with the plain step of its base. */
export interface BenchRow {
  base: BaseName;
  method: string;
  /** `minimize` calls per timed sample (both sides of a pair make as many). */
  calls: number;
  /** Median milliseconds per call (with the closing read shared by the sample's calls), this method. */
  taskMs: number;
  /** Median milliseconds per plain call, from the same pairs. */
  plainMs: number;
  /** Per-pair ratios `method / plain`. */
  ratios: Summary;
  /** 95 % bootstrap interval of the median ratio. */
  interval: [number, number];
}

/** What {@link runBench} returns. */
export interface BenchReport {
  backend: string;
  /** The GPU behind the backend as the browser reports it. */
  device: string;
  userAgent: string;
  model: string;
  parameters: number;
  batch: number;
  pairs: number;
  settings: typeof SETTINGS;
  rows: BenchRow[];
  seconds: number;
}

async function deviceName(backend: string): Promise<string> {
  if (backend === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return 'no WebGL2 context';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = (await gpu?.requestAdapter()) as
    | { info?: { vendor?: string; architecture?: string } }
    | undefined;
  return adapter?.info ? `${adapter.info.vendor} ${adapter.info.architecture}` : 'no adapter';
}

/** Times `task` against `reference` in adjacent pairs, which one goes first alternating. */
async function timePairs(
  task: () => Promise<void>,
  reference: () => Promise<void>,
  pairs: number,
  warmup: number,
) {
  for (let i = 0; i < warmup; i++) {
    await reference();
    await task();
  }
  const taskMs: number[] = [];
  const plainMs: number[] = [];
  const time = async (fn: () => Promise<void>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      plainMs.push(await time(reference));
      taskMs.push(await time(task));
    } else {
      taskMs.push(await time(task));
      plainMs.push(await time(reference));
    }
  }
  const ratios = taskMs.map((t, i) => t / plainMs[i]!);
  return {
    taskMs: summarize(taskMs).median,
    plainMs: summarize(plainMs).median,
    ratios: summarize(ratios),
    interval: medianInterval(ratios),
  };
}

/** One step of `run`, then a read that waits for the device to finish it. */
function synced(model: Mlp, run: () => void): () => Promise<void> {
  const last = model.variables.at(-1)!;
  return async () => {
    run();
    await last.data();
  };
}

async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  if (!(await tf.setBackend(options.backend))) throw new Error(`no ${options.backend} backend`);
  await tf.ready();
  tf.env().set('PROD', true);
  const model = createMlp(options.sizes, options.batch);
  const rows: BenchRow[] = [];
  for (const base of options.bases) {
    const plain = createStep(model, base, 'plain');
    for (const method of METHODS) {
      if (method === 'plain') continue;
      const step = createStep(model, base, method);
      // A method whose cost repeats over several calls (LookSAM's period,
      // accumulate's window) runs them all and is timed against as many plain
      // steps, as in the Node bench; times are reported per call.
      const calls = step.calls ?? 1;
      const plainCalls = () => {
        for (let i = 0; i < calls; i++) plain.run();
      };
      const result = await timePairs(
        synced(model, step.run),
        synced(model, plainCalls),
        options.pairs,
        options.warmup,
      );
      rows.push({
        base,
        method,
        calls,
        ...result,
        taskMs: result.taskMs / calls,
        plainMs: result.plainMs / calls,
      });
      step.dispose();
    }
    plain.dispose();
  }
  const parameters = model.variables.reduce((s, v) => s + v.size, 0);
  model.dispose();
  return {
    backend: options.backend,
    device: await deviceName(options.backend),
    userAgent: navigator.userAgent,
    model: `MLP ${options.sizes.join('-')}`,
    parameters,
    batch: options.batch,
    pairs: options.pairs,
    settings: SETTINGS,
    rows,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

(window as unknown as { runBench: typeof runBench }).runBench = runBench;
document.title = 'flood bench: ready';
