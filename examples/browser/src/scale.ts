/** Linear scales and SVG path data for the page's small charts (pure, DOM-free). */

/** A map from data values to pixels. */
export type Scale = (value: number) => number;

/**
 * The linear map sending `domain[0]` to `range[0]` and `domain[1]` to `range[1]`.
 * A degenerate domain (both ends equal) maps everything to the middle of the range.
 */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/**
 * A "nice" upper bound for an axis that starts at 0: the smallest of 1, 2, 2.5, 5
 * times a power of ten that is ≥ `max`. Returns 1 for non-positive or non-finite input.
 */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max * (1 - 1e-12)) return step * power;
  }
  return 10 * power;
}

/**
 * SVG path data (`M x y L x y …`) through the points `(i, values[i])`; non-finite
 * values break the line into separate pieces. Coordinates are rounded to 0.1 px.
 */
export function linePath(values: readonly number[], x: Scale, y: Scale): string {
  const parts: string[] = [];
  let pen = false;
  values.forEach((value, i) => {
    if (!Number.isFinite(value)) {
      pen = false;
      return;
    }
    parts.push(`${pen ? 'L' : 'M'}${round(x(i))} ${round(y(value))}`);
    pen = true;
  });
  return parts.join('');
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
