/**
 * Runs every ```ts code block of the guides in docs/*.md, so the snippets
 * cannot rot. Each block is a self-contained ES module (its own imports, top-level
 * await allowed); it is written to examples/tfjs/.snippets/ and imported, so it
 * resolves `@flood/*` and `@tensorflow/*` like this example does. A block whose
 * info string is `ts no-run` is skipped (kept rare: fragments only).
 * Runs once per tfjs backend project (cpu, wasm); a snippet may switch backends,
 * the previous backend is restored after it.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const docsDir = resolve(here, '../../../docs');
const snippetDir = resolve(here, '../.snippets', process.env.FLOOD_BACKEND ?? 'cpu');

/** A fenced block of a guide. */
export interface Snippet {
  /** Guide file name. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string after the backticks (e.g. `ts`, `ts no-run`). */
  readonly info: string;
  /** The code. */
  readonly code: string;
}

/** The fenced code blocks of a Markdown text (``` fences, any info string). */
export function fencedBlocks(file: string, markdown: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new RangeError(`${file}:${start + 1}: unclosed code fence`);
    out.push({ file, line: start + 1, info: open[1]!.trim(), code: body.join('\n') });
  }
  return out;
}

const guides = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .sort();
const snippets = guides.flatMap((f) =>
  fencedBlocks(f, readFileSync(join(docsDir, f), 'utf8')).filter(
    (b) => b.info === 'ts' || b.info.startsWith('ts '),
  ),
);
const runnable = snippets.filter((s) => !s.info.split(/\s+/).includes('no-run'));

describe('fencedBlocks', () => {
  it('finds blocks with their info string and line, and rejects an unclosed fence', () => {
    const md = 'text\n```ts\nconst a = 1;\n```\n\n```ts no-run\nx\ny\n```\n';
    expect(fencedBlocks('a.md', md)).toEqual([
      { file: 'a.md', line: 2, info: 'ts', code: 'const a = 1;' },
      { file: 'a.md', line: 6, info: 'ts no-run', code: 'x\ny' },
    ]);
    expect(() => fencedBlocks('b.md', '```ts\nx\n')).toThrow(/b.md:1: unclosed/);
  });
});

describe('docs/*.md snippets', () => {
  let backend = '';
  beforeAll(() => {
    rmSync(snippetDir, { recursive: true, force: true });
    mkdirSync(snippetDir, { recursive: true });
    backend = tf.getBackend();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
  });
  afterAll(() => {
    rmSync(snippetDir, { recursive: true, force: true });
  });

  it('has guides with runnable snippets, and few no-run blocks', () => {
    expect(guides.length).toBeGreaterThanOrEqual(7);
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    expect(snippets.length - runnable.length).toBeLessThanOrEqual(3);
  });

  for (const s of runnable) {
    it(`${s.file}:${s.line} runs`, async () => {
      vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const path = join(snippetDir, `${s.file.replace(/\.md$/, '')}-${s.line}.ts`);
      writeFileSync(path, `${s.code}\n`);
      await import(/* @vite-ignore */ path);
    }, 120_000);
  }
});
