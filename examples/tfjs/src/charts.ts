/**
 * The report's charts: Vega-Lite specifications rendered to SVG strings in
 * Node with Vega's headless renderer (no browser, no canvas).
 */
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import type { MethodResult } from './results.js';

/** One point of a per-epoch curve. */
interface CurvePoint {
  method: string;
  epoch: number;
  value: number;
}

/** Renders a Vega-Lite spec to a standalone `<svg>` string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A line per method of one per-epoch quantity. */
export function curveSpec(
  methods: readonly MethodResult[],
  o: {
    title: string;
    axis: string;
    value: (r: MethodResult['history'][number]) => number | undefined;
    log?: boolean;
  },
): TopLevelSpec {
  const values: CurvePoint[] = [];
  for (const m of methods) {
    for (const r of m.history) {
      const v = o.value(r);
      if (v !== undefined && Number.isFinite(v) && (!o.log || v > 0)) {
        values.push({ method: m.name, epoch: r.epoch, value: v });
      }
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: false, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      y: {
        field: 'value',
        type: 'quantitative',
        title: o.axis,
        scale: o.log ? { type: 'log' } : { zero: false },
      },
      color: {
        field: 'method',
        type: 'nominal',
        title: 'method',
        sort: methods.map((m) => m.name),
      },
    },
  };
}

/** Validation accuracy for each flood level of the grid. */
export function gridSpec(
  grid: readonly { level: number; validationAccuracy: number }[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Flood level search (validation split)',
    width: 300,
    height: 200,
    data: { values: grid.map((p) => ({ level: String(p.level), accuracy: p.validationAccuracy })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'level', type: 'ordinal', title: 'flood level b', sort: null },
      y: {
        field: 'accuracy',
        type: 'quantitative',
        title: 'validation accuracy',
        scale: { zero: false },
      },
    },
  };
}
