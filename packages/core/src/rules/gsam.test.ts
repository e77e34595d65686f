import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quadratic, quartic } from '../../test/fixtures.js';
import { combine, dotOf, normOf, relativeError } from '../../test/vectors.js';
import { gsamStep } from './gsam.js';
import { samStep } from './sam.js';

const { a, c, theta } = drawProblem(2022, [2, -1, 0.5, 3, 1]);
const f = quadratic(a, c);
const g = f.gradient(theta);

/** GSAM as Zhuang et al.'s code computes it, in float64 loops (eps = 1e-12). */
function reference(gClean: Float64Array, gp: Float64Array, alpha: number): Float64Array {
  const eps = 1e-12;
  const cosine = dotOf(gClean, gp) / (normOf(gp) * normOf(gClean) + eps);
  const vertical = combine([1, gClean], [(-cosine * normOf(gClean)) / (normOf(gp) + eps), gp]);
  return combine([1, gp], [-alpha, vertical]);
}

describe('gsamStep on a quadratic (closed form)', () => {
  it.each([
    [0.05, 0.4],
    [0.5, 0.1],
    [2, 1],
  ])('ρ = %d, α = %d: g_p = g + ρAg/(‖g‖ + 1e-12), then g_p − α·g⊥', (rho, alpha) => {
    const p = gsamStep(objectiveOf(f, theta), { rho, alpha });
    const gp = combine([1, g], [rho / (normOf(g) + 1e-12), f.hessianVector(theta, g)]);
    expect(relativeError(p.gradient, reference(g, gp, alpha))).toBeLessThan(1e-12);
    expect(p.gradientEvaluations).toBe(2);
    expect(p.loss).toBe(f.loss(theta));
    expect(p.gradientNorm).toBeCloseTo(normOf(g), 12);
    // g⊥ = (g_p − result)/α is orthogonal to g_p and g_p + g⊥·… reproduces g.
    const perp = combine([1 / alpha, gp], [-1 / alpha, p.gradient]);
    expect(Math.abs(dotOf(perp, gp)) / (normOf(perp) * normOf(gp))).toBeLessThan(1e-12);
  });

  it('α = 0 is SAM (bit for bit)', () => {
    const p = gsamStep(objectiveOf(f, theta), { rho: 0.3, alpha: 0 });
    const q = samStep(objectiveOf(f, theta), { rho: 0.3 });
    expect(Array.from(p.gradient)).toEqual(Array.from(q.gradient));
  });

  it('adaptive: the probe is ASAM’s', () => {
    const q = quartic(a, c, 0.7);
    const rho = 0.5;
    const eta = 0.01;
    const p = gsamStep(objectiveOf(q, theta), { rho, alpha: 0.3, adaptive: true, eta });
    const gq = q.gradient(theta);
    const t = theta.map((x) => Math.abs(x) + eta);
    const tg = gq.map((x, i) => t[i]! * x);
    const delta = tg.map((x, i) => (rho * t[i]! * x) / (normOf(tg) + 1e-12));
    const gp = q.gradient(combine([1, theta], [1, delta]));
    expect(relativeError(p.gradient, reference(gq, gp, 0.3))).toBeLessThan(1e-12);
  });

  it('a mask moves only the chosen entries, normalised over them', () => {
    const mask = Float64Array.of(1, 0, 1, 1, 0);
    const rho = 0.4;
    const p = gsamStep(objectiveOf(f, theta), { rho, alpha: 0.2 }, mask);
    const pg = g.map((x, i) => x * mask[i]!);
    const delta = combine([rho / (normOf(pg) + 1e-12), pg]);
    const gp = combine([1, g], [1, f.hessianVector(theta, delta)]);
    expect(relativeError(p.gradient, reference(g, gp, 0.2))).toBeLessThan(1e-12);
  });

  it('zero gradient: g_p = 0, the projection is 0, the result is 0', () => {
    const q = quartic(a, new Float64Array(5), 1);
    const p = gsamStep(objectiveOf(q, new Float64Array(5)), { rho: 0.5, alpha: 0.5 });
    expect(Array.from(p.gradient)).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects α outside [0, 1] and bad ρ', () => {
    const obj = objectiveOf(f, theta);
    for (const alpha of [-0.1, 1.5, Number.NaN]) {
      expect(() => gsamStep(obj, { rho: 0.1, alpha })).toThrow(
        /alpha must be a finite number in \[0, 1\]/,
      );
    }
    expect(() => gsamStep(obj, { rho: -1, alpha: 0.1 })).toThrow(
      /rho must be a finite number >= 0/,
    );
    expect(Array.from(obj.parameters())).toEqual(Array.from(theta));
  });
});
