import { describe, expect, it } from 'vitest';
import type { MethodResult } from './results.js';
import { markdownTable, tableRows, textTable } from './table.js';

const method: MethodResult = {
  name: 'flooding',
  setting: 'flooding(SGD(0.1), { level: 0.05 })',
  gradientsPerStep: 1,
  history: [],
  summary: {
    bestTestLoss: 0.31234,
    bestEpoch: 12,
    finalTestLoss: 0.4,
    testAccuracy: 0.9123,
    trainLoss: 0.05,
    floodProp: 0.5,
    topEigenvalue: 12.345,
    seconds: 3.21,
  },
};

describe('tables', () => {
  it('formats a row with fixed digits and a dash for missing values', () => {
    expect(tableRows([method])[0]).toEqual([
      'flooding',
      '0.3123 (12)',
      '0.4000',
      '91.23 %',
      '0.0500',
      '0.50',
      '12.35',
      '1',
      '3.2',
    ]);
    const { floodProp: _, ...rest } = method.summary;
    expect(tableRows([{ ...method, summary: rest }])[0]![5]).toBe('—');
  });

  it('aligns the text table and writes a Markdown table with right-aligned numbers', () => {
    const lines = textTable([method]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.indexOf('best test loss')).toBe(lines[2]!.indexOf('0.3123'));
    const md = markdownTable([method]).split('\n');
    expect(md[1]).toBe('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(md[2]).toBe(
      '| flooding | 0.3123 (12) | 0.4000 | 91.23 % | 0.0500 | 0.50 | 12.35 | 1 | 3.2 |',
    );
  });
});
