/** Runs the study and writes its outputs: the tables (returned) and the SVG/JSON files. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartSvg } from './chart.js';
import { runStudy, type StudyOptions, type StudyRow, summarise } from './study.js';
import { formatRows, formatSummary } from './table.js';

/** What {@link writeReport} produced. */
export interface Report {
  /** The measurements. */
  rows: StudyRow[];
  /** The full table and the per-series summary, as printed. */
  text: string;
  /** Paths of the files written. */
  files: { svg: string; json: string };
}

/** Runs the study with `options` and writes `equivalences.svg` and `.json` into `outDir`. */
export async function writeReport(outDir: string, options: StudyOptions = {}): Promise<Report> {
  const rows = runStudy(options);
  const text = `${formatRows(rows)}\n\n${formatSummary(summarise(rows))}\n`;
  await mkdir(outDir, { recursive: true });
  const svg = join(outDir, 'equivalences.svg');
  const json = join(outDir, 'equivalences.json');
  await writeFile(svg, await chartSvg(rows));
  await writeFile(json, `${JSON.stringify(rows, null, 2)}\n`);
  return { rows, text, files: { svg, json } };
}
