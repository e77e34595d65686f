/** Plain-text tables of the study for the terminal. */
import type { SeriesSummary, StudyRow } from './study.js';

const EXPECTED: Record<string, string> = {
  backstitch: 'GD(ε1−ε2) on L + λ‖∇L‖²',
  flooding: 'θ − (ε²/2)∇‖∇L‖²',
};

function pad(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i]!))
    .join('  ')
    .trimEnd();
}

function render(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const rule = widths.map((w) => '─'.repeat(w));
  return [pad(header, widths), pad(rule, widths), ...body.map((r) => pad(r, widths))].join('\n');
}

/** One line per measurement: experiment, loss, ε, error and its order. */
export function formatRows(rows: readonly StudyRow[]): string {
  return render(
    ['pair', 'compared with', 'loss', 'ε', 'error', 'order'],
    rows.map((r) => [
      r.experiment,
      EXPECTED[r.experiment]!,
      r.loss,
      r.epsilon.toExponential(3),
      r.error.toExponential(3),
      r.order === null ? '—' : r.order.toFixed(3),
    ]),
  );
}

/** One line per series: its largest error and the range of its orders. */
export function formatSummary(summary: readonly SeriesSummary[]): string {
  return render(
    ['pair', 'loss', 'max error', 'order (min…max)', 'verdict'],
    summary.map((s) => [
      s.experiment,
      s.loss,
      s.maxError.toExponential(2),
      s.orders ? `${s.orders[0].toFixed(2)}…${s.orders[1].toFixed(2)}` : '—',
      s.orders === null
        ? 'exact (rounding only)'
        : s.orders[0] >= 2.7 && s.orders[1] <= 3.3
          ? 'second-order equivalence (error ∝ ε³)'
          : 'order outside [2.7, 3.3]',
    ]),
  );
}
