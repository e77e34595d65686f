import { describe, expect, it } from 'vitest';
import { pairedComparison, tInterval } from './stats/interval.js';
import type { NoiseSummary } from './summary.js';
import { COLUMNS, markdownTable, tableRows, textTable } from './table.js';

const plainAcc = [0.6, 0.62, 0.64];
const floodAcc = [0.85, 0.88, 0.86];
const summary: NoiseSummary = {
  noise: 0.4,
  entropy: 1.55,
  seeds: [1, 2, 3],
  chosenLevels: [1.55, 1.55, 0.78],
  verdict: 'v',
  methods: [
    {
      name: 'plain',
      setting: 'Adam(0.001)',
      accuracies: plainAcc,
      accuracy: tInterval(plainAcc),
      trainLoss: tInterval([0.1, 0.12, 0.11]),
      epochs: [30, 30, 30],
      topEigenvalue: tInterval([50, 60, 55]),
      trace: tInterval([900, 1000, 1100]),
      curvatureMethod: 'exact',
      gradientsPerStep: 1,
    },
    {
      name: 'flooding',
      setting: 'flooding',
      accuracies: floodAcc,
      accuracy: tInterval(floodAcc),
      vsPlain: pairedComparison(
        { name: 'flooding', values: floodAcc },
        { name: 'plain', values: plainAcc },
      ),
      trainLoss: tInterval([1.5, 1.55, 1.6]),
      epochs: [12, 30, 30],
      gradientsPerStep: 1,
    },
  ],
};

describe('tables', () => {
  it('formats accuracy in % with the interval, the paired difference and its significance', () => {
    const rows = tableRows(summary);
    expect(rows[0]!.slice(0, 5)).toEqual(['plain', '62.0 [57.0, 67.0]', '—', '—', '30']);
    expect(rows[1]![2]).toMatch(/^\+24\.3 \[/);
    expect(rows[1]![3]).toBe('yes, better');
    expect(rows[1]![4]).toBe('12/30/30');
    expect(rows[1]![6]).toBe('—');
    expect(rows[0]!).toHaveLength(COLUMNS.length);
  });

  it('aligns the text table and writes a Markdown table', () => {
    const text = textTable(summary).split('\n');
    expect(text).toHaveLength(4);
    expect(text[0]!.startsWith('method')).toBe(true);
    const md = markdownTable(summary).split('\n');
    expect(md[1]).toMatch(/^\| --- \| ---: \|/);
    expect(md[2]).toContain('| plain | 62.0 [57.0, 67.0] |');
  });
});
