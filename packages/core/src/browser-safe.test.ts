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
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
        (m) => m[1]!,
      );
      for (const s of specifiers) expect(s).toMatch(/^\.\.?\/.*\.js$/);
      // Strip comments so documentation may mention these words.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
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
