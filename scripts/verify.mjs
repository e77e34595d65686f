/**
 * Every check, in the order CI runs them (`pnpm run verify`):
 *
 * 1. build, typecheck, lint and the docs site, through turbo (cached, `--continue`);
 * 2. the pack-and-install check (`scripts/pack-check.mjs`);
 * 3. the browser example's end-to-end test (`examples/browser/e2e/run.mjs`);
 * 4. the browser suite (`browser-test/`): the library's key tests in headless
 *    Chromium on the webgl and webgpu backends;
 * 5. every Vitest project, cpu and wasm, in one run.
 *
 * A failing step does not stop the later ones, so one run reports every problem,
 * and the test runner's summary stays the last thing printed when all pass. The
 * exit code is non-zero if any step failed; the failed steps are named at the end.
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** @type {[string, string[]][]} */
const steps = [
  [
    'build, typecheck, lint, docs',
    [
      'exec',
      'turbo',
      'run',
      'build',
      'typecheck',
      'typecheck:root',
      'lint',
      'lint:root',
      'docs:site',
      '--concurrency=3',
      '--continue',
    ],
  ],
  ['pack-and-install check', ['run', 'pack-check']],
  ['browser end-to-end test', ['run', 'e2e']],
  ['browser suite (vitest, webgl and webgpu in Chromium)', ['run', 'test:browser']],
  ['tests (vitest, cpu and wasm)', ['exec', 'vitest', 'run']],
];

const failed = [];
for (const [name, args] of steps) {
  console.log(`\nverify: ${name}`);
  const result = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nverify: FAILED: ${failed.join('; ')}`);
  process.exit(1);
}
