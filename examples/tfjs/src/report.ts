/**
 * The demo's one self-contained HTML report: settings, the table and the
 * charts as inline SVG (no scripts, no external files).
 */
import { curveSpec, gridSpec, renderSvg } from './charts.js';
import type { DemoResult } from './results.js';
import { COLUMNS, tableRows } from './table.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The HTML report of a run. */
export async function renderReport(result: DemoResult): Promise<string> {
  const m = result.methods;
  const charts = await Promise.all([
    renderSvg(
      curveSpec(m, { title: 'Test loss per epoch', axis: 'test loss', value: (r) => r.testLoss }),
    ),
    renderSvg(
      curveSpec(m, {
        title: 'Training loss per epoch (mean raw mini-batch loss, log scale)',
        axis: 'training loss',
        value: (r) => r.trainLoss,
        log: true,
      }),
    ),
    renderSvg(
      curveSpec(m, {
        title: 'Test accuracy per epoch',
        axis: 'test accuracy',
        value: (r) => r.testAccuracy,
      }),
    ),
    renderSvg(gridSpec(result.grid)),
  ]);
  const s = result.settings;
  const head = COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = tableRows(m)
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  const settings: [string, string][] = [
    ['preset', s.preset],
    ['data', s.data],
    ['model', s.model],
    ['training', s.training],
    ['backend', s.backend],
    ['seed', String(s.seed)],
    ['flood level b (chosen on validation)', String(result.chosenLevel)],
    ['date', result.date],
    ['wall time', `${result.wallSeconds.toFixed(1)} s (grid search included)`],
    ['CPU time', `${result.cpuSeconds.toFixed(1)} s (user + system of this process)`],
  ];
  const methods = m
    .map((x) => `<li><b>${escapeHtml(x.name)}</b>: ${escapeHtml(x.setting)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>flood demo report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
</style>
</head>
<body>
<h1>flood demo: flooding, backstitch, gradient penalty and SAM</h1>
<p>Every method starts from the same initial weights and sees the same mini-batches in the same order.
Losses are mean softmax cross-entropy (nats). These are the numbers this run measured; nothing was tuned
to favour any method.</p>
<h2>Settings</h2>
<dl>
${settings.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
<h2>Methods</h2>
<ul>
${methods}
</ul>
<h2>Results</h2>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<p>floodProp: fraction of the last epoch's mini-batches whose loss was below b (where flooding ascends).
Top Hessian eigenvalue: largest eigenvalue of the training loss's Hessian at the final weights
(Lanczos with finite-difference Hessian-vector products, @flood/metrics).</p>
<h2>Charts</h2>
<div class="charts">
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
</div>
</body>
</html>
`;
}
