/**
 * Runs code the way a user runs a copied snippet: as its own ES module in a new
 * Node process, with nothing imported but what the snippet imports (no test
 * setup, no backend chosen beforehand).
 *
 * `@flood/*` resolve to the current sources: {@link makeSandbox} transpiles every
 * package's `src` (tests excepted) into `<sandbox>/node_modules/@flood/<name>/`,
 * with the package's own `exports` map (`./dist/…` → `./…`), so subpath entries
 * resolve as they do once published. Everything else (`@tensorflow/*`) resolves
 * from the sandbox's parent directories, i.e. the `node_modules` of the package
 * the sandbox is made in.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** A snippet of a doc comment or a Markdown file. */
export interface Snippet {
  /** Where it is, `path:line` (the line of its opening fence). */
  readonly where: string;
  /** The TypeScript code, or undefined if the `@example` is not a fenced ts block. */
  readonly code: string | undefined;
}

const JSDOC = /\/\*\*[\s\S]*?\*\//g;

/**
 * The `@example` blocks of the doc comments of `source`: each must be a fenced
 * ```` ```ts ```` block right after the tag (else `code` is undefined).
 */
export function docExamples(path: string, source: string): Snippet[] {
  const out: Snippet[] = [];
  for (const m of source.matchAll(JSDOC)) {
    const firstLine = source.slice(0, m.index).split('\n').length;
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/?\*\*?\/?\s?/, ''));
    for (let i = 0; i < lines.length; i++) {
      const tag = /^@example\b(.*)$/.exec(lines[i]!);
      if (!tag) continue;
      const fence = tag[1]!.trim() === '' ? i + 1 : -1;
      if (fence < 0 || !/^```(ts|typescript)\s*$/.test(lines[fence] ?? '')) {
        out.push({ where: `${path}:${firstLine + i}`, code: undefined });
        continue;
      }
      const body: string[] = [];
      let j = fence + 1;
      for (; j < lines.length && !/^```\s*$/.test(lines[j]!); j++) body.push(lines[j]!);
      out.push({ where: `${path}:${firstLine + fence}`, code: body.join('\n') });
      i = j;
    }
  }
  return out;
}

/** TypeScript → an ES module (types stripped; nothing else changed). */
export function toModule(code: string, fileName: string, keepImports = false): string {
  return ts.transpileModule(code, {
    fileName,
    reportDiagnostics: false,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: keepImports,
    },
  }).outputText;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Rewrites an `exports` map from `./dist/x` to `./x` (the sandbox has no dist folder). */
function undist(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^\.\/dist\//, './');
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, undist(v)]));
  }
  return value;
}

/**
 * Makes `sandbox` (emptied first) with `node_modules/@flood/<name>` transpiled
 * from `packagesDir/<name>/src` for every package there.
 */
export function makeSandbox(packagesDir: string, sandbox: string): void {
  rmSync(sandbox, { recursive: true, force: true });
  mkdirSync(sandbox, { recursive: true });
  // Its own package scope, so that `@flood/tfjs` is not the enclosing package's
  // self-reference (which would point at its dist folder).
  writeFileSync(join(sandbox, 'package.json'), '{ "name": "doc-examples", "private": true }\n');
  for (const name of readdirSync(packagesDir)) {
    const pkgFile = join(packagesDir, name, 'package.json');
    const src = join(packagesDir, name, 'src');
    let pkg: { name: string; exports?: unknown; type?: string };
    try {
      pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    } catch {
      continue;
    }
    const out = join(sandbox, 'node_modules', pkg.name);
    for (const file of tsFiles(src)) {
      const target = join(out, relative(src, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, toModule(readFileSync(file, 'utf8'), file, true));
    }
    writeFileSync(
      join(out, 'package.json'),
      JSON.stringify({ name: pkg.name, type: 'module', exports: undist(pkg.exports) }),
    );
  }
}

/** What a run printed and how it ended. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tsCode` as `<sandbox>/<name>.mjs` in a new Node process. */
export function runFresh(
  sandbox: string,
  name: string,
  tsCode: string,
  timeoutMs = 120_000,
): Promise<RunResult> {
  const file = resolve(sandbox, `${name}.mjs`);
  writeFileSync(file, toModule(tsCode, file.replace(/\.mjs$/, '.ts')));
  return new Promise((done) => {
    const child = spawn(process.execPath, [file], {
      cwd: sandbox,
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Runs `jobs` at most `limit` at a time. */
export function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>) => {
    if (running >= limit) await new Promise<void>((go) => queue.push(go));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}
