import { describe, expect, it } from 'vitest';
import { makePlan } from './plan.js';
import type { RunRecord } from './results.js';
import {
  assembleSeed,
  iFloodLevel,
  independentMethods,
  type MethodKey,
  methodOf,
  type SearchResult,
  seedUnits,
  taskUnits,
} from './seed-tasks.js';

const run = (name: string): RunRecord => ({
  name,
  setting: name,
  gradientsPerStep: 1,
  history: [],
  reportedEpoch: 1,
  seconds: 0,
});

describe('seed tasks', () => {
  const quick = makePlan('mnist', 'quick');
  const full = makePlan('mnist', 'full');

  it('quick runs SAM, backstitch and the penalty on their own; full adds GSAM, LookSAM and adaptive flooding', () => {
    expect(independentMethods(quick)).toEqual(['SAM', 'backstitch', 'gradient penalty']);
    expect(independentMethods(full)).toEqual([
      'SAM',
      'backstitch',
      'gradient penalty',
      'GSAM',
      'LookSAM',
      'adaptive flooding',
    ]);
  });

  it('counts units as epochs × gradients per step: quick = 40 × (1 + 4 levels + 1 + 3·2)', () => {
    expect(taskUnits(quick, { kind: 'search', noise: 0.4, seed: 1 })).toBe(40 * 5);
    expect(taskUnits(quick, { kind: 'method', noise: 0.4, seed: 1, method: 'SAM' })).toBe(80);
    expect(seedUnits(quick, 0.4)).toBe(40 * 12);
    // full at 40 %: 20 × (1 + 4 levels + iFlood 1 + 3·2 + GSAM 2 + LookSAM 1.2 + adaptive 1)
    expect(seedUnits(full, 0.4)).toBeCloseTo(20 * 16.2, 9);
  });

  it('iFlood runs at the chosen level, or at the smallest level when plain won', () => {
    expect(iFloodLevel({ chosenLevel: 1.55, levels: [0.78, 1.55] })).toBe(1.55);
    expect(iFloodLevel({ chosenLevel: 0, levels: [0.78, 1.55] })).toBe(0.78);
    expect(() => methodOf(quick, 'iFlood')).toThrow(RangeError);
    expect(methodOf(quick, 'iFlood', 0.78).individualLevel).toBe(0.78);
  });

  it('assembles the search rows, then the methods in table order whatever order they finished in', () => {
    const search: SearchResult = {
      entropy: 1.55,
      trainNoise: 0.4,
      levels: [0.78, 1.55],
      grid: [],
      chosenLevel: 1.55,
      runs: ['plain', 'plain + early stop', 'flooding', 'flooding + early stop'].map(run),
      data: 'd',
    };
    const done = new Map<MethodKey, RunRecord>(
      (['gradient penalty', 'iFlood', 'SAM', 'backstitch'] as const).map((k) => [k, run(k)]),
    );
    const seed = assembleSeed(0.4, 7, search, done);
    expect(seed.runs.map((r) => r.name)).toEqual([
      'plain',
      'plain + early stop',
      'flooding',
      'flooding + early stop',
      'iFlood',
      'SAM',
      'backstitch',
      'gradient penalty',
    ]);
    expect([seed.noise, seed.seed, seed.chosenLevel]).toEqual([0.4, 7, 1.55]);
    expect(seed.plainAtFloodLoss).toBeUndefined();
  });
});
