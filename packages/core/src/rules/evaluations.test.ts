/**
 * Every rule reports the gradient evaluations it really made, and leaves no
 * value alive: after `disposeProposal` (or when an evaluation throws) nothing
 * it made is left undisposed, and nothing is disposed twice — checked with a
 * space that tracks every value.
 */
import { describe, expect, it } from 'vitest';
import { trackingObjective } from '../../test/tracking.js';
import { hessianVectorProduct } from '../hessian-vector.js';
import type { Objective } from '../objective.js';
import { backstitchStep } from './backstitch.js';
import { floodProposal } from './flooding.js';
import { friendlySamStep } from './friendly-sam.js';
import { gradientPenaltyStep } from './gradient-penalty.js';
import { gsamStep } from './gsam.js';
import { lookSamStep } from './look-sam.js';
import { plainStep } from './plain.js';
import { disposeProposal, type StepProposal } from './proposal.js';
import { samStep } from './sam.js';

/** L = Σ θᵢ⁴/4 + θᵢ²/2 + 1. */
const fn = (t: Float64Array) => ({
  loss: t.reduce((s, x) => s + x ** 4 / 4 + x ** 2 / 2, 1),
  gradient: t.map((x) => x ** 3 + x),
});
const theta = Float64Array.of(0.5, -1, 2);

type Rule = (o: Objective<never, never>) => StepProposal<never, never>;

/**
 * Runs `rule` with a vector `v` made from θ (a mask, a rule state) and frees
 * `v` and the new state afterwards, also when the rule throws.
 */
function withVector(
  rule: (o: Objective<never, never>, v: never) => StepProposal<never, never> & { state?: object },
): Rule {
  return (o) => {
    const v = o.parameters();
    try {
      const p = rule(o, v);
      if (p.state && !Object.values(p.state).includes(v))
        o.space.dispose(...Object.values(p.state));
      return p;
    } finally {
      o.space.dispose(v);
    }
  };
}

const rules: [string, number, Rule][] = [
  ['plainStep', 1, (o) => plainStep(o)],
  ['gradientPenaltyStep p=1', 2, (o) => gradientPenaltyStep(o, { coefficient: 0.1, power: 1 })],
  ['gradientPenaltyStep p=2', 2, (o) => gradientPenaltyStep(o, { coefficient: 0.1, power: 2 })],
  ['samStep', 2, (o) => samStep(o, { rho: 0.05 })],
  ['samStep adaptive', 2, (o) => samStep(o, { rho: 0.5, adaptive: true })],
  ['samStep masked', 2, withVector((o, m) => samStep(o, { rho: 0.05 }, m))],
  ['gsamStep', 2, (o) => gsamStep(o, { rho: 0.05, alpha: 0.3 })],
  ['gsamStep masked', 2, withVector((o, m) => gsamStep(o, { rho: 0.05, alpha: 0.3 }, m))],
  [
    'gradientPenaltyStep masked',
    2,
    withVector((o, m) => gradientPenaltyStep(o, { coefficient: 0.1 }, m)),
  ],
  ['friendlySamStep, first', 2, withVector((o) => friendlySamStep(o, { rho: 0.05 }, undefined))],
  ['friendlySamStep', 2, withVector((o, m) => friendlySamStep(o, { rho: 0.05 }, { m }))],
  ['lookSamStep, SAM', 2, withVector((o) => lookSamStep(o, { rho: 0.05, every: 2 }, 0, undefined))],
  [
    'lookSamStep, reuse',
    1,
    withVector((o, u) => lookSamStep(o, { rho: 0.05, every: 2 }, 1, { gvUnit: u })),
  ],
  ['backstitchStep', 2, (o) => backstitchStep(o, { ascentRate: 0.03 })],
  ['floodProposal(plainStep)', 1, (o) => floodProposal(o.space, plainStep(o), 2)],
  ['floodProposal(samStep)', 2, (o) => floodProposal(o.space, samStep(o, { rho: 0.05 }), 2)],
];

describe.each(rules)('%s', (_name, evaluations, rule) => {
  it('reports the number of gradient evaluations it made and leaks nothing', () => {
    const t = trackingObjective(fn, theta);
    const p = rule(t.objective as Objective<never, never>);
    expect(p.gradientEvaluations).toBe(t.calls());
    expect(p.gradientEvaluations).toBe(evaluations);
    disposeProposal(t.objective.space as never, p);
    expect(t.live.size).toBe(0);
    expect(t.disposedTwice()).toBe(0);
  });

  it('leaks nothing when an evaluation throws', () => {
    for (let failAt = 1; failAt <= evaluations; failAt++) {
      const t = trackingObjective(fn, theta, failAt);
      expect(() => rule(t.objective as Objective<never, never>)).toThrow(/fails/);
      expect(t.live.size).toBe(0);
      expect(t.disposedTwice()).toBe(0);
    }
  });
});

describe('hessianVectorProduct', () => {
  it('makes 2 evaluations and leaves only its product alive', () => {
    const t = trackingObjective(fn, theta);
    const v = t.objective.parameters();
    const { product, gradientEvaluations } = hessianVectorProduct(t.objective, v);
    expect(gradientEvaluations).toBe(2);
    expect(t.calls()).toBe(2);
    t.objective.space.dispose(v, product);
    expect(t.live.size).toBe(0);
  });
});
