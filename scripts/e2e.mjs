/**
 * Runs the browser example's end-to-end test (`examples/browser`, script `e2e`)
 * when it exists; otherwise says so and succeeds, so the rest of the checks can
 * run before the browser example lands.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const runner = join(root, 'examples', 'browser', 'e2e', 'run.mjs');

if (!existsSync(runner)) {
  console.log('e2e: examples/browser/e2e/run.mjs does not exist yet; skipping the browser test.');
  process.exit(0);
}
const result = spawnSync('pnpm', ['--filter', '@flood/example-browser', 'run', 'e2e'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
