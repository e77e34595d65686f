import { describe, expect, it } from 'vitest';
import { quadraticObjective } from '../test/quadratic.js';
import { gradientNorm } from './gradient-norm.js';

describe('gradientNorm', () => {
  it('gives the global and per-block norms of a hand-computed gradient', async () => {
    // L = ½‖θ‖² + bᵀθ at θ = 0: gradient = b = (3, 4 | 1, 2, 2, 0, 0, 0).
    const a = Array.from({ length: 8 }, (_, i) =>
      Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0)),
    );
    const objective = quadraticObjective(a, {
      theta: new Float64Array(8),
      b: Float64Array.of(3, 4, 1, 2, 2, 0, 0, 0),
      blocks: [
        { name: 'bias', shape: [2] },
        { name: 'kernel', shape: [2, 3] },
      ],
    });
    const r = await gradientNorm(objective, { perVariable: true });
    expect(r.norm).toBeCloseTo(Math.sqrt(34), 14);
    expect(r.perVariable).toEqual({ bias: 5, kernel: 3 });
    expect(r.loss).toBe(0);
    expect(r.gradientEvaluations).toBe(1);
    expect((await gradientNorm(objective)).perVariable).toBeUndefined();
  });
});
