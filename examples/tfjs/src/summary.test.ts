import { describe, expect, it } from 'vitest';
import type { RunRecord, SeedResult } from './results.js';
import { adaptiveText, summarise, summariseNoise } from './summary.js';
import type { EpochRecord } from './train.js';

/** A run whose test accuracy is `acc` at every epoch but the last, `last` there. */
function run(name: string, acc: number, last: number, reportedEpoch = 3): RunRecord {
  const history: EpochRecord[] = [1, 2, 3].map((epoch) => ({
    epoch,
    trainLoss: 1 / epoch,
    validationAccuracy: 0.5,
    testAccuracy: epoch === 3 ? last : acc,
  }));
  return { name, setting: name, gradientsPerStep: 1, history, reportedEpoch, seconds: 1 };
}

function seed(
  s: number,
  noise: number,
  plainLast: number,
  floodLast: number,
  samLast: number,
): SeedResult {
  return {
    noise,
    seed: s,
    entropy: 1.55,
    trainNoise: noise,
    grid: [],
    chosenLevel: 1.55,
    runs: [
      run('plain', 0.9, plainLast),
      run('plain + early stop', 0.95, plainLast, 1),
      run('flooding', 0.9, floodLast),
      run('SAM', 0.9, samLast),
    ],
    data: 'd',
  };
}

describe('summariseNoise', () => {
  const seeds = [
    seed(1, 0.4, 0.6, 0.85, 0.61),
    seed(2, 0.4, 0.62, 0.88, 0.6),
    seed(3, 0.4, 0.64, 0.86, 0.66),
  ];

  it('reports each method at its reported epoch, with paired differences to plain', () => {
    const s = summariseNoise(seeds);
    const byName = Object.fromEntries(s.methods.map((m) => [m.name, m]));
    expect(byName.plain!.accuracies).toEqual([0.6, 0.62, 0.64]);
    expect(byName['plain + early stop']!.accuracies).toEqual([0.95, 0.95, 0.95]);
    expect(byName.plain!.vsPlain).toBeUndefined();
    expect(byName.flooding!.vsPlain!.outcome).toBe('better');
    // SAM − plain = +0.01, −0.02, +0.02: the interval contains 0.
    expect(byName.SAM!.vsPlain!.outcome).toBe('unresolved');
    expect(s.floodVsEarlyStop!.outcome).toBe('worse');
    expect(s.verdict).toContain('better than plain: plain + early stop (+33.0');
    expect(s.verdict).toContain('not distinguishable from plain (interval contains 0): SAM');
    expect(s.verdict).toContain('worse than plain + early stop: flooding');
    expect(s.chosenLevels).toEqual([1.55, 1.55, 1.55]);
  });

  it('lists the level adaptive flooding set per seed (0 and epoch 0: never set)', () => {
    const withAdaptive = seeds.map((x, i) => ({
      ...x,
      runs: [
        ...x.runs,
        {
          ...run('adaptive flooding', 0.9, 0.8),
          levelChanges: i === 1 ? [] : [{ epoch: 4 + i, level: 1.2 + i / 10 }],
        },
      ],
    }));
    expect(summariseNoise(withAdaptive).adaptiveLevels).toEqual([
      { level: 1.2, epoch: 4 },
      { level: 0, epoch: 0 },
      { level: 1.4, epoch: 6 },
    ]);
    expect(adaptiveText(summariseNoise(withAdaptive))).toBe(
      'adaptive level per seed: 1.20 (epoch 4), never set, 1.40 (epoch 6)',
    );
    expect(summariseNoise(seeds).adaptiveLevels).toBeUndefined();
    expect(adaptiveText(summariseNoise(seeds))).toBe('');
  });

  it('groups by noise level (lowest first) and rejects mixed or empty input', () => {
    const mixed = [...seeds, seed(1, 0, 0.97, 0.97, 0.97), seed(2, 0, 0.98, 0.97, 0.98)];
    expect(summarise(mixed).map((s) => s.noise)).toEqual([0, 0.4]);
    expect(() => summariseNoise(mixed)).toThrow(/same noise/);
    expect(() => summariseNoise([])).toThrow(RangeError);
  });
});
