import type { FloodOptimizer } from '@flood/tfjs';
import { describe, expect, it } from 'vitest';
import {
  ADAPTIVE_LEVEL,
  adaptiveFloodMethod,
  backstitchMethod,
  floodingMethod,
  gradientPenaltyMethod,
  gsamMethod,
  iFloodMethod,
  lookSamMethod,
  observeEpoch,
  plainMethod,
  samMethod,
} from './methods.js';

const p = { learningRate: 1e-3, penalty: 0.01, rho: 0.05 };

describe('methods', () => {
  it('backstitch ascends 2λ, so it matches the penalty λ', () => {
    const m = backstitchMethod(p);
    expect(m.setting).toContain('ε2 = 0.02 ');
    expect(m.gradientsPerStep).toBe(2);
    const opt = m.create();
    expect(opt.getClassName()).toBe('Backstitch');
    expect((opt as FloodOptimizer).spec.ascentRate).toBe(0.02);
    opt.dispose();
    expect(gradientPenaltyMethod(p).setting).toContain('λ = 0.01,');
  });

  it('builds the optimizer each method names, around Adam', () => {
    const cases = [
      [floodingMethod(p, 1.55), 'Flooding', 1],
      [gradientPenaltyMethod(p), 'GradientPenalty', 2],
      [samMethod(p), 'SAM', 2],
      [plainMethod(p), 'Adam', 1],
      [iFloodMethod(p, 1.55), 'Adam', 1],
      [gsamMethod(p), 'GSAM', 2],
      [lookSamMethod(p), 'LookSAM', 1.2],
    ] as const;
    for (const [m, className, grads] of cases) {
      const opt = m.create();
      expect(opt.getClassName()).toBe(className);
      expect(m.gradientsPerStep).toBe(grads);
      opt.dispose();
    }
    expect(floodingMethod(p, 1.55)).toMatchObject({ name: 'flooding b=1.55', floodLevel: 1.55 });
    expect(iFloodMethod(p, 0.78).individualLevel).toBe(0.78);
    expect(plainMethod(p).setting).toBe('Adam(0.001)');
  });

  it('adaptive flooding: b = 0 until the validation loss stalls for 2 epochs, then the training loss then', () => {
    expect(ADAPTIVE_LEVEL).toEqual({ fraction: 1, patience: 2 });
    const m = adaptiveFloodMethod(p);
    const opt = m.create();
    expect(opt.getClassName()).toBe('Flooding');
    expect(m.adaptive!(0)).toBe(0);
    // 10 steps per epoch; validation best at epoch 2, no improvement at 3 and 4.
    const losses = [
      [2.0, 1.9],
      [1.7, 1.6],
      [1.5, 1.65],
      [1.3, 1.7],
      [1.1, 1.8],
    ] as const;
    losses.forEach(([trainingLoss, validationLoss], i) => {
      observeEpoch(m, { step: 10 * (i + 1), trainingLoss, validationLoss });
    });
    expect(m.adaptive!.getState().changes).toEqual([{ step: 40, level: 1.3 }]);
    expect([39, 40, 1000].map((t) => m.adaptive!(t))).toEqual([0, 1.3, 1.3]);
    // Other methods ignore observations.
    expect(() => observeEpoch(plainMethod(p), { step: 1, trainingLoss: 1 })).not.toThrow();
    opt.dispose();
  });
});
