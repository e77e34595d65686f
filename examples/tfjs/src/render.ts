/**
 * `node dist/render.js DIR`: rebuilds report.html, results.json and table.md
 * from DIR/plan.json and DIR/seeds.jsonl, e.g. for a run that was stopped
 * before its last seed (the report then covers the seeds that finished).
 */
import { resolve } from 'node:path';
import { loadSaved, writeOutputs } from './output.js';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new RangeError('usage: node dist/render.js DIR (a demo --out directory)');
  const out = resolve(dir);
  const { plan, seeds } = loadSaved(out);
  if (seeds.length === 0) throw new RangeError(`${out}/seeds.jsonl holds no finished seed`);
  const summaries = await writeOutputs(out, {
    plan,
    data: seeds[0]!.data,
    backend: 'see the run log (rebuilt from seeds.jsonl)',
    seeds,
    date: new Date().toISOString(),
    wallSeconds: Number.NaN,
    cpuSeconds: Number.NaN,
  });
  for (const s of summaries) {
    console.log(`${100 * s.noise} % noise: ${s.seeds.length} seeds (${s.seeds.join(', ')})`);
  }
  console.log(`report: ${out}/report.html`);
}

main().catch((error: unknown) => {
  console.error(error instanceof RangeError ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
