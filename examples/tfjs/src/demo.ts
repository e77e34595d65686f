/**
 * `pnpm demo`: MNIST (or Fashion-MNIST) with noisy training and validation
 * labels, every method over several seeds; prints the table with 95 %
 * intervals and the verdict, and writes out/report.html and out/results.json.
 * Run `node dist/demo.js --help` for the flags.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { parseArgs, USAGE } from './cli.js';
import { runExperiment } from './experiment.js';
import { saveSeed, startOutput, writeOutputs } from './output.js';
import { makePlan } from './plan.js';
import { curvatureText } from './report.js';
import { adaptiveText } from './summary.js';
import { textTable } from './table.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const plan = makePlan(args.dataset, args.preset, args);
  const workers = Math.max(1, Math.min(args.workers ?? 2, availableParallelism()));
  console.log(
    `flood demo: ${plan.dataset}, ${plan.preset} preset, noise ${plan.noise.map((n) => `${100 * n} %`).join(', ')}, seeds ${plan.seeds.join(', ')}, ${plan.epochs} epochs, ${workers} worker thread(s)`,
  );
  const tty = process.stdout.isTTY === true;
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | ETA {eta_formatted} | {label}',
      etaBuffer: 200,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const out = resolve(args.out);
  startOutput(out, plan);
  let started = false;
  let lastPrinted = -1;
  const t0 = performance.now();
  const run = await runExperiment(plan, {
    workers,
    backend: args.backend,
    fastWasm: args.fastWasm,
    onResult: (r) => saveSeed(out, r),
    onProgress: (p) => {
      if (!tty) {
        const tenth = Math.floor((10 * p.done) / p.total);
        if (tenth > lastPrinted) {
          lastPrinted = tenth;
          console.log(
            `${10 * tenth}% of the training done (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
          );
        }
        return;
      }
      const label = p.label.slice(0, 40);
      if (!started) {
        bar.start(p.total, p.done, { label });
        started = true;
      } else bar.update(p.done, { label });
    },
  });
  if (started) bar.stop();
  const summaries = await writeOutputs(out, {
    plan,
    data: run.seeds[0]!.data,
    backend: run.backend,
    seeds: run.seeds,
    date: new Date().toISOString(),
    wallSeconds: run.wallSeconds,
    cpuSeconds: run.cpuSeconds,
  });
  for (const s of summaries) {
    console.log('');
    console.log(
      `== ${100 * s.noise} % label noise (H = ${s.entropy.toFixed(2)} nats), flood level chosen on noisy validation per seed: ${s.chosenLevels.join(', ')}`,
    );
    console.log(textTable(s));
    console.log('');
    console.log(s.verdict);
    if (s.adaptiveLevels) console.log(`Adaptive flooding's ${adaptiveText(s)}.`);
    console.log(curvatureText(s));
  }
  console.log('');
  console.log(
    `wall time ${run.wallSeconds.toFixed(0)} s, CPU time ${run.cpuSeconds.toFixed(0)} s (${run.backend}); report: ${join(out, 'report.html')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof RangeError ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
