/** All panels as one SVG: Vega-Lite (one line chart per panel, stacked) → Vega → SVG, headless. */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Point } from './demo-schedules.js';

/** A Vega-Lite spec with one line chart per distinct `panel`, in order of appearance. */
export function chartSpec(points: readonly Point[], title: string): TopLevelSpec {
  const panels = [...new Set(points.map((p) => p.panel))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title },
    spacing: 28,
    config: { legend: { labelLimit: 0 } },
    resolve: { scale: { color: 'independent' } },
    vconcat: panels.map((panel) => ({
      title: { text: panel, fontSize: 12 },
      width: 640,
      height: 170,
      data: { values: points.filter((p) => p.panel === panel) },
      mark: { type: 'line', strokeWidth: 1.8, interpolate: 'linear' },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: { field: 'value', type: 'quantitative', title: 'value' },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom', direction: 'vertical' },
        },
      },
    })),
  };
}

/** Renders the chart to an SVG string (no canvas or DOM needed). */
export async function chartSvg(points: readonly Point[], title: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(points, title)).spec), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
