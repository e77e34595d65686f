/**
 * The report's charts: Vega-Lite specifications (one per question) rendered to
 * SVG strings in Node with Vega's headless renderer (no browser, no canvas).
 * Bands and error bars are 95 % t-intervals over seeds.
 */
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import { METHOD_KEYS, type SeedResult } from './results.js';
import { tInterval } from './stats/interval.js';
import type { NoiseSummary } from './summary.js';
import type { EpochRecord } from './train.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 640;
const HEIGHT = 360;
const FONT = { labelFontSize: 13, titleFontSize: 14 };
/** Legends with whole method names and opaque symbols (the bands are faint). */
const LEGEND = { ...FONT, labelLimit: 260, titleLimit: 260, symbolOpacity: 1 };
/** Whole epochs on the x axis. */
const EPOCH_AXIS = { format: 'd', tickMinStep: 1 };

/** Renders a Vega-Lite spec to a standalone `<svg>` string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Methods drawn per epoch (the early-stopped rows share their run's curve). */
const CURVE_METHODS = ['plain', 'flooding', ...METHOD_KEYS];

interface BandPoint {
  method: string;
  epoch: number;
  mean: number;
  low: number;
  high: number;
}

/** Mean and 95 % interval over seeds of a per-epoch quantity, per method. */
export function bandPoints(
  seeds: readonly SeedResult[],
  value: (r: EpochRecord) => number | undefined,
): BandPoint[] {
  const out: BandPoint[] = [];
  for (const method of CURVE_METHODS) {
    const runs = seeds.flatMap((s) => s.runs.filter((r) => r.name === method));
    if (runs.length === 0) continue;
    const epochs = Math.min(...runs.map((r) => r.history.length));
    for (let e = 0; e < epochs; e++) {
      const values = runs.map((r) => value(r.history[e]!)).filter((v) => v !== undefined);
      if (values.length !== runs.length || !values.every(Number.isFinite)) continue;
      const i = tInterval(values as number[]);
      const band = Number.isNaN(i.halfWidth)
        ? { low: i.mean, high: i.mean }
        : { low: i.low, high: i.high };
      out.push({ method, epoch: e + 1, mean: i.mean, ...band });
    }
  }
  return out;
}

