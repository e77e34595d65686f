/** The README's examples, run (so that they stay true). */
import { describe, expect, it } from 'vitest';
import {
  type AdaptiveFloodLevel,
  adaptiveFloodLevel,
  constant,
  cosine,
  join,
  scheduleFromJSON,
  warmup,
} from './index.js';

describe('README examples', () => {
  it('the flood level joined from constant(0) and a warm-up is 0.025 at step 1250', () => {
    const level = join([constant(0), warmup({ steps: 500, to: 0.05 })], [1000]);
    expect(level(1250)).toBeCloseTo(0.025, 15);
    const decay = cosine({ from: 0.05, to: 0.01, steps: 10_000 });
    const again = scheduleFromJSON(JSON.parse(JSON.stringify(decay)));
    expect(again(1234)).toBe(decay(1234));
  });
  it('checkpoints and resumes an adaptive level', () => {
    const b = adaptiveFloodLevel({ fraction: 1, patience: 20 });
    b.observe({ step: 640, trainingLoss: 0.31, validationLoss: 0.39 });
    const saved = JSON.stringify({ config: b, state: b.getState() });
    const { config, state } = JSON.parse(saved);
    const resumed = scheduleFromJSON(config) as AdaptiveFloodLevel;
    resumed.setState(state);
    expect(resumed.getState()).toEqual(b.getState());
    expect(resumed.getState().best).toBe(0.39);
  });
});
