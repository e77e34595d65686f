/**
 * The seed's equivalences as dynamics: a descent/ascent pair of plain gradient
 * steps against one gradient-descent step on the penalised loss, with every
 * gradient and Hessian in closed form (test/fixtures.ts). Exact on quadratics,
 * error O(ε³) elsewhere.
 */
import { describe, expect, it } from 'vitest';
import {
  type Analytic,
  drawProblem,
  objectiveOf,
  quadratic,
  quartic,
  randomVector,
} from '../test/fixtures.js';
import { logisticData } from '../test/logistic.js';
import { combine, distance, orders, relativeError } from '../test/vectors.js';
import { backstitchEquivalent, floodingEquivalent } from './equivalences.js';
import { backstitchStep } from './rules/backstitch.js';
import { floodProposal } from './rules/flooding.js';
import { plainStep } from './rules/plain.js';

/** Descent ε1 then ascent ε2 (or ascent first), by hand with the closed-form gradient. */
function pair(f: Analytic, theta: Float64Array, e1: number, e2: number, ascentFirst = false) {
  if (ascentFirst) {
    const mid = combine([1, theta], [e2, f.gradient(theta)]);
    return combine([1, mid], [-e1, f.gradient(mid)]);
  }
  const mid = combine([1, theta], [-e1, f.gradient(theta)]);
  return combine([1, mid], [e2, f.gradient(mid)]);
}

/** One GD step of rate η on L + λ‖∇L‖², whose gradient is g + 2λHg (closed form). */
function penalisedStep(f: Analytic, theta: Float64Array, eta: number, lambda: number) {
  const g = f.gradient(theta);
  return combine([1, theta], [-eta, g], [-2 * eta * lambda, f.hessianVector(theta, g)]);
}

/** The displacement θ'' − θ, compared relative to the oracle's displacement. */
function displacementError(theta: Float64Array, got: Float64Array, want: Float64Array): number {
  return relativeError(combine([1, got], [-1, theta]), combine([1, want], [-1, theta]));
}

const {
  matrices: [definite, indefinite],
  c,
  theta: theta0,
} = drawProblem(20200731, [1, 2, 0.5, 3, 1.5, 0.8], [1, -2, 0.5, -3, 1.5, -0.8]);

describe.each([
  ['definite', definite],
  ['indefinite', indefinite],
])('on a quadratic ½θᵀAθ − cᵀθ with %s A', (_kind, a) => {
  const f = quadratic(a, c);
  const rates: [number, number][] = [
    [0.13, 0.03],
    [0.05, 0.049],
    [0.2, 0],
    [1e-3, 5e-4],
  ];

  it.each(rates)(
    'descent ε1 = %d then ascent ε2 = %d is one GD step on L + λ‖∇L‖² (both orders)',
    (e1, e2) => {
      const { learningRate, penalty } = backstitchEquivalent({ descentRate: e1, ascentRate: e2 });
      const want = penalisedStep(f, theta0, learningRate, penalty);
      expect(displacementError(theta0, pair(f, theta0, e1, e2), want)).toBeLessThan(1e-12);
      expect(displacementError(theta0, pair(f, theta0, e1, e2, true), want)).toBeLessThan(1e-12);
    },
  );

  it.each(rates)(
    'backstitchStep (ε2 = %d) + an SGD step of rate ε1 = %d applied by hand is that GD step',
    (e1, e2) => {
      const obj = objectiveOf(f, theta0);
      const proposal = backstitchStep(obj, { ascentRate: e2 });
      obj.moveBy(proposal.displacement!);
      obj.moveBy(combine([-e1, proposal.gradient]));
      const { learningRate, penalty } = backstitchEquivalent({ descentRate: e1, ascentRate: e2 });
      const want = penalisedStep(f, theta0, learningRate, penalty);
      expect(displacementError(theta0, obj.parameters(), want)).toBeLessThan(1e-12);
      expect(proposal.gradientEvaluations).toBe(2);
    },
  );

  it.each([0.2, 0.05, 1e-3])(
    'a flooding pair at equal rate ε = %d is θ − (ε²/2)∇‖∇L‖² = θ − ε²Ag',
    (eps) => {
      const g = f.gradient(theta0);
      const { penaltyRate } = floodingEquivalent({ learningRate: eps });
      // ∇‖∇L‖² = 2Ag on a quadratic.
      const want = combine([1, theta0], [-penaltyRate * 2, f.hessianVector(theta0, g)]);
      expect(displacementError(theta0, pair(f, theta0, eps, eps), want)).toBeLessThan(1e-12);
      expect(displacementError(theta0, pair(f, theta0, eps, eps, true), want)).toBeLessThan(1e-12);
    },
  );

  it('floodProposal gives that pair: descent above the level, ascent below it', () => {
    const eps = 0.01;
    // Shift the loss by a constant (same gradient) so the flood level b >= 0.
    const shift = 1 + Math.abs(f.loss(theta0)) * 2;
    const obj = objectiveOf({ ...f, loss: (t) => f.loss(t) + shift }, theta0);
    const l0 = f.loss(theta0) + shift;
    const l1 = f.loss(combine([1, theta0], [-eps, f.gradient(theta0)])) + shift;
    expect(l1).toBeLessThan(l0); // a small descent step lowers the loss
    // The level sits between the loss before and after the descent step, so
    // the first step descends (L > b) and the second ascends (L < b).
    const b = (l0 + l1) / 2;
    const ascended: number[] = [];
    for (let k = 0; k < 2; k++) {
      const p = floodProposal(obj.space, plainStep(obj), b);
      obj.moveBy(combine([-eps, p.gradient]));
      ascended.push(p.ascended!);
    }
    expect(ascended).toEqual([0, 1]);
    const want = combine([1, theta0], [-eps * eps, f.hessianVector(theta0, f.gradient(theta0))]);
    expect(displacementError(theta0, obj.parameters(), want)).toBeLessThan(1e-12);
  });
});

