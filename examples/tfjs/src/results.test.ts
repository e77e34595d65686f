import { describe, expect, it } from 'vitest';
import { chooseLevel, earlyStopEpoch, reportedAccuracy } from './results.js';
import type { EpochRecord } from './train.js';

const record = (epoch: number, validationAccuracy: number): EpochRecord => ({
  epoch,
  trainLoss: 1 / (epoch + 1),
  validationAccuracy,
  testAccuracy: 0.5 + epoch / 10,
});

describe('earlyStopEpoch', () => {
  it('takes the best noisy-validation epoch, the earliest on ties', () => {
    expect(earlyStopEpoch([record(1, 0.5), record(2, 0.7), record(3, 0.7), record(4, 0.6)])).toBe(
      2,
    );
    expect(() => earlyStopEpoch([])).toThrow(RangeError);
    expect(() => earlyStopEpoch([{ epoch: 1, trainLoss: 1 }])).toThrow(/validation/);
  });

  it('reports the test accuracy of that epoch', () => {
    const history = [record(1, 0.5), record(2, 0.7), record(3, 0.6)];
    const run = { name: 'x', setting: '', gradientsPerStep: 1, history, seconds: 1 };
    expect(reportedAccuracy({ ...run, reportedEpoch: earlyStopEpoch(history) })).toBeCloseTo(
      0.7,
      12,
    );
    expect(reportedAccuracy({ ...run, reportedEpoch: 3 })).toBeCloseTo(0.8, 12);
    expect(() => reportedAccuracy({ ...run, reportedEpoch: 9 })).toThrow(/epoch 9/);
  });
});

describe('chooseLevel', () => {
  it('takes the best validation accuracy, then the lower loss, then the smaller level', () => {
    expect(
      chooseLevel([
        { level: 0, validationAccuracy: 0.8, validationLoss: 0.5 },
        { level: 0.05, validationAccuracy: 0.85, validationLoss: 0.6 },
        { level: 0.1, validationAccuracy: 0.85, validationLoss: 0.4 },
      ]),
    ).toBe(0.1);
    expect(
      chooseLevel([
        { level: 0.1, validationAccuracy: 0.8, validationLoss: 0.5 },
        { level: 0, validationAccuracy: 0.8, validationLoss: 0.5 },
      ]),
    ).toBe(0);
    expect(() => chooseLevel([])).toThrow(RangeError);
  });
});
