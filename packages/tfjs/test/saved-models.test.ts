/**
 * Models saved with `includeOptimizer: true` by an earlier version (the fixture
 * in `fixtures/`, one file per backend) load and continue bit-identically: the
 * weights and the whole optimizer state after one more step equal what that
 * version computed. `FLOOD_WRITE_FIXTURES=1` rewrites the fixture instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { scheduleFromJSON } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerScheduleDeserializer } from '../src/index.js';
import {
  FIXTURE_CASES,
  fixtureBatch,
  fixtureModel,
  loadFromJson,
  type SavedArtifacts,
  saveToJson,
  stateOf,
} from './saved-models.js';

interface FixtureEntry {
  saved: SavedArtifacts;
  after: Awaited<ReturnType<typeof stateOf>>;
  iterations: number;
  className: string;
}

const backend = tf.getBackend();
const file = new URL(`./fixtures/saved-models.${backend}.json`, import.meta.url);
const writing = process.env.FLOOD_WRITE_FIXTURES === '1';

beforeAll(() => {
  registerScheduleDeserializer(scheduleFromJSON);
});
afterAll(() => {
  registerScheduleDeserializer(undefined);
});

async function step(m: Awaited<ReturnType<typeof loadFromJson>>): Promise<void> {
  const { xs, ys } = fixtureBatch();
  await m.trainOnBatch(xs, ys);
  tf.dispose([xs, ys]);
}

describe.runIf(writing)('saved-model fixture (write mode)', () => {
  it('writes the fixture for this backend', async () => {
    const out: Record<string, FixtureEntry> = {};
    for (const c of FIXTURE_CASES) {
      const m = fixtureModel(c.make());
      for (let i = 0; i < 3; i++) await step(m);
      const opt = m.optimizer as unknown as { observe?: (o: object) => void };
      opt.observe?.({ step: 3, trainingLoss: 0.1, validationLoss: 0.3 });
      const saved = await saveToJson(m);
      await step(m);
      out[c.name] = {
        saved,
        after: await stateOf(m),
        iterations: m.optimizer.iterations,
        className: m.optimizer.getClassName(),
      };
      m.optimizer.dispose();
      m.dispose();
    }
    writeFileSync(file, `${JSON.stringify(out)}\n`);
  });
});

describe.skipIf(writing)('a model saved by an earlier version', () => {
  const fixture = writing
    ? {}
    : (JSON.parse(readFileSync(file, 'utf8')) as Record<string, FixtureEntry>);
  it('covers every case', () => {
    expect(Object.keys(fixture).sort()).toEqual(FIXTURE_CASES.map((c) => c.name).sort());
  });
  it.each(Object.keys(fixture))('%s: loads and continues bit-identically', async (name) => {
    const entry = (fixture as Record<string, FixtureEntry>)[name]!;
    const tensors = tf.memory().numTensors;
    const m = await loadFromJson(entry.saved);
    expect(m.optimizer.getClassName()).toBe(entry.className);
    expect(m.optimizer.iterations).toBe(entry.iterations - 1);
    await step(m);
    expect(m.optimizer.iterations).toBe(entry.iterations);
    const after = await stateOf(m);
    expect(after.weights).toEqual(entry.after.weights);
    expect(after.optimizer).toEqual(entry.after.optimizer);
    m.optimizer.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
