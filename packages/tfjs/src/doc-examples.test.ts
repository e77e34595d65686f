import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docExamples, limiter, makeSandbox, runFresh, type Snippet } from '../test/fresh-module.js';
import {
  adaFloodLevels,
  backstitch,
  exactHessianVectorProduct,
  flooding,
  perSampleLosses,
  tensorSpace,
  variablesObjective,
} from './index.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const packagesDir = join(root, 'packages');
// Inside packages/tfjs, so `@tensorflow/*` resolve from its node_modules.
const sandbox = join(packagesDir, 'tfjs', '.doc-examples', 'api');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const examples: Snippet[] = readdirSync(packagesDir).flatMap((pkg) => {
  const src = join(packagesDir, pkg, 'src');
  try {
    statSync(src);
  } catch {
    return [];
  }
  return sources(src).flatMap((file) =>
    docExamples(relative(root, file), readFileSync(file, 'utf8')),
  );
});

// Every `@example` of packages/*/src, run as a user runs a copied snippet: its own
// module in a new Node process, nothing imported but what it imports. (Once: the
// examples choose their backend themselves, so the wasm project skips this.)
describe.skipIf(process.env.FLOOD_BACKEND === 'wasm')('every @example runs as written', () => {
  const slot = limiter(2);
  // Transpiling every package's sources can take a while on a busy machine.
  beforeAll(() => makeSandbox(packagesDir, sandbox), 600_000);
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(30);
  });

  it('docExamples reads fenced blocks after @example, and flags one that is not', () => {
    const source = [
      '/**',
      ' * Text.',
      ' * @example',
      ' * ```ts',
      " * import { x } from 'y';",
      ' * x(1);',
      ' * ```',
      ' * @example x(2)',
      ' */',
    ].join('\n');
    expect(docExamples('a.ts', source)).toEqual([
      { where: 'a.ts:4', code: "import { x } from 'y';\nx(1);" },
      { where: 'a.ts:8', code: undefined },
    ]);
  });

  describe.concurrent('examples', () => {
    for (const example of examples) {
      it(`${example.where}`, async () => {
        expect(example.code, 'an @example must be a fenced ts block').toBeDefined();
        const name = example.where.replace(/[^A-Za-z0-9]+/g, '-');
        const run = await slot(() => runFresh(sandbox, name, example.code!));
        expect(run.code, `${example.where}\n${run.stderr}`).toBe(0);
      }, 240_000);
    }
  });
});

// The snippets of the doc comments, with the values they claim.
describe('doc-comment examples', () => {
  it('flooding: w = 0.8', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = flooding(tf.train.sgd(0.1), { level: 0.5 });
    opt.minimize(() => tf.sum(tf.square(w)));
    expect(w.dataSync()[0]).toBeCloseTo(0.8, 6);
    opt.dispose();
    w.dispose();
  });

  it('backstitch: w = 0.88', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 });
    opt.minimize(() => tf.sum(tf.square(w)));
    expect(w.dataSync()[0]).toBeCloseTo(0.88, 6);
    opt.dispose();
    w.dispose();
  });

  it('adaFloodLevels: [0.0488, 0.5976, 0]', () => {
    const levels = adaFloodLevels([0.1, 2.3, 0], { gamma: 0.5 });
    expect(Array.from(levels.dataSync())).toEqual([
      expect.closeTo(0.0488, 4),
      expect.closeTo(0.5976, 4),
      0,
    ]);
    levels.dispose();
  });

  it('exactHessianVectorProduct: H·[1, 1] = [3, 12]', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const loss = () => tf.sum(tf.div(tf.square(tf.square(w)), 4)) as tf.Scalar;
    const v = tf.ones([2]);
    const [hv] = exactHessianVectorProduct(loss, [w], [v]);
    expect(Array.from(hv!.dataSync())).toEqual([expect.closeTo(3, 5), expect.closeTo(12, 5)]);
    tf.dispose([w, v, hv!]);
  });

  it('perSampleLosses, tensorSpace, variablesObjective', () => {
    const l = perSampleLosses.categoricalCrossentropy!(
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [0.8, 0.2],
        [0.4, 0.6],
      ]),
    );
    expect(Array.from(l.dataSync())).toEqual([
      expect.closeTo(-Math.log(0.8), 5),
      expect.closeTo(-Math.log(0.6), 5),
    ]);
    const w = tf.variable(tf.tensor1d([3, 4]));
    expect(tensorSpace([w]).norm([w]).dataSync()[0]).toBeCloseTo(5, 6);
    const v = tf.variable(tf.tensor1d([1, 2]));
    const { loss, gradient } = variablesObjective(() => tf.sum(tf.square(v)), [v]).evaluate();
    expect(loss.dataSync()[0]).toBe(5);
    expect(Array.from(gradient[0]!.dataSync())).toEqual([2, 4]);
    tf.dispose([l, w, v, loss, ...gradient]);
  });
});
