/** A small SVG line chart of loss against epoch, redrawn as new points arrive. */
import { linearScale, linePath, niceMax } from './scale.js';

const SVG = 'http://www.w3.org/2000/svg';

/** One line of a chart. */
export interface Series {
  /** Legend text. */
  label: string;
  /** CSS colour of the line. */
  color: string;
  /** Dash pattern (SVG `stroke-dasharray`), solid when absent. */
  dash?: string;
  /** One value per epoch. */
  values: number[];
}

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A loss chart: x = epoch in [0, epochs], y = loss from 0 to a rounded maximum. */
export class LossChart {
  /** The `<svg>` element, to place in the page. */
  readonly svg: SVGSVGElement;
  private readonly width = 460;
  private readonly height = 220;
  private readonly margin = { left: 44, right: 12, top: 24, bottom: 30 };

  /**
   * @param title chart title
   * @param epochs length of the x axis
   * @param reference optional horizontal line, e.g. the flood level b
   */
  constructor(
    private readonly title: string,
    private epochs: number,
    private reference?: { value: number; label: string },
  ) {
    this.svg = el('svg', {
      viewBox: `0 0 ${this.width} ${this.height}`,
      role: 'img',
      class: 'chart',
    });
    this.draw([]);
  }

  /** Changes the x-axis length and the reference line (for a new run). */
  reset(epochs: number, reference?: { value: number; label: string }): void {
    this.epochs = epochs;
    this.reference = reference;
    this.draw([]);
  }

  /** Redraws the chart with the given series. */
  draw(series: readonly Series[]): void {
    const { left, right, top, bottom } = this.margin;
    // The first few steps (loss ≈ 1 at initialisation) would squash the interesting
    // part, so the y range covers 2·b and every value after the first 5 % of epochs;
    // earlier, higher values are clipped.
    const skip = Math.ceil(this.epochs * 0.05);
    const finite = series.flatMap((s) => s.values.slice(skip).filter(Number.isFinite));
    const yMax = niceMax(Math.max(2 * (this.reference?.value ?? 0), ...finite, 0.1) * 1.05);
    const x = linearScale([0, this.epochs], [left, this.width - right]);
    const y = linearScale([0, yMax], [this.height - bottom, top]);
    this.svg.replaceChildren();
    this.svg.append(el('text', { x: left, y: 15, class: 'chart-title' }, this.title));
    for (let i = 0; i <= 4; i++) {
      const v = (yMax * i) / 4;
      this.svg.append(
        el('line', { x1: left, x2: this.width - right, y1: y(v), y2: y(v), class: 'grid' }),
        el('text', { x: left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, fmt(v)),
      );
    }
    for (let i = 0; i <= 4; i++) {
      const e = Math.round((this.epochs * i) / 4);
      this.svg.append(
        el(
          'text',
          { x: x(e), y: this.height - 12, class: 'tick', 'text-anchor': 'middle' },
          String(e),
        ),
      );
    }
    this.svg.append(
      el(
        'text',
        { x: this.width - right, y: this.height - 1, class: 'tick', 'text-anchor': 'end' },
        'epoch',
      ),
    );
    if (this.reference) {
      const ry = y(this.reference.value);
      this.svg.append(
        el('line', { x1: left, x2: this.width - right, y1: ry, y2: ry, class: 'reference' }),
        el(
          'text',
          { x: this.width - right, y: ry - 4, class: 'tick', 'text-anchor': 'end' },
          this.reference.label,
        ),
      );
    }
    const clipId = `clip-${this.title.replace(/\W+/g, '-')}`;
    const clip = el('clipPath', { id: clipId });
    clip.append(
      el('rect', {
        x: left,
        y: top,
        width: this.width - left - right,
        height: this.height - top - bottom,
      }),
    );
    this.svg.append(clip);
    series.forEach((s, i) => {
      this.svg.append(
        el('path', {
          'clip-path': `url(#${clipId})`,
          // values[i] is the loss after step i + 1, drawn at epoch i + 1.
          d: linePath([Number.NaN, ...s.values], x, y),
          fill: 'none',
          stroke: s.color,
          'stroke-width': 1.8,
          ...(s.dash ? { 'stroke-dasharray': s.dash } : {}),
        }),
      );
      const lx = this.width - right - 180 + i * 90;
      this.svg.append(
        el('line', {
          x1: lx,
          x2: lx + 18,
          y1: 11,
          y2: 11,
          stroke: s.color,
          'stroke-width': 2.5,
          ...(s.dash ? { 'stroke-dasharray': s.dash } : {}),
        }),
        el('text', { x: lx + 22, y: 15, class: 'legend' }, s.label),
      );
    });
  }
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
