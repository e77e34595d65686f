/**
 * The results table, as aligned text for the terminal and as Markdown for
 * docs/results.md. Both come from the same rows.
 */
import type { MethodResult } from './results.js';

/** Column headers of the table. */
export const COLUMNS = [
  'method',
  'best test loss (epoch)',
  'final test loss',
  'test acc.',
  'train loss',
  'floodProp',
  'top Hessian eig.',
  'grads/step',
  'time (s)',
] as const;

function fixed(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** The table's cells, one row per method, as strings. */
export function tableRows(methods: readonly MethodResult[]): string[][] {
  return methods.map((m) => {
    const s = m.summary;
    return [
      m.name,
      `${fixed(s.bestTestLoss, 4)} (${s.bestEpoch})`,
      fixed(s.finalTestLoss, 4),
      `${(100 * s.testAccuracy).toFixed(2)} %`,
      fixed(s.trainLoss, 4),
      fixed(s.floodProp, 2),
      fixed(s.topEigenvalue, 2),
      String(m.gradientsPerStep),
      fixed(s.seconds, 1),
    ];
  });
}

/** Space-aligned text table. */
export function textTable(methods: readonly MethodResult[]): string {
  const rows = [Array.from(COLUMNS), ...tableRows(methods)];
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
export function markdownTable(methods: readonly MethodResult[]): string {
  const line = (r: readonly string[]) => `| ${r.join(' | ')} |`;
  return [
    line(COLUMNS),
    line(COLUMNS.map((_, c) => (c === 0 ? '---' : '---:'))),
    ...tableRows(methods).map(line),
  ].join('\n');
}
