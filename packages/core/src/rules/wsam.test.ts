import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quartic } from '../../test/fixtures.js';
import { combine, normOf, relativeError } from '../../test/vectors.js';
import { gradientPenaltyStep } from './gradient-penalty.js';
import { wsamPenalty } from './wsam.js';

const { a, c, theta } = drawProblem(2025, [1, -1, 2, 0.5]);
const f = quartic(a, c, 0.5);

/** WSAM's coupled gradient (Yue et al.; kozistr's `decouple=False`), float64 loops. */
function wsam(rho: number, gamma: number): Float64Array {
  const g = f.gradient(theta);
  const g1 = f.gradient(combine([1, theta], [rho / (normOf(g) + 1e-12), g]));
  const alpha = gamma / (1 - gamma);
  return combine([alpha, g1], [1 - alpha, g]);
}

describe('WSAM is the power-1 gradient penalty with λ/r = γ/(1 − γ)', () => {
  it.each([
    [0.05, 0.9],
    [0.1, 0.8],
    [0.5, 0.95],
    [0.2, 0],
  ])('ρ = %d, γ = %d', (rho, gamma) => {
    const params = wsamPenalty({ rho, gamma });
    expect(params).toEqual({ coefficient: (rho * gamma) / (1 - gamma), power: 1, radius: rho });
    const p = gradientPenaltyStep(objectiveOf(f, theta), params);
    expect(relativeError(p.gradient, wsam(rho, gamma))).toBeLessThan(1e-12);
  });

  it('rejects γ outside [0, 1) and ρ <= 0', () => {
    expect(() => wsamPenalty({ rho: 0.1, gamma: 1 })).toThrow(
      /gamma must be a finite number in \[0, 1\)/,
    );
    expect(() => wsamPenalty({ rho: 0, gamma: 0.5 })).toThrow(/rho must be a finite number > 0/);
  });
});
