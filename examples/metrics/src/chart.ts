/** The side-by-side chart: loss landscapes and curvature metrics, rendered to SVG. */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Measurements } from './measure.js';

/** One trained model's measurements, with its label. */
export interface Labelled {
  /** e.g. "plain" or "flooding b = 0.25". */
  label: string;
  /** Its measurements. */
  measurements: Measurements;
}

/**
 * A Vega-Lite spec: left, the 1-D loss landscape of each model (same seed, so the
 * same random direction up to filter normalisation); right, one small bar chart
 * per metric (independent scales).
 */
export function chartSpec(models: readonly Labelled[]): TopLevelSpec {
  const curve = models.flatMap(({ label, measurements }) =>
    measurements.landscape.coordinates.map((alpha, i) => ({
      model: label,
      alpha,
      loss: measurements.landscape.losses[i]!,
    })),
  );
  const bars = models.flatMap(({ label, measurements: m }) => [
    { model: label, metric: 'top eigenvalue λ₁', value: m.eigenvalues[0]! },
    { model: label, metric: 'Hessian trace', value: m.trace },
    { model: label, metric: 'SAM sharpness (ρ = 0.05)', value: m.sharpness },
    { model: label, metric: 'ε-sharpness % (ε = 1e-3)', value: m.epsilonSharpness },
    { model: label, metric: 'train loss', value: m.trainLoss },
    { model: label, metric: 'test accuracy', value: m.testAccuracy },
  ]);
  const color = { field: 'model', type: 'nominal' as const, title: 'model' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Flooding vs plain training: curvature of the training loss at the end',
      subtitle: 'Sinusoid2d, 10% label noise, 2-64-64-1 ReLU MLP; metrics from @flood/metrics',
    },
    hconcat: [
      {
        title: '1-D loss landscape (filter-normalised random direction)',
        width: 360,
        height: 300,
        data: { values: curve },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'alpha', type: 'quantitative', title: 'step α along d' },
          y: { field: 'loss', type: 'quantitative', title: 'training loss L(θ + α d)' },
          color,
        },
      },
      {
        data: { values: bars },
        facet: { field: 'metric', type: 'nominal', title: null, header: { labelFontSize: 11 } },
        columns: 3,
        spec: {
          width: 110,
          height: 110,
          mark: 'bar',
          encoding: {
            x: { field: 'model', type: 'nominal', axis: null },
            y: { field: 'value', type: 'quantitative', title: null },
            color,
          },
        },
        resolve: { scale: { y: 'independent' } },
      },
    ],
  };
}

/** Renders the chart to an SVG string (headless: no canvas or DOM needed). */
export async function chartSvg(models: readonly Labelled[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(models)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
