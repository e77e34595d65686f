/**
 * Every probing method's rule passes the context's `mask` (api.md's `perturb`)
 * to its step function, and the exact penalty with a mask is the closed form
 * `g + 2λ·A·P·g` on a quadratic.
 */
import { describe, expect, it } from 'vitest';
import { arrayObjective } from '../array-objective.js';
import { backstitchStep } from './backstitch.js';
import { friendlySamStep } from './friendly-sam.js';
import { gradientPenaltyStep } from './gradient-penalty.js';
import { gsamStep } from './gsam.js';
import { lookSamStep } from './look-sam.js';
import { samStep } from './sam.js';
import { methodDefinition, ruleOf, type Spec, validateSpec } from './spec.js';

/** L = Σ θᵢ⁴/4 + θᵢ²/2 − θᵢ. */
const quartic = () =>
  arrayObjective(
    (t) => ({
      loss: t.reduce((s, x) => s + x ** 4 / 4 + x ** 2 / 2 - x, 0),
      gradient: t.map((x) => x ** 3 + x - 1),
    }),
    Float64Array.from([0.5, -1, 2]),
  );
const mask = Float64Array.from([1, 0, 1]);
const list = (v: Float64Array | undefined) => Array.from(v ?? []);

describe('the mask reaches every probing rule', () => {
  const cases: [
    Spec,
    (m?: Float64Array) => { gradient: Float64Array; displacement?: Float64Array },
  ][] = [
    [{ method: 'sam', rho: 0.1 }, (m) => samStep(quartic(), { rho: 0.1 }, m)],
    [
      { method: 'sam', rho: 0.1, adaptive: true },
      (m) => samStep(quartic(), { rho: 0.1, adaptive: true }, m),
    ],
    [
      { method: 'gsam', rho: 0.1, alpha: 0.3 },
      (m) => gsamStep(quartic(), { rho: 0.1, alpha: 0.3 }, m),
    ],
    [
      { method: 'lookSam', rho: 0.1, every: 2 },
      (m) => lookSamStep(quartic(), { rho: 0.1, every: 2 }, 0, undefined, m),
    ],
    [
      { method: 'friendlySam', rho: 0.1 },
      (m) => friendlySamStep(quartic(), { rho: 0.1 }, undefined, m),
    ],
    [
      { method: 'backstitch', ascentRate: 0.05 },
      (m) => backstitchStep(quartic(), { ascentRate: 0.05 }, m),
    ],
    [
      { method: 'gradientPenalty', coefficient: 0.1, radius: 0.05 },
      (m) => gradientPenaltyStep(quartic(), { coefficient: 0.1, radius: 0.05 }, m),
    ],
  ];
  it.each(cases.map(([spec, step]) => [spec.method, spec, step] as const))(
    '%s',
    (_, spec, step) => {
      const rule = ruleOf(validateSpec(spec));
      const masked = rule(quartic(), { step: 0, mask });
      const expected = step(mask);
      expect(list(masked.gradient)).toEqual(list(expected.gradient));
      expect(list(masked.displacement)).toEqual(list(expected.displacement));
      // The mask changes the result (it is not ignored).
      expect(list(masked.gradient)).not.toEqual(list(step().gradient));
    },
  );
});

describe('exact gradient penalty with a mask', () => {
  it('is g + 2λ·A·(P g) on L = ½θᵀAθ − cᵀθ (power 2), and λ·A·Pg/‖Pg‖ (power 1)', () => {
    const A = [
      [2, 0.5, 0],
      [0.5, 1, 0.3],
      [0, 0.3, 3],
    ];
    const c = [1, -1, 0.5];
    const mul = (v: ArrayLike<number>) =>
      Float64Array.from(A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));
    const objective = () =>
      arrayObjective(
        (t) => {
          const At = mul(t);
          return {
            loss: t.reduce((s, x, i) => s + 0.5 * x * At[i]! - c[i]! * x, 0),
            gradient: At.map((x, i) => x - c[i]!),
          };
        },
        Float64Array.from([0.3, -0.7, 1.1]),
        { hessianVectorProduct: (_theta, v) => mul(v) },
      );
    const g = mul([0.3, -0.7, 1.1]).map((x, i) => x - c[i]!);
    const pg = g.map((x, i) => x * mask[i]!);
    const apg = mul(pg);
    const lambda = 0.2;
    const two = ruleOf(
      validateSpec({ method: 'gradientPenalty', coefficient: lambda, estimate: 'exact' }),
    );
    const p2 = two(objective(), { step: 0, mask });
    for (const [i, x] of list(p2.gradient).entries()) {
      expect(x).toBeCloseTo(g[i]! + 2 * lambda * apg[i]!, 12);
    }
    const one = ruleOf(
      validateSpec({ method: 'gradientPenalty', coefficient: lambda, power: 1, estimate: 'exact' }),
    );
    const norm = Math.hypot(...pg);
    const p1 = one(objective(), { step: 0, mask });
    for (const [i, x] of list(p1.gradient).entries()) {
      expect(x).toBeCloseTo(g[i]! + (lambda * apg[i]!) / norm, 12);
    }
  });
});

describe('checkBase', () => {
  it('backstitch: a fixed ascent rate must be below a known ε1; a ratio needs η', () => {
    const check = (spec: Spec, rates: { learningRate?: number; descentRate?: number }) => () =>
      methodDefinition('backstitch').checkBase!(validateSpec(spec), rates);
    const rate = (ascentRate: number) => ({ method: 'backstitch', ascentRate });
    expect(check(rate(0.1), { descentRate: 0.1 })).toThrow(/ascentRate must be < .*0\.1/);
    expect(check(rate(0.05), { descentRate: 0.1 })).not.toThrow();
    expect(check(rate(0.5), {})).not.toThrow();
    expect(check({ method: 'backstitch', ratio: 0.3 }, {})).toThrow(/learningRate/);
    expect(check({ method: 'backstitch', ratio: 0.3 }, { learningRate: 0.1 })).not.toThrow();
  });
});