function bandSpec(
  title: string,
  axis: string,
  points: BandPoint[],
  o: { log?: boolean; max?: number; rule?: { value: number; label: string } } = {},
): TopLevelSpec {
  // An accuracy band may be cut at 100 % (a t-interval over few seeds can pass it).
  const scale = o.log
    ? { type: 'log' as const }
    : { zero: false, ...(o.max === undefined ? {} : { domainMax: o.max, clamp: true }) };
  const color = { field: 'method', type: 'nominal' as const, title: 'method', sort: CURVE_METHODS };
  const layers: object[] = [
    {
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: EPOCH_AXIS },
        y: { field: 'low', type: 'quantitative', title: axis, scale },
        y2: { field: 'high' },
        color,
      },
    },
    {
      mark: { type: 'line', strokeWidth: 2.5 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: { field: 'mean', type: 'quantitative', scale },
        color,
      },
    },
  ];
  if (o.rule) {
    layers.push({
      data: { values: [{ y: o.rule.value, label: o.rule.label }] },
      layer: [
        {
          mark: { type: 'rule', strokeDash: [6, 4], color: '#555' },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
        {
          mark: { type: 'text', align: 'right', dy: -8, x: WIDTH - 4, fontSize: 13, color: '#333' },
          encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  return {
    $schema: SCHEMA,
    title: { text: title, fontSize: 16 },
    width: WIDTH,
    height: HEIGHT,
    data: { values: points },
    layer: layers,
    config: { axis: FONT, legend: LEGEND },
  } as TopLevelSpec;
}

/** Clean test accuracy per epoch, mean and 95 % band over seeds. */
export function accuracySpec(seeds: readonly SeedResult[], noise: number): TopLevelSpec {
  return bandSpec(
    `Clean test accuracy per epoch, ${100 * noise} % noisy labels (band: 95 % interval, ${seeds.length} seed${seeds.length === 1 ? '' : 's'})`,
    'clean test accuracy',
    bandPoints(seeds, (r) => r.testAccuracy),
    { max: 1 },
  );
}

/** Training loss (mean raw mini-batch loss) per epoch, log scale, with the entropy level. */
export function trainLossSpec(seeds: readonly SeedResult[], entropy: number): TopLevelSpec {
  return bandSpec(
    'Training loss per epoch (mean raw mini-batch cross-entropy, log scale)',
    'training loss (nats)',
    bandPoints(seeds, (r) => (r.trainLoss > 0 ? r.trainLoss : undefined)),
    entropy > 0
      ? { log: true, rule: { value: entropy, label: `H = ${entropy.toFixed(2)} nats` } }
      : { log: true },
  );
}

/** The flood-level search: noisy-validation accuracy (the criterion) and clean test accuracy per level. */
export function levelSearchSpec(seeds: readonly SeedResult[]): TopLevelSpec {
  const levels = [...new Set(seeds.flatMap((s) => s.grid.map((g) => g.level)))].sort(
    (a, b) => a - b,
  );
  const values: object[] = [];
  for (const level of levels) {
    const points = seeds.flatMap((s) => s.grid.filter((g) => g.level === level));
    for (const [series, pick] of [
      ['noisy validation (chooses b)', (g: (typeof points)[number]) => g.validationAccuracy],
      ['clean test (shown only)', (g: (typeof points)[number]) => g.testAccuracy],
    ] as const) {
      const i = tInterval(points.map(pick));
      const band = Number.isNaN(i.halfWidth)
        ? { low: i.mean, high: i.mean }
        : { low: i.low, high: i.high };
      values.push({ level: String(level), series, mean: i.mean, ...band });
    }
  }
  const x = {
    field: 'level',
    type: 'ordinal',
    title: 'flood level b in nats (0 = plain)',
    sort: null,
    axis: { labelAngle: 0 },
  };
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'accuracy at the last epoch',
    legend: { orient: 'top', labelLimit: 400, titleLimit: 400 },
  };
  return {
    $schema: SCHEMA,
    title: { text: 'Flood-level search (mean and 95 % interval over seeds)', fontSize: 16 },
    width: WIDTH,
    height: HEIGHT - 80,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative', title: 'accuracy', scale: { zero: false } },
          y2: { field: 'high' },
          color,
          xOffset: { field: 'series' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative' },
          color,
          xOffset: { field: 'series' },
        },
      },
    ],
    config: { axis: FONT, legend: LEGEND },
  } as TopLevelSpec;
}

/** Clean test accuracy against the noise rate, one line per method, 95 % error bars. */
export function noiseSpec(summaries: readonly NoiseSummary[]): TopLevelSpec {
  const values = summaries.flatMap((s) =>
    s.methods.map((m) => ({
      noise: 100 * s.noise,
      method: m.name,
      mean: m.accuracy.mean,
      low: Number.isNaN(m.accuracy.halfWidth) ? m.accuracy.mean : m.accuracy.low,
      high: Number.isNaN(m.accuracy.halfWidth) ? m.accuracy.mean : m.accuracy.high,
    })),
  );
  const x = {
    field: 'noise',
    type: 'quantitative',
    title: 'label noise (%)',
    axis: { values: summaries.map((s) => 100 * s.noise) },
  };
  // Up to eleven methods: twenty distinct colours, in table order.
  const color = {
    field: 'method',
    type: 'nominal',
    title: 'method',
    sort: summaries[0]?.methods.map((m) => m.name) ?? [],
    scale: { scheme: 'tableau20' },
  };
  return {
    $schema: SCHEMA,
    title: {
      text: 'Clean test accuracy against label noise (95 % intervals over seeds)',
      fontSize: 16,
    },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2, point: true },
        encoding: {
          x,
          y: {
            field: 'mean',
            type: 'quantitative',
            title: 'clean test accuracy',
            scale: { zero: false },
          },
          color,
        },
      },
      {
        mark: { type: 'rule' },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
      },
    ],
    config: { axis: FONT, legend: LEGEND },
  } as TopLevelSpec;
}
