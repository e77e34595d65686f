import { describe, expect, it } from 'vitest';
import { arrayObjective } from '../array-objective.js';
import { friendlySamStep } from './friendly-sam.js';
import { gsamStep } from './gsam.js';
import { lookSamStep } from './look-sam.js';
import type { RuleState } from './rule.js';
import { ruleOf, validateSpec } from './spec.js';

/** L = Σ θᵢ⁴/4 + θᵢ²/2 − θᵢ at θ. */
const objective = (theta = [0.5, -1, 2]) =>
  arrayObjective(
    (t) => ({
      loss: t.reduce((s, x) => s + x ** 4 / 4 + x ** 2 / 2 - x, 0),
      gradient: t.map((x) => x ** 3 + x - 1),
    }),
    Float64Array.from(theta),
  );
const list = (v: Float64Array) => Array.from(v);

describe('gsam, lookSam, friendlySam as specs', () => {
  it('fill their defaults and name bad options', () => {
    expect(validateSpec({ method: 'gsam', rho: 0.05, alpha: 0.4 })).toEqual({
      method: 'gsam',
      rho: 0.05,
      alpha: 0.4,
      adaptive: false,
      eta: 0.01,
    });
    expect(validateSpec({ method: 'lookSam', rho: 0.05, every: 5 })).toEqual({
      method: 'lookSam',
      rho: 0.05,
      every: 5,
      alpha: 0.7,
    });
    expect(validateSpec({ method: 'friendlySam', rho: 0.2 })).toEqual({
      method: 'friendlySam',
      rho: 0.2,
      sigma: 1,
      momentum: 0.9,
    });
    expect(() => validateSpec({ method: 'gsam', rho: 0.05, alpha: 2 })).toThrow(
      /alpha must be a finite number in \[0, 1\]/,
    );
    expect(() => validateSpec({ method: 'lookSam', rho: 0.05, every: 0 })).toThrow(
      /every must be an integer >= 1/,
    );
    expect(() => validateSpec({ method: 'friendlySam', rho: 0.05, momentum: 1 })).toThrow(
      /momentum must be a finite number in \[0, 1\)/,
    );
    expect(() => validateSpec({ method: 'gsam', rho: 0.05 })).toThrow(/gsam needs alpha/);
  });

  it('gsam: the rule is gsamStep at the step’s ρ', () => {
    const rule = ruleOf(validateSpec({ method: 'gsam', rho: 0.1, alpha: 0.3 }));
    const a = rule(objective(), { step: 0 });
    const b = gsamStep(objective(), { rho: 0.1, alpha: 0.3 });
    expect(list(a.gradient)).toEqual(list(b.gradient));
    expect(a.hyperparameters).toEqual({ rho: 0.1, alpha: 0.3 });
  });

  it('lookSam and friendlySam carry their state through the context (three steps)', () => {
    const look = ruleOf(validateSpec({ method: 'lookSam', rho: 0.1, every: 2 }));
    const fsam = ruleOf(validateSpec({ method: 'friendlySam', rho: 0.1, momentum: 0.6 }));
    const obj = objective();
    let s1: RuleState<Float64Array> | undefined;
    let s2: RuleState<Float64Array> | undefined;
    let d1: { gvUnit: Float64Array } | undefined;
    let d2: { m: Float64Array } | undefined;
    for (let step = 0; step < 3; step++) {
      const a = look(obj, { step, state: s1 });
      const b = lookSamStep(obj, { rho: 0.1, every: 2 }, step, d1);
      expect(list(a.gradient)).toEqual(list(b.gradient));
      s1 = a.state;
      d1 = b.state;
      const c = fsam(obj, { step, state: s2 });
      const d = friendlySamStep(obj, { rho: 0.1, momentum: 0.6 }, d2);
      expect(list(c.gradient)).toEqual(list(d.gradient));
      expect(list(c.state!.m!)).toEqual(list(d.state.m));
      s2 = c.state;
      d2 = d.state;
      obj.moveBy(b.gradient.map((g) => -0.05 * g));
    }
  });

  it('flooding goes over them', () => {
    const rule = ruleOf(
      validateSpec({ method: 'lookSam', rho: 0.1, every: 3, flood: { level: 100 } }),
    );
    const p = rule(objective(), { step: 0 });
    const q = lookSamStep(objective(), { rho: 0.1, every: 3 }, 0, undefined);
    expect(list(p.gradient)).toEqual(list(q.gradient).map((g) => -g));
  });
});
