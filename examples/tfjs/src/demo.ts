/**
 * `pnpm demo`: trains the same MLP with plain SGD, flooding, backstitch, a
 * gradient-norm penalty and SAM, prints the table and writes out/report.html.
 * Run `node dist/demo.js --help` for the flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { setupBackend } from './backend.js';
import { parseArgs, USAGE } from './cli.js';
import { runExperiment } from './experiment.js';
import { makePlan } from './plan.js';
import { renderReport } from './report.js';
import { markdownTable, textTable } from './table.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const backend = await setupBackend(args.backend, args.fastWasm);
  if (backend.note) console.log(`note: ${backend.note}`);
  const plan = makePlan(args.dataset, args.preset, args);
  console.log(
    `flood demo: ${plan.dataset}, ${plan.preset} preset, ${plan.epochs} epochs, backend ${backend.name}${backend.fastWasm ? ' (fast wasm training on)' : ''}`,
  );
  // A progress bar on a terminal; one line per finished run otherwise (CI logs, pipes).
  const tty = process.stdout.isTTY === true;
  const bar = new cliProgress.SingleBar(
    {
      format: '{method} | epoch {epoch}/{epochs} | {bar} {percentage}% | ETA {eta_formatted}',
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const t0 = performance.now();
  const result = await runExperiment(plan, {
    seed: args.seed,
    backend: `${backend.name}${backend.fastWasm ? ' with enableFastWasmTraining()' : ''}${backend.note ? ` (fallback: ${backend.note})` : ''}`,
    onProgress: (p) => {
      if (!tty) {
        if (p.epoch === p.epochs) {
          const s = ((performance.now() - t0) / 1000).toFixed(0);
          console.log(
            `${p.method}: ${p.epochs} epochs done (${((100 * p.done) / p.total).toFixed(0)}% of the work, ${s} s)`,
          );
        }
        return;
      }
      const payload = { method: p.method.padEnd(16), epoch: p.epoch, epochs: p.epochs };
      if (!started) {
        bar.start(p.total, p.done, payload);
        started = true;
      } else bar.update(p.done, payload);
    },
  });
  if (started) bar.stop();
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.html'), await renderReport(result));
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(out, 'table.md'), `${markdownTable(result.methods)}\n`);
  console.log('');
  console.log(
    `flood level b chosen on the validation split: ${result.chosenLevel} (grid: ${result.grid
      .map((g) => `${g.level} → ${(100 * g.validationAccuracy).toFixed(1)}%`)
      .join(', ')})`,
  );
  console.log(textTable(result.methods));
  console.log('');
  console.log(
    `wall time ${result.wallSeconds.toFixed(1)} s, CPU time ${result.cpuSeconds.toFixed(1)} s; report: ${join(out, 'report.html')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof RangeError ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
