import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandbox, runFresh } from '../test/fresh-module.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const sandbox = join(root, 'packages', 'tfjs', '.doc-examples', 'readme');

/** The fenced blocks (`sh`, `ts`) of the README's "Quick start" section. */
export function quickStart(markdown: string): { install: string; code: string } {
  const start = markdown.indexOf('\n## Quick start\n');
  if (start < 0) throw new RangeError('README has no "## Quick start" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const block = (info: string) => {
    const m = new RegExp(`\\n\`\`\`${info}\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(section);
    if (!m) throw new RangeError(`the Quick start has no \`\`\`${info} block`);
    return m[1]!;
  };
  return { install: block('sh'), code: block('ts') };
}

/** The packages a module imports (bare specifiers, subpaths dropped). */
function importedPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/^import\s+(?:[^'"]*\s+from\s+)?['"]([^'"]+)['"]/gm)];
  return [
    ...new Set(
      specifiers
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
        .map((s) =>
          s
            .split('/')
            .slice(0, s.startsWith('@') ? 2 : 1)
            .join('/'),
        ),
    ),
  ];
}

// The README's quick start, run as written (issue 18, item 1): its own module in a new
// Node process with only what it imports, on the backend it sets up. Once (cpu project).
describe.skipIf(process.env.FLOOD_BACKEND === 'wasm')('README quick start', () => {
  const { install, code } = quickStart(readFileSync(join(root, 'README.md'), 'utf8'));
  // Transpiling every package's sources can take a while on a busy machine.
  beforeAll(() => makeSandbox(join(root, 'packages'), sandbox), 600_000);
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  it('installs every package it imports', () => {
    const installed = install.trim().split(/\s+/).slice(2);
    expect(install.startsWith('npm i ')).toBe(true);
    expect(importedPackages(code).sort()).toEqual([...installed].sort());
    expect(
      importedPackages("import a from '@x/y/z';\nimport 'b';\nimport { c } from './c.js';"),
    ).toEqual(['@x/y', 'b']);
  });

  it('sets up the fast Node default and names the browser backends and the guide', () => {
    expect(code).toMatch(/import \{ enableFastWasmTraining \} from '@flood\/tfjs\/wasm'/);
    expect(code).toMatch(/enableFastWasmTraining\(\);\nawait tf\.setBackend\('wasm'\);/);
    expect(code).toMatch(/webgl/);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme.slice(readme.indexOf('## Quick start'))).toMatch(
      /^## Quick start[\s\S]*\[docs\/backends\.md\]\(docs\/backends\.md\)[\s\S]*?\n## /,
    );
  });

  it('runs as written, on wasm', async () => {
    const run = await runFresh(sandbox, 'quick-start', code);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wasm final loss \d+\.\d+/m);
  }, 300_000);
});
