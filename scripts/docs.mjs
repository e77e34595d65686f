/**
 * Builds the API site (`docs/api/`) with TypeDoc from the root `typedoc.json`,
 * adding every guide found in `docs/*.md` as a project document. (A glob in
 * `projectDocuments` that matches nothing is a warning, hence an error here;
 * listing the guides that exist keeps the build green before any is written.)
 *
 * Usage: `node scripts/docs.mjs [extra typedoc options]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const typedocPkg = require.resolve('typedoc/package.json');
const typedocBin = join(dirname(typedocPkg), 'bin', 'typedoc');

const docsDir = join(root, 'docs');
const guides = (existsSync(docsDir) ? readdirSync(docsDir, { withFileTypes: true }) : [])
  .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
  .map((entry) => `docs/${entry.name}`)
  .sort();

const args = [typedocBin, ...guides.flatMap((guide) => ['--projectDocuments', guide])];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
