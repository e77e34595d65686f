import { describe, expect, it } from 'vitest';
import { arrayObjective } from '../array-objective.js';
import type { Objective } from '../objective.js';
import { backstitchStep } from './backstitch.js';
import { floodProposal } from './flooding.js';
import { gradientPenaltyStep } from './gradient-penalty.js';
import { plainStep } from './plain.js';
import type { RuleState } from './rule.js';
import { samStep } from './sam.js';
import {
  defineMethod,
  methodDefinition,
  methodNames,
  ruleOf,
  type Spec,
  scheduledOptions,
  validateSpec,
} from './spec.js';

/** L = Σ θᵢ⁴/4 + θᵢ²/2 + 1 at θ. */
const objective = (theta = [0.5, -1, 2]) =>
  arrayObjective(
    (t) => ({
      loss: t.reduce((s, x) => s + x ** 4 / 4 + x ** 2 / 2, 1),
      gradient: t.map((x) => x ** 3 + x),
    }),
    Float64Array.from(theta),
  );
const list = (v: Float64Array) => Array.from(v);

describe('validateSpec: one option table per method', () => {
  it('fills defaults and keeps schedules', () => {
    const rho = Object.assign((t: number) => 0.1 * t, { toJSON: () => ({ type: 'x' }) });
    expect(validateSpec({ method: 'sam', rho: 0.05 })).toEqual({
      method: 'sam',
      rho: 0.05,
      adaptive: false,
      eta: 0.01,
    });
    expect(validateSpec({ method: 'sam', rho }).rho).toBe(rho);
    expect(validateSpec({ method: 'gradientPenalty', coefficient: 1 })).toEqual({
      method: 'gradientPenalty',
      coefficient: 1,
      power: 2,
      radius: 0.01,
      estimate: 'finite-difference',
    });
    expect(validateSpec({ method: 'plain', flood: { level: 0.2 } })).toEqual({
      method: 'plain',
      flood: { level: 0.2 },
    });
    expect(scheduledOptions(validateSpec({ method: 'sam', rho, flood: { level: 0.2 } }))).toEqual({
      rho,
      level: 0.2,
    });
  });

  it.each<[Spec, RegExp]>([
    [{ method: 'nope' }, /method must be one of plain, sam, backstitch, gradientPenalty/],
    [{ method: 'sam' }, /sam needs rho/],
    [{ method: 'sam', rho: -1 }, /rho must be a finite number >= 0/],
    [
      { method: 'sam', rho: 0.1, radius: 1 },
      /unknown option 'radius' for sam; allowed: rho, adaptive, eta/,
    ],
    [{ method: 'sam', rho: 0.1, adaptive: 1 }, /adaptive must be a boolean/],
    [{ method: 'backstitch' }, /exactly one of ascentRate and ratio/],
    [{ method: 'backstitch', ascentRate: 0.1, ratio: 0.1 }, /exactly one/],
    [{ method: 'backstitch', ratio: 1 }, /ratio must be .*\[0, 1\)/],
    [{ method: 'backstitch', ascentRate: 0.1, interval: 0 }, /interval/],
    [{ method: 'gradientPenalty', coefficient: 1, power: 3 }, /power must be one of 1, 2/],
    [
      { method: 'gradientPenalty', coefficient: 1, radius: 0 },
      /radius must be a finite number > 0/,
    ],
    [{ method: 'plain', flood: { level: -1 } }, /level must be a finite number >= 0/],
  ])('%j is refused: %s', (spec, message) => {
    expect(() => validateSpec(spec)).toThrow(RangeError);
    expect(() => validateSpec(spec)).toThrow(message);
  });
});

describe('ruleOf: a spec runs the method’s step function', () => {
  const ctx = { step: 0 };
  it.each<[Spec, (o: Objective<Float64Array, number>) => { gradient: Float64Array }]>([
    [{ method: 'plain' }, (o) => plainStep(o)],
    [{ method: 'sam', rho: 0.05 }, (o) => samStep(o, { rho: 0.05 })],
    [{ method: 'sam', rho: 0.5, adaptive: true }, (o) => samStep(o, { rho: 0.5, adaptive: true })],
    [{ method: 'backstitch', ascentRate: 0.03 }, (o) => backstitchStep(o, { ascentRate: 0.03 })],
    [
      { method: 'gradientPenalty', coefficient: 0.1, power: 1 },
      (o) => gradientPenaltyStep(o, { coefficient: 0.1, power: 1 }),
    ],
    [{ method: 'plain', flood: { level: 5 } }, (o) => floodProposal(o.space, plainStep(o), 5)],
    [
      { method: 'sam', rho: 0.05, flood: { level: 5 } },
      (o) => floodProposal(o.space, samStep(o, { rho: 0.05 }), 5),
    ],
  ])('%j', (spec, reference) => {
    const got = ruleOf(validateSpec(spec))(objective(), ctx);
    expect(list(got.gradient)).toEqual(list(reference(objective()).gradient));
  });

  it('reads schedules at the step and reports them', () => {
    const level = Object.assign((t: number) => (t === 0 ? 100 : 0), { toJSON: () => ({}) });
    const rule = ruleOf(validateSpec({ method: 'plain', flood: { level } }));
    const a = rule(objective(), { step: 0 });
    const b = rule(objective(), { step: 1 });
    expect([a.ascended, b.ascended, a.hyperparameters.level, b.hyperparameters.level]).toEqual([
      1, 0, 100, 0,
    ]);
  });

  it('backstitch: ratio × learningRate, refused where ε2 >= ε1, plain off the interval', () => {
    const rule = ruleOf(validateSpec({ method: 'backstitch', ratio: 0.5, interval: 2 }));
    expect(rule(objective(), { step: 0, learningRate: 0.1 }).hyperparameters.ascentRate).toBe(0.05);
    expect(() => rule(objective(), { step: 0 })).toThrow(/numeric learningRate/);
    expect(rule(objective(), { step: 1, learningRate: 0.1 }).gradientEvaluations).toBe(1);
    const climbing = ruleOf(validateSpec({ method: 'backstitch', ascentRate: 0.2 }));
    expect(() => climbing(objective(), { step: 0, descentRate: 0.2 })).toThrow(
      /ascentRate must be < .*0\.2/,
    );
    expect(climbing(objective(), { step: 0 }).gradientEvaluations).toBe(2); // ε1 unknown
  });
});

describe('defineMethod: a new method is a definition', () => {
  it('a stateful method (gradient EMA) gets its state back and is validated by its table', () => {
    defineMethod({
      method: 'testEma',
      kind: 'estimator',
      options: { decay: { kind: 'number', default: 0.5 } },
      state: ['m'],
      rule: (spec) => (o, context) => {
        const p = plainStep(o);
        const prev = context.state?.m;
        const d = spec.decay as number;
        const m = prev ? o.space.axpby(d, prev, 1 - d, p.gradient) : o.space.clone(p.gradient);
        const state: RuleState<typeof m> = { m };
        return { ...p, gradient: o.space.clone(m), hyperparameters: {}, state };
      },
    });
    expect(methodNames()).toContain('testEma');
    expect(() => validateSpec({ method: 'testEma', decay: -1 })).toThrow(/decay/);
    const rule = ruleOf(validateSpec({ method: 'testEma' }));
    const first = rule(objective(), { step: 0 });
    const second = rule(objective(), { step: 1, state: first.state });
    expect(list(second.gradient)).toEqual(list(first.gradient)); // same θ: EMA of equal gradients
    expect(methodDefinition('testEma').state).toEqual(['m']);
    expect(() => defineMethod(methodDefinition('sam'))).toThrow(/already defined/);
  });
});