/** Every neighbouring pair of errors (ε halving) must have its order in [low, high]. */
function expectOrders(errors: number[], low: number, high: number) {
  for (const p of orders(errors)) {
    expect(p).toBeGreaterThan(low);
    expect(p).toBeLessThan(high);
  }
}

const eps = [0, 1, 2, 3, 4].map((k) => 0.1 * 2 ** -k);

describe.each([
  ['a quartic', quartic(indefinite, c, 0.7), theta0],
  ['logistic regression', logisticData(40, 5, 7), randomVector(5, 3)],
])('on %s the equivalences hold to second order: error ∝ ε³', (_name, f, theta) => {
  it('backstitch pair ε1 = ε, ε2 = ε/3 vs GD on L + λ‖∇L‖²', () => {
    const errors = eps.map((e) => {
      const { learningRate, penalty } = backstitchEquivalent({ descentRate: e, ascentRate: e / 3 });
      const want = penalisedStep(f, theta, learningRate, penalty);
      return distance(pair(f, theta, e, e / 3), want);
    });
    expectOrders(errors, 2.7, 3.3);
    expect(errors[0]).toBeGreaterThan(1e-7); // a real, measurable error at ε = 0.1
  });

  it('ascent-first pair (backstitchStep + SGD) vs GD on L + λ‖∇L‖²', () => {
    const errors = eps.map((e) => {
      const obj = objectiveOf(f, theta);
      const proposal = backstitchStep(obj, { ascentRate: e / 3 });
      obj.moveBy(proposal.displacement!);
      obj.moveBy(combine([-e, proposal.gradient]));
      const { learningRate, penalty } = backstitchEquivalent({ descentRate: e, ascentRate: e / 3 });
      return distance(obj.parameters(), penalisedStep(f, theta, learningRate, penalty));
    });
    expectOrders(errors, 2.7, 3.3);
  });

  it('flooding pair at equal rate ε vs θ − (ε²/2)∇‖∇L‖²', () => {
    const errors = eps.map((e) => {
      const { penaltyRate } = floodingEquivalent({ learningRate: e });
      const g = f.gradient(theta);
      const want = combine([1, theta], [-2 * penaltyRate, f.hessianVector(theta, g)]);
      return distance(pair(f, theta, e, e), want);
    });
    expectOrders(errors, 2.7, 3.3);
  });
});
