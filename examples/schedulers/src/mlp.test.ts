import { seededRandom } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { initialParameters, logisticLoss, parameterCount } from './mlp.js';
import { sinusoid } from './sinusoid.js';

describe('logisticLoss', () => {
  const data = sinusoid(30, 0.1, seededRandom(3));
  const hidden = 5;
  const params = initialParameters(hidden, seededRandom(4));
  // Non-zero biases so that every parameter block is exercised.
  for (let j = 2 * hidden; j < 3 * hidden; j++) params[j] = 0.1 * (j - 2.5 * hidden);
  params[4 * hidden] = 0.3;

  it('has the exact gradient (central finite differences)', () => {
    const gradient = new Float64Array(parameterCount(hidden));
    logisticLoss(params, hidden, data, gradient);
    const h = 1e-6;
    for (let j = 0; j < params.length; j++) {
      const plus = Float64Array.from(params);
      const minus = Float64Array.from(params);
      plus[j] += h;
      minus[j] -= h;
      const fd = (logisticLoss(plus, hidden, data) - logisticLoss(minus, hidden, data)) / (2 * h);
      expect(gradient[j]).toBeCloseTo(fd, 6);
    }
  });
  it('is log 2 for a zero network (logit 0 for every point)', () => {
    const zero = new Float64Array(parameterCount(hidden));
    expect(logisticLoss(zero, hidden, data)).toBeCloseTo(Math.LN2, 15);
  });
  it('averages over the selected batch only', () => {
    const order = Uint32Array.from([4, 7]);
    const both = logisticLoss(params, hidden, data, undefined, order, 0, 2);
    const first = logisticLoss(params, hidden, data, undefined, order, 0, 1);
    const second = logisticLoss(params, hidden, data, undefined, order, 1, 2);
    expect(both).toBeCloseTo((first + second) / 2, 15);
  });
});
