/**
 * `@flood/core` must run unchanged in a browser bundle and have no runtime
 * dependency: its sources import only each other (relative `.js` paths) and
 * touch no Node.js globals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

const srcDir = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('browser safety of @flood/core', () => {
  const files = sources(srcDir);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(srcDir.length), f]))(
    '%s imports only relative modules and no Node globals',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      // Strip comments: documentation (the runnable @example blocks) may import the
      // published package and mention these words.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      // Static imports and re-exports (at a line start: not words inside a string) and
      // dynamic imports.
      const specifiers = [
        ...code.matchAll(
          /^\s*import\s+(?:[^;'"]*?\s+from\s*)?['"]([^'"]+)['"]|^\s*export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm,
        ),
      ].map((m) => (m[1] ?? m[2] ?? m[3])!);
      for (const s of specifiers) expect(s).toMatch(/^\.\.?\/.*\.js$/);
      expect(code).not.toMatch(/\bnode:/);
      expect(code).not.toMatch(/\brequire\s*\(/);
      expect(code).not.toMatch(/\b(process|Buffer|__dirname|__filename|global)\b/);
    },
  );

  it('declares no runtime dependencies', () => {
    expect(Object.keys((pkg as { dependencies?: object }).dependencies ?? {})).toEqual([]);
    expect((pkg as { peerDependencies?: object }).peerDependencies).toBeUndefined();
  });
});

describe('@flood/core bundled for the browser and run in a bare JavaScript realm', () => {
  it('bundles with vite (IIFE) and runs the rules with only ECMAScript built-ins', async () => {
    // vite comes with vitest (the repository's test runner): resolve it from there.
    const { createRequire } = await import('node:module');
    const vm = await import('node:vm');
    const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
    // Only the part of vite's API used here (vite is not a dependency of core, so no types).
    const vite = (await import(fromVitest.resolve('vite'))) as {
      build(config: Record<string, unknown>): Promise<unknown>;
    };
    const built = await vite.build({
      configFile: false,
      logLevel: 'silent',
      root: join(srcDir, '..'),
      build: {
        write: false,
        minify: false,
        lib: { entry: join(srcDir, 'index.ts'), formats: ['iife'], name: 'floodCore' },
      },
    });
    const output = (Array.isArray(built) ? built[0]! : built) as { output: { code?: string }[] };
    const code = output.output[0]!.code!;
    expect(code).not.toMatch(/\brequire\s*\(|\bprocess\.|from\s*['"]node:/);
    // A fresh realm: Object, Math, Float64Array, … but no process, require, Buffer, console, window.
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const result = vm.runInContext(
      `(function () {
        const core = floodCore;
        const obj = core.arrayObjective(
          (t) => ({ loss: 0.5 * (t[0] * t[0] + 4 * t[1] * t[1]), gradient: Float64Array.of(t[0], 4 * t[1]) }),
          Float64Array.of(1, 1),
        );
        const sam = core.samStep(obj, { rho: 0.5 });
        let error = '';
        try { core.floodedLoss(Number.NaN, 0); } catch (e) { error = e.constructor.name; }
        return JSON.stringify({
          flooded: core.floodedLoss(0.03, 0.05),
          rates: core.backstitchRates({ learningRate: 0.1, penalty: 0.0195 }),
          sam: Array.from(sam.gradient),
          error,
        });
      })()`,
      context,
    );
    const out = JSON.parse(result);
    expect(out.flooded).toBeCloseTo(0.07, 15);
    expect(out.rates.descentRate).toBeCloseTo(0.13, 14);
    // g = (1, 4), δ = 0.5·g/(‖g‖ + 1e-12); ∇L(θ + δ) = (1 + δ₀, 4·(1 + δ₁))
    const n = Math.sqrt(17) + 1e-12;
    expect(out.sam[0]).toBeCloseTo(1 + 0.5 / n, 14);
    expect(out.sam[1]).toBeCloseTo(4 * (1 + 2 / n), 14);
    expect(out.error).toBe('RangeError');
  });
});
