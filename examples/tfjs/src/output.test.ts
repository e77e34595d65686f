import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSaved, saveSeed, startOutput } from './output.js';
import { makePlan } from './plan.js';
import type { SeedResult } from './results.js';

const dir = mkdtempSync(join(tmpdir(), 'flood-demo-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = (s: number): SeedResult => ({
  noise: 0.4,
  seed: s,
  entropy: 1.55,
  trainNoise: 0.4,
  grid: [{ level: 0, validationAccuracy: 0.5, validationLoss: 1.9, testAccuracy: 0.7 }],
  chosenLevel: 0,
  runs: [],
  data: 'd',
});

describe('partial results', () => {
  it('saves each finished pair as one line and reads plan and pairs back', () => {
    const plan = makePlan('mnist', 'full');
    startOutput(dir, plan);
    expect(loadSaved(dir)).toEqual({ plan, seeds: [] });
    saveSeed(dir, seed(2));
    saveSeed(dir, seed(1));
    expect(readFileSync(join(dir, 'seeds.jsonl'), 'utf8').split('\n')).toHaveLength(3);
    expect(loadSaved(dir).seeds).toEqual([seed(2), seed(1)]);
    // A new run starts from an empty file.
    startOutput(dir, plan);
    expect(loadSaved(dir).seeds).toEqual([]);
  });
});
