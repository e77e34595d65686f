/** The study as a log-log chart of error against ε, rendered to SVG with Vega-Lite → Vega. */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { StudyRow } from './study.js';

/**
 * A Vega-Lite spec: one line per (pair, loss), log-log, with a dashed `ε³`
 * reference line (slope 3) drawn 4× above the first non-quadratic backstitch point. Zero errors (exact float64
 * agreement) cannot be drawn on a log axis and are left out.
 */
export function chartSpec(rows: readonly StudyRow[]): TopLevelSpec {
  const values = rows
    .filter((r) => r.error > 0)
    .map((r) => ({ series: `${r.experiment} · ${r.loss}`, epsilon: r.epsilon, error: r.error }));
  const anchor = rows.find((r) => r.experiment === 'backstitch' && r.loss !== 'quadratic');
  const reference = anchor
    ? [...new Set(rows.map((r) => r.epsilon))].map((epsilon) => ({
        series: 'C·ε³ (reference)',
        epsilon,
        error: 4 * anchor.error * (epsilon / anchor.epsilon) ** 3,
      }))
    : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: "The seed's equivalences: error of the pair vs its gradient-penalty prediction",
      subtitle: 'second order (error ∝ ε³) on non-quadratic losses; exact on a quadratic',
    },
    width: 520,
    height: 360,
    data: { values: [...values, ...reference] },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'epsilon',
        type: 'quantitative',
        scale: { type: 'log', nice: false },
        title: 'step size ε',
      },
      y: {
        field: 'error',
        type: 'quantitative',
        scale: { type: 'log' },
        title: '‖θ_pair − θ_predicted‖ / ‖θ‖',
        axis: { format: '.0e' },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: 'pair · loss',
        legend: { labelLimit: 0 },
      },
      strokeDash: {
        condition: { test: "datum.series === 'C·ε³ (reference)'", value: [4, 4] },
        value: [1, 0],
      },
    },
  };
}

/** Renders the chart to an SVG string (headless: no canvas or DOM needed). */
export async function chartSvg(rows: readonly StudyRow[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(rows)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
