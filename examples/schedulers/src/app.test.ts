import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExample, summary } from './app.js';
import { HELP, parseCli } from './cli.js';

describe('the schedulers example (tiny settings)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes an SVG chart, and the adaptive level changes only after the validation loss stops improving', async () => {
    const out = await mkdtemp(join(tmpdir(), 'flood-schedulers-'));
    dirs.push(out);
    const patience = 10;
    const result = await runExample({
      out,
      train: { epochs: 200, hidden: 32 },
      adaptive: { patience },
      steps: 50,
    });
    const svg = await readFile(result.svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('adaptiveFloodLevel');
    const { study } = result;
    const [change] = study.openLoopChanges;
    expect(change).toBeDefined();
    // The level is set `patience` epochs (here 1 step = 1 epoch) after the last improvement,
    // to the training loss of that epoch (fraction 1), and stays 0 before.
    const at = study.recorded.findIndex((r) => r.step === change!.step);
    const before = study.recorded.slice(0, at + 1);
    const best = before.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
    expect(change!.step - best.step).toBe(patience);
    expect(change!.level).toBe(study.recorded[at]!.trainingLoss);
    expect(study.openLoopLevels.slice(0, at).every((b) => b === 0)).toBe(true);
    // The closed loop floods from the same step on: its training loss floats at b, while the
    // unflooded one falls below b.
    expect(study.closedLoopChanges[0]).toEqual(change);
    const last = study.flooded.at(-1)!;
    expect(Math.abs(last.trainingLoss - change!.level)).toBeLessThan(0.01);
    expect(study.recorded.at(-1)!.trainingLoss).toBeLessThan(change!.level);
    const data = JSON.parse(await readFile(result.dataPath, 'utf8'));
    expect(data.recorded).toHaveLength(200);
    expect(summary(result)).toContain('lowest validation loss');
  });

  it('parses the command line', () => {
    expect(parseCli([])).toMatchObject({ out: 'out', help: false, patience: 20, fraction: 1 });
    expect(parseCli(['--out', 'x', '--epochs', '50', '--help'])).toMatchObject({
      out: 'x',
      epochs: 50,
      help: true,
    });
    expect(() => parseCli(['--fraction', '1.5'])).toThrow(
      /--fraction must be a number in \(0, 1\]/,
    );
    expect(() => parseCli(['--epochs', '3'])).toThrow(/--epochs must be an integer >= 10/);
    expect(parseCli(['--seed', String(2 ** 32 - 1)]).seed).toBe(2 ** 32 - 1);
    expect(() => parseCli(['--seed', String(2 ** 32)])).toThrow(
      /--seed must be an integer in \[0, 2\^32\)/,
    );
    expect(() => parseCli(['--seed=-1'])).toThrow(/--seed must be an integer >= 0/);
    expect(() => parseCli(['--nope'])).toThrow();
    // `pnpm --filter … start -- --help` (the form the README and HELP give) passes the `--` on.
    expect(parseCli(['--', '--help']).help).toBe(true);
    expect(parseCli(['--', '--patience', '30'])).toMatchObject({ patience: 30 });
    expect(HELP).toContain('--out DIR');
  });
});
