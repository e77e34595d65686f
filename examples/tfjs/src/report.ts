/**
 * The demo's one self-contained HTML report: the verdict first, then one chart
 * per question, the tables, the curvature comparison, and the settings last.
 * Inline SVG, no scripts, no external files.
 */
import { accuracySpec, levelSearchSpec, noiseSpec, renderSvg, trainLossSpec } from './charts.js';
import type { Plan } from './plan.js';
import type { SeedResult } from './results.js';
import { adaptiveText, type NoiseSummary } from './summary.js';
import { COLUMNS, tableRows } from './table.js';

/** Everything a demo run wrote (also results.json). */
export interface DemoReport {
  /** The plan that ran. */
  readonly plan: Plan;
  /** Data in words (first seed). */
  readonly data: string;
  /** Backend and threads in words. */
  readonly backend: string;
  /** Per (noise, seed) results. */
  readonly seeds: readonly SeedResult[];
  /** Per noise level summaries. */
  readonly summaries: readonly NoiseSummary[];
  /** ISO date-time the run finished. */
  readonly date: string;
  /** Wall seconds of the whole run. */
  readonly wallSeconds: number;
  /** CPU seconds (user + system) of the process, worker threads included. */
  readonly cpuSeconds: number;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The curvature paragraph of a noise level, from the numbers. */
export function curvatureText(s: NoiseSummary): string {
  const f = (m: NoiseSummary['methods'][number]) =>
    m.topEigenvalue && m.trace
      ? `${m.name}: λ_max ${m.topEigenvalue.mean.toFixed(1)}, trace ${m.trace.mean.toFixed(0)} (train loss ${m.trainLoss.mean.toFixed(2)})`
      : undefined;
  const parts = s.methods.map(f).filter((x) => x !== undefined);
  if (parts.length === 0) return 'Curvature was not measured.';
  const method = [
    ...new Set(s.methods.flatMap((m) => (m.curvatureMethod ? [m.curvatureMethod] : []))),
  ].join(', ');
  let text = `Curvature of the training loss at the reported weights (means over seeds; Hessian-vector products: ${method}) — ${parts.join('; ')}.`;
  const a = s.plainAtFloodLoss;
  if (a) {
    text += ` At equal training loss, plain training's own epoch whose training loss is closest to flooding's final one (loss ${a.trainLoss.mean.toFixed(2)}) has λ_max ${a.topEigenvalue.mean.toFixed(1)} and trace ${a.trace.mean.toFixed(0)}.`;
  }
  return text;
}

/** The HTML report of a run. */
export async function renderReport(r: DemoReport): Promise<string> {
  const sections: string[] = [];
  for (const s of r.summaries) {
    const seeds = r.seeds.filter((x) => x.noise === s.noise);
    const [acc, loss, search] = await Promise.all([
      renderSvg(accuracySpec(seeds, s.noise)),
      renderSvg(trainLossSpec(seeds, s.entropy)),
      renderSvg(levelSearchSpec(seeds)),
    ]);
    const head = COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
    const body = tableRows(s)
      .map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
      .join('\n');
    sections.push(`<section>
<h2>${100 * s.noise} % label noise (H = ${s.entropy.toFixed(2)} nats; flood level chosen per seed: ${s.chosenLevels.join(', ')}${s.adaptiveLevels ? `; ${escapeHtml(adaptiveText(s))}` : ''})</h2>
<p class="verdict">${escapeHtml(s.verdict)}</p>
<h3>Does it generalise better? Clean test accuracy per epoch</h3>
<figure id="accuracy-${100 * s.noise}">${acc}</figure>
<h3>Does it stop fitting the noise? Training loss</h3>
<figure>${loss}</figure>
<h3>Which flood level? The search on the noisy validation split</h3>
<figure>${search}</figure>
<h3>Table</h3>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
<p>${escapeHtml(curvatureText(s))}</p>
</section>`);
  }
  const noiseChart =
    r.summaries.length > 1
      ? `<section><h2>How does it depend on the noise?</h2><figure id="noise">${await renderSvg(noiseSpec(r.summaries))}</figure></section>`
      : '';
  const p = r.plan;
  const methods = r.summaries[0]!.methods.map(
    (m) => `<li><b>${escapeHtml(m.name)}</b>: ${escapeHtml(m.setting)}</li>`,
  ).join('\n');
  const settings: [string, string][] = [
    [
      'preset',
      `${p.preset}: ${p.seeds.length} seeds (${p.seeds.join(', ')}), noise ${p.noise.map((n) => `${100 * n} %`).join(', ')}`,
    ],
    ['data', r.data],
    [
      'model',
      `MLP 784-${p.hidden.join('-')}-10 (ReLU, Glorot-uniform init from the seed), softmax cross-entropy`,
    ],
    [
      'training',
      `Adam(${p.learningRate}), batch ${p.batchSize}, ${p.epochs} epochs per run; every method of a seed starts from the same weights and sees the same batches`,
    ],
    [
      'selection',
      'flood level: highest noisy-validation accuracy at the last epoch (Ishida et al.); early stopping: the epoch with the highest noisy-validation accuracy. Nothing is chosen on the test set.',
    ],
    [
      'intervals',
      '95 % Student-t intervals over seeds; differences are paired by seed (same data, noise, initial weights and batches)',
    ],
    [
      'curvature',
      `top eigenvalue (Lanczos, ${p.hessianIterations} steps) and trace (Hutchinson, ${p.traceSamples} probes) of the mean cross-entropy on the first ${p.hessianExamples} training images (noisy labels), @flood/metrics on modelObjective`,
    ],
    ['backend', r.backend],
    ['date', r.date],
    [
      'wall time',
      Number.isFinite(r.wallSeconds) ? `${r.wallSeconds.toFixed(0)} s` : 'see the run log',
    ],
    [
      'CPU time',
      Number.isFinite(r.cpuSeconds)
        ? `${r.cpuSeconds.toFixed(0)} s (user + system, all threads)`
        : 'see the run log',
    ],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>flood demo: label noise</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; line-height: 1.45; }
.verdict { font-size: 1.15rem; background: #f3f6fa; border-left: 4px solid #3a6ea5; padding: 0.8rem 1rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure { margin: 0.5rem 0 1.5rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
</style>
</head>
<body>
<h1>Where flooding helps: ${p.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} with noisy labels</h1>
${sections.join('\n')}
${noiseChart}
<h2>Methods</h2>
<ul>
${methods}
</ul>
<h2>Settings</h2>
<dl>
${settings.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
</body>
</html>
`;
}
