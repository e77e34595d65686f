/**
 * The one Vitest configuration for the whole monorepo.
 *
 * Every package and example is a Vitest project. Packages are resolved to their
 * TypeScript sources (no build needed to test), and every project that touches
 * TensorFlow.js runs twice: once on the `cpu` backend and once on `wasm`
 * (see `scripts/vitest-tfjs-backend.ts`).
 *
 * Run everything with `pnpm vitest run` at the root, one package with
 * `pnpm --filter @flood/core test`, or one project with
 * `pnpm vitest run --project '@flood/tfjs [wasm]'`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `@flood/x` → `packages/x/src/index.ts`, so tests run against the sources; subpath
 * entries (`@flood/tfjs/wasm`) first, since an alias also matches `key/…`.
 */
const alias = Object.fromEntries([
  ['@flood/tfjs/wasm', resolve(root, 'packages', 'tfjs', 'src', 'wasm', 'index.ts')],
  ['@flood/example-data', resolve(root, 'examples', 'data', 'src', 'index.ts')],
  ...['core', 'schedulers', 'metrics', 'tfjs'].map((name) => [
    `@flood/${name}`,
    resolve(root, 'packages', name, 'src', 'index.ts'),
  ]),
]);

/** Projects whose tests use TensorFlow.js: they run once per backend. */
const tfjsBackends = ['cpu', 'wasm'] as const;

function readPackage(dir: string): { name: string; usesTfjs: boolean } | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
  return { name: pkg.name, usesTfjs: '@tensorflow/tfjs-core' in deps };
}

function projects(): TestProjectInlineConfiguration[] {
  const out: TestProjectInlineConfiguration[] = [];
  for (const group of ['packages', 'examples']) {
    for (const entry of readdirSync(resolve(root, group))) {
      const dir = resolve(root, group, entry);
      const pkg = readPackage(dir);
      if (!pkg) continue;
      const base = {
        root: dir,
        resolve: { alias },
        test: {
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/e2e/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      };
      if (!pkg.usesTfjs) {
        out.push({ ...base, test: { ...base.test, name: pkg.name } });
        continue;
      }
      for (const backend of tfjsBackends) {
        out.push({
          ...base,
          test: {
            ...base.test,
            name: `${pkg.name} [${backend}]`,
            env: { FLOOD_BACKEND: backend },
            setupFiles: [resolve(root, 'scripts', 'vitest-tfjs-backend.ts')],
          },
        });
      }
    }
  }
  // The repository's own tooling (scripts/*.test.mjs), e.g. the TypeDoc KaTeX plugin.
  out.push({ test: { name: 'scripts', root: resolve(root, 'scripts'), include: ['*.test.mjs'] } });
  return out;
}

export default defineConfig({
  test: {
    projects: projects(),
    // tfjs work is CPU bound; two cores, so run two files at a time.
    maxWorkers: 2,
  },
});
