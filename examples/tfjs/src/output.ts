/**
 * What a demo run writes to its output directory: report.html, results.json
 * and table.md from the per-seed results; plus, while it runs, plan.json and
 * seeds.jsonl (one finished (noise, seed) result per line), from which
 * `node dist/render.js DIR` rebuilds the report of an interrupted run.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from './plan.js';
import { type DemoReport, renderReport } from './report.js';
import type { SeedResult } from './results.js';
import { adaptiveText, type NoiseSummary, summarise } from './summary.js';
import { markdownTable } from './table.js';

/** Starts a run's output: the plan, and an empty seeds.jsonl. */
export function startOutput(out: string, plan: Plan): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'plan.json'), `${JSON.stringify(plan, null, 1)}\n`);
  writeFileSync(join(out, 'seeds.jsonl'), '');
}

/** Appends one finished (noise, seed) result to seeds.jsonl. */
export function saveSeed(out: string, result: SeedResult): void {
  appendFileSync(join(out, 'seeds.jsonl'), `${JSON.stringify(result)}\n`);
}

/** Reads plan.json and seeds.jsonl back (results in the order they finished). */
export function loadSaved(out: string): { plan: Plan; seeds: SeedResult[] } {
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as Plan;
  const seeds = readFileSync(join(out, 'seeds.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SeedResult);
  return { plan, seeds };
}

/** Summarises `seeds` and writes report.html, results.json and table.md; returns the summaries. */
export async function writeOutputs(
  out: string,
  report: Omit<DemoReport, 'summaries'>,
): Promise<NoiseSummary[]> {
  const summaries = summarise(report.seeds);
  const full: DemoReport = { ...report, summaries };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.html'), await renderReport(full));
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(full, null, 1)}\n`);
  writeFileSync(
    join(out, 'table.md'),
    `${summaries
      .map(
        (s) =>
          `${100 * s.noise} % noise (H = ${s.entropy.toFixed(2)}; flood level chosen per seed: ${s.chosenLevels.join(', ')}${s.adaptiveLevels ? `; ${adaptiveText(s)}` : ''})\n\n${markdownTable(s)}\n\n${s.verdict}\n`,
      )
      .join('\n')}`,
  );
  return summaries;
}
