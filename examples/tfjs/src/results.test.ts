import { describe, expect, it } from 'vitest';
import { chooseLevel, summarise } from './results.js';
import type { EpochRecord } from './train.js';

const record = (epoch: number, testLoss: number, floodProp?: number): EpochRecord => ({
  epoch,
  trainLoss: 1 / (epoch + 1),
  testLoss,
  testAccuracy: [0, 0.81, 0.82, 0.83][epoch]!,
  ...(floodProp === undefined ? {} : { floodProp }),
});

describe('summarise', () => {
  it('finds the lowest test loss and reports the last epoch', () => {
    const s = summarise([record(1, 0.5), record(2, 0.3), record(3, 0.4, 0.25)], {
      seconds: 2,
      topEigenvalue: 7,
      withFloodProp: true,
    });
    expect(s).toEqual({
      bestTestLoss: 0.3,
      bestEpoch: 2,
      finalTestLoss: 0.4,
      testAccuracy: 0.83,
      trainLoss: 0.25,
      floodProp: 0.25,
      topEigenvalue: 7,
      seconds: 2,
    });
  });

  it('leaves floodProp out unless asked, and rejects an empty history', () => {
    const s = summarise([record(1, 0.5, 0.5)], { seconds: 1, withFloodProp: false });
    expect(s.floodProp).toBeUndefined();
    expect(() => summarise([], { seconds: 1, withFloodProp: false })).toThrow(RangeError);
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
