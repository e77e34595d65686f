import { Backstitch, Flooding, GradientPenalty, SAM } from '@flood/tfjs';
import { describe, expect, it } from 'vitest';
import {
  backstitchMethod,
  floodingMethod,
  gradientPenaltyMethod,
  plainMethod,
  samMethod,
} from './methods.js';

const p = { learningRate: 0.1, penalty: 0.0195, rho: 0.05 };

describe('methods', () => {
  it('backstitch uses the rates of backstitchRates (hand-checked: ε1 = 0.13, ε2 = 0.03)', () => {
    const m = backstitchMethod(p);
    expect(m.setting).toContain('ε1 = 0.13)');
    expect(m.setting).toContain('ε2 = 0.03 ');
    expect(m.gradientsPerStep).toBe(2);
    const opt = m.create();
    expect(opt).toBeInstanceOf(Backstitch);
    opt.dispose();
  });

  it('builds the optimizer each method names, with readable settings', () => {
    const cases = [
      [floodingMethod(p, 0.05), Flooding, 1],
      [gradientPenaltyMethod(p), GradientPenalty, 2],
      [samMethod(p), SAM, 2],
    ] as const;
    for (const [m, cls, grads] of cases) {
      const opt = m.create();
      expect(opt).toBeInstanceOf(cls);
      expect(m.gradientsPerStep).toBe(grads);
      opt.dispose();
    }
    expect(gradientPenaltyMethod(p).setting).toContain('λ = 0.0195,');
    expect(plainMethod(p).setting).toBe('SGD(η = 0.1)');
  });
});
