/**
 * The results table of one noise level, as aligned text for the terminal and
 * as Markdown for docs/results.md. Both come from the same rows.
 */
import { formatPoints, type Interval } from './stats/interval.js';
import type { NoiseSummary } from './summary.js';

/** Column headers of the table. */
export const COLUMNS = [
  'method',
  'clean test acc. % [95 % CI]',
  'Δ vs plain, points [95 % CI]',
  'Δ significant?',
  'epoch',
  'train loss',
  'top Hessian eig.',
  'Hessian trace',
  'grads/step',
] as const;

function withInterval(i: Interval | undefined, digits: number, scale = 1): string {
  if (!i) return '—';
  const f = (x: number) => (scale * x).toFixed(digits);
  return Number.isNaN(i.halfWidth) ? f(i.mean) : `${f(i.mean)} [${f(i.low)}, ${f(i.high)}]`;
}

function epochs(list: readonly number[]): string {
  const unique = [...new Set(list)];
  return unique.length === 1 ? String(unique[0]) : list.join('/');
}

/** The table's cells, one row per method, as strings. */
export function tableRows(s: NoiseSummary): string[][] {
  return s.methods.map((m) => [
    m.name,
    withInterval(m.accuracy, 1, 100),
    m.vsPlain ? formatPoints(m.vsPlain.difference) : '—',
    !m.vsPlain
      ? '—'
      : m.vsPlain.outcome === 'better'
        ? 'yes, better'
        : m.vsPlain.outcome === 'worse'
          ? 'yes, worse'
          : 'no',
    epochs(m.epochs),
    withInterval(m.trainLoss, 3),
    withInterval(m.topEigenvalue, 1),
    withInterval(m.trace, 0),
    String(m.gradientsPerStep),
  ]);
}

/** Space-aligned text table. */
export function textTable(s: NoiseSummary): string {
  const rows = [Array.from(COLUMNS), ...tableRows(s)];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** GitHub-flavoured Markdown table. */
export function markdownTable(s: NoiseSummary): string {
  const line = (r: readonly string[]) => `| ${r.join(' | ')} |`;
  return [
    line(COLUMNS),
    line(COLUMNS.map((_, c) => (c === 0 ? '---' : '---:'))),
    ...tableRows(s).map(line),
  ].join('\n');
}
