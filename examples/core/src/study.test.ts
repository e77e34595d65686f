import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP, parseCli } from './cli.js';
import { polynomialLoss } from './losses.js';
import { writeReport } from './report.js';
import { backstitchError, floodingError, runStudy, summarise } from './study.js';
import { formatRows, formatSummary } from './table.js';

describe('the study (tiny settings)', () => {
  const rows = runStudy({ start: 0.05, levels: 3 });

  it('has one row per experiment, loss and ε', () => {
    expect(rows).toHaveLength(2 * 3 * 3);
    expect(new Set(rows.map((r) => r.epsilon))).toEqual(new Set([0.05, 0.025, 0.0125]));
  });

  it('is exact on the quadratic and third order on the quartic and logistic losses', () => {
    for (const s of summarise(rows)) {
      if (s.loss === 'quadratic') {
        expect(s.maxError).toBeLessThan(1e-14);
        expect(s.orders).toBeNull();
      } else {
        expect(s.maxError).toBeGreaterThan(1e-12);
        expect(s.orders![0]).toBeGreaterThan(2.7);
        expect(s.orders![1]).toBeLessThan(3.3);
      }
    }
  });

  it('backstitchError and floodingError shrink 8× when ε halves', () => {
    const quartic = polynomialLoss('quartic', 0.5);
    const e = [0.02, 0.01].map((eps) => backstitchError(quartic, eps, eps / 3));
    expect(Math.log2(e[0]! / e[1]!)).toBeCloseTo(3, 0);
    const f = [0.02, 0.01].map((eps) => floodingError(quartic, eps));
    expect(Math.log2(f[0]! / f[1]!)).toBeCloseTo(3, 0);
  });

  it('prints the rows and the summary', () => {
    const text = formatRows(rows);
    expect(text.split('\n')).toHaveLength(rows.length + 2);
    expect(text).toMatch(/backstitch .* quartic +5\.000e-2/);
    const summary = formatSummary(summarise(rows));
    expect(summary).toMatch(/quadratic .* exact \(rounding only\)/);
    expect(summary).toMatch(/logistic .* second-order equivalence/);
  });

  it('rejects bad settings', () => {
    expect(() => runStudy({ start: 0 })).toThrow(/start must be a finite number > 0/);
    expect(() => runStudy({ levels: 1 })).toThrow(/levels must be an integer >= 2/);
    expect(() => runStudy({ alpha: -1 })).toThrow(/alpha/);
  });
});

describe('writeReport', () => {
  it('writes a valid SVG chart and the JSON rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flood-example-core-'));
    try {
      const report = await writeReport(dir, { start: 0.05, levels: 2 });
      const svg = await readFile(report.files.svg, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toContain('backstitch · quartic');
      expect(svg).toContain('C·ε³ (reference)');
      const json = JSON.parse(await readFile(report.files.json, 'utf8'));
      expect(json).toHaveLength(report.rows.length);
      expect(report.text).toContain('order');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseCli', () => {
  it('has defaults and reads options', () => {
    expect(parseCli([])).toEqual({ help: false, out: 'out', start: 0.1, levels: 6 });
    expect(parseCli(['--out', 'x', '--start', '0.2', '--levels', '4'])).toEqual({
      help: false,
      out: 'x',
      start: 0.2,
      levels: 4,
    });
    expect(parseCli(['-h']).help).toBe(true);
    expect(parseCli(['--', '--help']).help).toBe(true);
    expect(HELP).toContain('--out DIR');
  });

  it('rejects bad values and unknown options', () => {
    expect(() => parseCli(['--start=-1'])).toThrow(/--start must be a finite number > 0/);
    expect(() => parseCli(['--start', 'abc'])).toThrow(/--start must be a finite number > 0/);
    expect(() => parseCli(['--levels', '1.5'])).toThrow(/--levels must be an integer >= 2/);
    expect(() => parseCli(['--bogus'])).toThrow();
  });
});
