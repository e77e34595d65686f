import { describe, expect, it } from 'vitest';
import { type Num, trackingObjective, type Vec } from '../../test/tracking.js';
import type { Objective } from '../objective.js';
import { type ProbingRule, probingStep } from './probing-step.js';
import { disposeProposal } from './proposal.js';

/** L = ½‖θ‖², ∇L = θ: the probe gradient is θ + δ. */
const fn = (t: Float64Array) => ({
  loss: 0.5 * t.reduce((s, x) => s + x * x, 0),
  gradient: t.slice(),
});
const theta = Float64Array.of(3, 0, -4); // ‖θ‖ = 5

/** The objective, with the number of live vectors seen by each evaluation. */
function watched(failAt?: number) {
  const t = trackingObjective(fn, theta, failAt);
  const vectorsAtEvaluation: number[] = [];
  const evaluate = t.objective.evaluate;
  t.objective.evaluate = (offset, consume) => {
    vectorsAtEvaluation.push([...t.live].filter((v) => v.kind === 'vec').length);
    return evaluate(offset, consume);
  };
  return { ...t, space: t.objective.space, vectorsAtEvaluation };
}

/** `x` equals `want` to 15 digits (entry by entry). */
function expectClose(x: Vec, want: readonly number[]) {
  expect(x.data.length).toBe(want.length);
  x.data.forEach((xi, i) => {
    expect(xi).toBeCloseTo(want[i]!, 15);
  });
}

/** δ = g0/‖g0‖ (a unit step along the gradient). */
const unitOffset =
  (space: Objective<Vec, Num>['space']) =>
  (g0: Vec, norm: Num): Vec => {
    const k = space.scalar.div(1, norm);
    const delta = space.scale(g0, k);
    space.dispose(k);
    return delta;
  };

describe('probingStep', () => {
  it('without combine hands on g1 = ∇L(θ + δ) and frees g0 before the probe pass', () => {
    const t = watched();
    const p = probingStep(t.objective, { offset: unitOffset(t.space) });
    // δ = θ/5 = (0.6, 0, −0.8); ∇L(θ + δ) = 1.2·θ.
    expectClose(p.gradient, [3.6, 0, -4.8]);
    expect([p.loss.value, p.gradientNorm.value, p.probeLoss!.value]).toEqual([12.5, 5, 18]);
    expect(p.gradientEvaluations).toBe(2);
    // Clean pass: nothing live; probe pass: δ only (g0 already freed).
    expect(t.vectorsAtEvaluation).toEqual([0, 1]);
    disposeProposal(t.space, p);
    expect(t.live.size).toBe(0);
    expect(t.disposedTwice()).toBe(0);
  });

  it('with combine keeps g0 through the probe pass, then frees g0 and g1 unless handed on', () => {
    for (const handOnG1 of [false, true]) {
      const t = watched();
      const p = probingStep(t.objective, {
        offset: unitOffset(t.space),
        combine: (g0, g1) => (handOnG1 ? g1 : t.space.sub(g1, g0)),
      });
      expectClose(p.gradient, handOnG1 ? [3.6, 0, -4.8] : [0.6, 0, -0.8]);
      expect(t.vectorsAtEvaluation).toEqual([0, 2]); // g0 and δ
      disposeProposal(t.space, p);
      expect(t.live.size).toBe(0);
      expect(t.disposedTwice()).toBe(0);
    }
  });

  it('frees everything exactly once when a pass, the offset or the combination throws', () => {
    const cases: [string, number | undefined, Partial<ProbingRule<Vec, Num>>][] = [
      ['clean pass', 1, {}],
      ['probe pass', 2, {}],
      ['offset', undefined, { offset: () => fail('offset') }],
      ['combine', undefined, { combine: () => fail('combine') }],
    ];
    for (const [where, failAt, override] of cases) {
      const t = watched(failAt);
      let kept: Num | undefined;
      let abandoned = 0;
      const rule: ProbingRule<Vec, Num> = {
        offset: (g0, norm) => {
          kept = t.space.scalar.of(2); // made for later, freed by abandon on failure
          return unitOffset(t.space)(g0, norm);
        },
        abandon: () => {
          abandoned++;
          t.space.dispose(kept);
        },
        ...override,
      };
      expect(() => probingStep(t.objective, rule), where).toThrow(/fails/);
      expect(abandoned, where).toBe(failAt === 1 ? 0 : 1);
      expect(t.live.size, where).toBe(0);
      expect(t.disposedTwice(), where).toBe(0);
    }
  });
});

function fail(where: string): never {
  throw new Error(`${where} fails`);
}
