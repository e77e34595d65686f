/**
 * The bench's files in `docs/`: `benchmarks.json` (one run's results) and
 * `benchmarks.md` (rendered from them by `renderMarkdown`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderMarkdown } from './report.js';
import type { BenchResults, ConvnetResult } from './results.js';

const DOCS = new URL('../../../docs/', import.meta.url);

/** The saved results, `docs/benchmarks.json`. */
export function readSaved(): BenchResults {
  return JSON.parse(readFileSync(new URL('benchmarks.json', DOCS), 'utf8')) as BenchResults;
}

/**
 * Writes `results` to `docs/benchmarks.json` and `markdown` (by default rendered
 * from them, before either file is written) to `docs/benchmarks.md`.
 */
export function writeResults(results: BenchResults, markdown = renderMarkdown(results)): void {
  writeFileSync(new URL('benchmarks.json', DOCS), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL('benchmarks.md', DOCS), markdown);
}

/** `BENCH_RENDER=1`: re-renders `docs/benchmarks.md` from `docs/benchmarks.json` (after editing analysis.md). */
export function rerender(): void {
  writeFileSync(new URL('benchmarks.md', DOCS), renderMarkdown(readSaved()));
}

/**
 * `saved` with its convnet rows of the given backends replaced by `convnet`
 * (the rows of other backends kept), wasm first.
 */
export function mergeConvnet(
  saved: BenchResults,
  convnet: ConvnetResult[],
  backends: readonly string[],
): BenchResults {
  const kept = (saved.convnet ?? []).filter((r) => !backends.includes(r.backend));
  const order = (r: ConvnetResult) => (r.backend === 'wasm' ? 0 : 1);
  return {
    ...saved,
    convnet: [...kept, ...convnet].sort((a, b) => order(a) - order(b)),
  };
}
