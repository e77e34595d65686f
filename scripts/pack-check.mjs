/**
 * The pack-and-install check: what a user gets from `npm i @flood/<x>`.
 *
 * For each published package (the non-private ones under `packages/`, built first):
 *
 * 1. `pnpm pack` it (pnpm rewrites `workspace:` ranges to real versions);
 * 2. check the packed `package.json`: no `workspace:`/`file:`/`link:` range, an
 *    `exports` map whose `types` comes first and whose targets are in the tarball,
 *    a `sideEffects` field that names every module calling `registerClass` or
 *    importing a package for its side effects at load; every package a module
 *    imports is a dependency or peer, and no optional peer is imported at load;
 * 3. create an empty npm project and `npm install` ONLY that tarball, the tarballs
 *    of the `@flood/*` packages it depends on, and its required peers — nothing
 *    from the workspace;
 * 4. import it with Node (ESM), and each of its subpath entries (`exports` keys
 *    such as `./wasm`), and require at least one export from each;
 * 5. compile a small TypeScript use of it with `tsc` (strict, NodeNext, without
 *    `skipLibCheck`, so the shipped `.d.ts` files are checked too) and run the
 *    compiled use, which checks a few values against hand-computed ones.
 *
 * The uses only call names the package exports at the time (read from the
 * imported module), so the check keeps working while the packages grow.
 *
 * Usage: `node scripts/pack-check.mjs` (or `pnpm pack-check`, which builds first).
 * Set `PACK_CHECK_KEEP=1` to keep the temporary directory for inspection.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const ts = require('typescript');

/** Versions of the peers installed next to a package that needs them. */
const PEER_VERSIONS = { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-layers': '4.22.0' };
/** Backends for running the tfjs uses (an app always picks one; not dependencies of the package). */
const APP_EXTRAS = {
  '@flood/tfjs': ['@tensorflow/tfjs-backend-cpu@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'],
};

/**
 * Small typed uses, by import specifier (a package or one of its subpath entries),
 * each guarded by the names it needs. Values are checked against hand-computed
 * results; a failing check throws.
 */
const USES = {
  '@flood/core': [
    {
      needs: ['floodedLoss'],
      code: `
const below: number = floodedLoss(0.05, 0.1); // |0.05 − 0.1| + 0.1
const above: number = floodedLoss(0.3, 0.1);
if (Math.abs(below - 0.15) > 1e-12 || Math.abs(above - 0.3) > 1e-12) throw new Error('floodedLoss');`,
    },
    {
      needs: ['backstitchRates', 'backstitchEquivalent'],
      code: `
const rates: { descentRate: number; ascentRate: number } = backstitchRates({ learningRate: 0.1, penalty: 0.05 });
const back: { learningRate: number; penalty: number } = backstitchEquivalent(rates);
if (Math.abs(back.learningRate - 0.1) > 1e-12 || Math.abs(back.penalty - 0.05) > 1e-12) throw new Error('backstitchRates');`,
    },
    {
      needs: ['floodingEquivalent'],
      code: `
const flood: { penaltyRate: number } = floodingEquivalent({ learningRate: 0.2 }); // ε²/2
if (Math.abs(flood.penaltyRate - 0.02) > 1e-12) throw new Error('floodingEquivalent');`,
    },
  ],
  '@flood/schedulers': [
    {
      needs: ['linear'],
      code: `
const ramp = linear({ from: 0, to: 1, steps: 10 });
const mid: number = ramp(5);
if (Math.abs(mid - 0.5) > 1e-12 || ramp(20) !== 1) throw new Error('linear');`,
    },
    {
      needs: ['linear', 'scheduleFromJSON'],
      code: `
const json: object = linear({ from: 2, to: 4, steps: 4 }).toJSON();
const again = scheduleFromJSON(JSON.parse(JSON.stringify(json)));
if (Math.abs(again(1) - 2.5) > 1e-12) throw new Error('scheduleFromJSON');`,
    },
  ],
  '@flood/metrics': [
    {
      needs: ['gradientNorm'],
      imports: "import { arrayObjective } from '@flood/core';",
      code: `
// L(θ) = ½‖θ‖², ∇L = θ; at θ = (3, 4) the gradient norm is 5.
const half = (theta: Float64Array) => ({
  loss: 0.5 * theta.reduce((s, t) => s + t * t, 0),
  gradient: Float64Array.from(theta),
});
const { norm } = await gradientNorm(arrayObjective(half, new Float64Array([3, 4])));
if (Math.abs(norm - 5) > 1e-9) throw new Error('gradientNorm: ' + norm);`,
    },
  ],
  '@flood/tfjs': [
    {
      needs: ['flooding'],
      imports:
        "import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-cpu';",
      code: `
await tf.setBackend('cpu');
// L(w) = w², w = 1, level 2 > L: flooding ascends, w ← w + lr·2w = 1.2 with SGD(0.1).
const w = tf.variable(tf.scalar(1));
const opt: tf.Optimizer = flooding(tf.train.sgd(0.1), { level: 2 });
opt.minimize(() => tf.square(w), false, [w]);
const after = (await w.data())[0];
if (Math.abs(after - 1.2) > 1e-6) throw new Error('flooding step: ' + after);`,
    },
    {
      needs: ['sam'],
      imports:
        "import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-cpu';",
      code: `
await tf.setBackend('cpu');
// SAM on L(w) = w² at w = 1, ρ = 0.05: probe 1.05, gradient there 2.1, SGD(0.1) → 0.79.
const ws = tf.variable(tf.scalar(1));
sam(tf.train.sgd(0.1), { rho: 0.05 }).minimize(() => tf.square(ws), false, [ws]);
const afterSam = (await ws.data())[0];
if (Math.abs(afterSam - 0.79) > 1e-6) throw new Error('sam step: ' + afterSam);`,
    },
    {
      needs: ['backstitch'],
      imports:
        "import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-cpu';",
      code: `
await tf.setBackend('cpu');
// Backstitch on L(w) = w² at w = 1, ε2 = 0.05: ascent to 1.1, then SGD(0.1) with 2.2 → 0.88.
const wb = tf.variable(tf.scalar(1));
backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 }).minimize(() => tf.square(wb), false, [wb]);
const afterBackstitch = (await wb.data())[0];
if (Math.abs(afterBackstitch - 0.88) > 1e-6) throw new Error('backstitch step: ' + afterBackstitch);`,
    },
    {
      needs: ['floodLoss'],
      imports:
        "import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-cpu';",
      code: `
await tf.setBackend('cpu');
// MSE 0.25 below the level 0.5: |0.25 − 0.5| + 0.5 = 0.75.
const flooded = floodLoss('meanSquaredError', { level: 0.5 });
const value = (await flooded(tf.tensor2d([[0]]), tf.tensor2d([[0.5]])).data())[0];
if (Math.abs(value - 0.75) > 1e-6) throw new Error('floodLoss: ' + value);`,
    },
  ],
  '@flood/tfjs/wasm': [
    {
      needs: ['registerWasmTrainingKernels'],
      imports:
        "import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-wasm';\nimport '@tensorflow/tfjs-layers';",
      code: `
// Importing the optimizers registered nothing: tfjs-backend-wasm 4.22 has no filter gradient.
if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) throw new Error('registered on import');
const undoKernels: () => void = registerWasmTrainingKernels();
await tf.setBackend('wasm');
// conv2d of a 2×2 ones image with a 1×1 filter w: d(Σ y)/dw = Σ x = 4.
const dw = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid')))(tf.ones([1, 1, 1, 1]));
const dwValue = (await dw.data())[0];
if (dwValue !== 4) throw new Error('conv2d filter gradient on wasm: ' + dwValue);
undoKernels();`,
    },
  ],
};

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: [],
    outDir: 'out',
  },
  files: ['use.ts'],
};

/** @param {string} file */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** @returns {{ name: string, dir: string, pkg: Record<string, any> }[]} */
function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .map((entry) => join(root, 'packages', entry))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }))
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({ name: pkg.name, dir, pkg }));
}

/**
 * Checks the packed manifest and the packed files; returns the problems found.
 *
 * @param {Record<string, any>} manifest - the packed package.json.
 * @param {Set<string>} files - paths in the tarball, relative to `package/`.
 * @param {(path: string) => string} read - reads a packed file.
 * @returns {string[]}
 */
function manifestProblems(manifest, files, read) {
  const problems = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|file|link|portal):/.test(String(range))) {
        problems.push(`${field}.${dep} is "${range}"`);
      }
    }
  }
  if (manifest.type !== 'module') problems.push('"type" is not "module"');
  if (!manifest.exports?.['.']) problems.push('no exports["."]');
  /** @param {string} key @param {unknown} target */
  const visit = (key, target) => {
    if (typeof target === 'string') {
      const path = target.replace(/^\.\//, '');
      if (!target.includes('*') && !files.has(path)) {
        problems.push(`${key} → ${target} is not in the tarball`);
      }
      return;
    }
    if (target && typeof target === 'object') {
      const keys = Object.keys(target);
      if (keys.includes('types') && keys[0] !== 'types') {
        problems.push(`${key}: "types" is not the first condition`);
      }
      for (const [k, v] of Object.entries(target)) visit(`${key}[${JSON.stringify(k)}]`, v);
    }
  };
  visit('exports', manifest.exports);
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const optional = new Set(
    Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
      (peer) => manifest.peerDependenciesMeta[peer]?.optional,
    ),
  );
  for (const path of files) {
    if (!path.endsWith('.js') && !path.endsWith('.d.ts')) continue;
    for (const { spec, statement } of bareImports(read(path))) {
      const dep = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!declared.has(dep)) {
        problems.push(`${path} imports ${spec}, which is not a dependency or peer`);
      } else if (statement && path.endsWith('.js') && optional.has(dep)) {
        problems.push(
          `${path} imports the optional peer ${spec} at load (make it required or import it lazily)`,
        );
      }
    }
    if (!path.endsWith('.js')) continue;
    const effect = loadEffect(read(path));
    if (effect === undefined) continue;
    const listed =
      Array.isArray(manifest.sideEffects) &&
      manifest.sideEffects.some((p) => p.replace(/^\.\//, '') === path);
    if (!listed) problems.push(`${path} ${effect} at load but is not in "sideEffects"`);
  }
  return problems;
}

/**
 * The bare (package) specifiers a module imports: `statement` is true for static
 * `import`/`export … from` statements, false for `import()` expressions.
 *
 * @param {string} source - JavaScript or a declaration file.
 * @returns {{ spec: string, statement: boolean }[]}
 */
function bareImports(source) {
  const file = ts.createSourceFile('module.ts', source, ts.ScriptTarget.Latest);
  const statements = new Set();
  for (const node of file.statements) {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      statements.add(node.moduleSpecifier.text);
    }
  }
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map(({ fileName }) => fileName)
    .filter((spec) => !spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('node:'))
    .map((spec) => ({ spec, statement: statements.has(spec) }));
}

/**
 * What a module does when it is loaded, beyond defining things: calls
 * `registerClass` at top level, or imports a package only for its side effects.
 *
 * @param {string} source - JavaScript.
 * @returns {string | undefined} a description, or undefined if it does nothing.
 */
function loadEffect(source) {
  if (/^\S[^\n]*registerClass\(/m.test(source)) return 'calls registerClass';
  const file = ts.createSourceFile('module.js', source, ts.ScriptTarget.Latest);
  for (const node of file.statements) {
    if (
      ts.isImportDeclaration(node) &&
      !node.importClause &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      !node.moduleSpecifier.text.startsWith('.')
    ) {
      return `imports ${node.moduleSpecifier.text} for its side effects`;
    }
  }
  return undefined;
}

/**
 * The closure of `@flood/*` packages `name` depends on, itself included.
 *
 * @param {string} name
 * @param {Map<string, Record<string, any>>} manifests
 * @returns {string[]}
 */
function floodClosure(name, manifests) {
  const out = new Set([name]);
  const stack = [name];
  while (stack.length > 0) {
    const current = manifests.get(stack.pop());
    for (const dep of Object.keys(current?.dependencies ?? {})) {
      if (manifests.has(dep) && !out.has(dep)) {
        out.add(dep);
        stack.push(dep);
      }
    }
  }
  return [...out];
}

/**
 * The import specifiers of a package: its name for `exports["."]`, and
 * `name/sub` for every other `exports["./sub"]` (not `./package.json` or patterns).
 *
 * @param {string} name
 * @param {Record<string, any>} manifest
 * @returns {string[]}
 */
function entrySpecifiers(name, manifest) {
  return Object.keys(manifest.exports ?? { '.': null })
    .filter(
      (key) =>
        key === '.' || (key.startsWith('./') && key !== './package.json' && !key.includes('*')),
    )
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

/**
 * Writes the typed use of a package's entries given their runtime export names.
 * Uses of a later entry come after those of the main one, in one module.
 *
 * @param {string} name
 * @param {{ spec: string, exported: string[] }[]} entries
 */
function useSource(name, entries) {
  const imports = [];
  const body = [];
  let count = 0;
  for (const [i, { spec, exported }] of entries.entries()) {
    const have = new Set(exported);
    const uses = (USES[spec] ?? []).filter((u) => u.needs.every((n) => have.has(n)));
    const names = [...new Set(uses.flatMap((u) => u.needs))].sort();
    imports.push(`import * as lib${i} from '${spec}';`);
    if (names.length > 0) imports.push(`import { ${names.join(', ')} } from '${spec}';`);
    for (const imp of uses.map((u) => u.imports).filter(Boolean)) imports.push(imp);
    body.push(
      '',
      `// Every export of ${spec} is reachable through the typed namespace.`,
      `if (Object.keys(lib${i}).length < 1) throw new Error('${spec} exports nothing');`,
    );
    for (const use of uses) body.push(use.code);
    count += uses.length;
  }
  const lines = [...new Set(imports.flatMap((imp) => imp.split('\n')))];
  lines.push(...body);
  const counts = entries.map(({ spec }, i) => `'${spec} ' + Object.keys(lib${i}).length`);
  lines.push(
    '',
    `console.log('${name}: ' + [${counts.join(', ')}].join(', ') + ' exports, ${count} typed uses ok');`,
    '',
  );
  return { source: lines.join('\n'), uses: count };
}

/**
 * Compiles the use with tsc and returns its errors, ignoring those inside the
 * declaration files of third-party packages (tfjs's own `.d.ts` files are not
 * clean under `strict`), but keeping those in `use.ts` and in `@flood/*`.
 *
 * @param {string} app
 * @returns {Promise<string[]>}
 */
async function typeErrors(app) {
  let output;
  try {
    output = (
      await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: app })
    ).stdout;
  } catch (error) {
    output = /** @type {{ stdout?: string }} */ (error).stdout ?? String(error);
  }
  const errors = [];
  let keep = false;
  for (const line of output.split('\n')) {
    const head = /^(\S[^(]*)\(\d+,\d+\): error /.exec(line);
    if (head) keep = !head[1].includes('node_modules/') || head[1].includes('node_modules/@flood/');
    else if (!line.startsWith(' ')) keep = line.trim() !== '' && !/^node_modules\//.test(line);
    if (keep && line.trim() !== '') errors.push(line);
  }
  return errors;
}

/** @param {string} dir @param {string} message */
const fail = (dir, message) => {
  throw new Error(`${relative(root, dir) || dir}: ${message}`);
};

/**
 * Runs a command and returns its stdout; on failure, throws with its output.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} cwd
 */
async function sh(cmd, args, cwd) {
  try {
    const { stdout } = await run(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: process.env });
    return stdout;
  } catch (error) {
    const e = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error);
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`,
    );
  }
}

async function main() {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'flood-pack-check-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const packages = publishedPackages();
  for (const { name, dir } of packages) {
    if (!existsSync(join(dir, 'dist'))) fail(dir, `${name} is not built (run pnpm build)`);
  }

  // 1. Pack (in parallel).
  const packed = new Map();
  await Promise.all(
    packages.map(async ({ name, dir }) => {
      const before = new Set(readdirSync(tarballs));
      await sh('pnpm', ['pack', '--pack-destination', tarballs], dir);
      const file = readdirSync(tarballs).find(
        (f) => !before.has(f) && f.startsWith(name.replace('@', '').replace('/', '-')),
      );
      if (!file) fail(dir, 'pnpm pack produced no tarball');
      packed.set(name, join(tarballs, file));
    }),
  );

  // 2. Inspect each tarball.
  const manifests = new Map();
  const problems = [];
  for (const { name } of packages) {
    const tarball = packed.get(name);
    const list = (await sh('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean);
    const files = new Set(list.map((p) => p.replace(/^package\//, '')));
    const contents = new Map();
    for (const path of files) {
      if (path === 'package.json' || path.endsWith('.js') || path.endsWith('.d.ts')) {
        contents.set(path, await sh('tar', ['-xzOf', tarball, `package/${path}`], work));
      }
    }
    const manifest = JSON.parse(contents.get('package.json'));
    manifests.set(name, manifest);
    for (const p of manifestProblems(manifest, files, (path) => contents.get(path) ?? '')) {
      problems.push(`${name}: ${p}`);
    }
  }

  // 3–5. Install each alone, import, compile and run a typed use (in parallel).
  const settled = await Promise.allSettled(
    packages.map(async ({ name }) => {
      const manifest = manifests.get(name);
      const app = join(work, `app-${name.split('/')[1]}`);
      mkdirSync(app);
      writeFileSync(
        join(app, 'package.json'),
        `${JSON.stringify({ name: `pack-check-${name.split('/')[1]}`, private: true, type: 'module' }, null, 2)}\n`,
      );
      const peers = Object.keys(manifest.peerDependencies ?? {})
        .filter((peer) => !manifest.peerDependenciesMeta?.[peer]?.optional)
        .map((peer) => `${peer}@${PEER_VERSIONS[peer] ?? manifest.peerDependencies[peer]}`);
      const specs = [
        ...floodClosure(name, manifests).map((dep) => packed.get(dep)),
        ...peers,
        ...(APP_EXTRAS[name] ?? []),
      ];
      await sh(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
        app,
      );
      // Every @flood package in the app must come from our tarballs, never the registry.
      const lock = readJson(join(app, 'package-lock.json'));
      for (const [path, entry] of Object.entries(lock.packages ?? {})) {
        const dep = path.replace(/^.*node_modules\//, '');
        if (manifests.has(dep) && !String(entry.resolved ?? '').startsWith('file:')) {
          fail(app, `${dep} was installed from ${entry.resolved}, not from its tarball`);
        }
      }
      const entries = [];
      for (const spec of entrySpecifiers(name, manifest)) {
        const imported = await sh(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const m = await import('${spec}'); console.log(JSON.stringify(Object.keys(m)));`,
          ],
          app,
        );
        const exported = JSON.parse(imported.trim().split('\n').pop());
        if (exported.length < 1) fail(app, `${spec} has no exports`);
        entries.push({ spec, exported });
      }
      const exported = entries.flatMap((e) => e.exported);
      const { source, uses } = useSource(name, entries);
      writeFileSync(join(app, 'use.ts'), source);
      writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
      const errors = await typeErrors(app);
      if (errors.length > 0) fail(app, `tsc:\n${errors.join('\n')}`);
      const out = await sh(process.execPath, ['out/use.js'], app);
      return { name, exports: exported.length, uses, out: out.trim() };
    }),
  );
  for (const r of settled) {
    if (r.status === 'fulfilled') console.log(`pack-check ✓ ${r.value.out}`);
    else problems.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (process.env.PACK_CHECK_KEEP) console.log(`pack-check: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  if (problems.length > 0) {
    throw new Error(`${problems.length} problem(s) (${seconds}s):\n  ${problems.join('\n  ')}`);
  }
  console.log(
    `pack-check: ${settled.length} packages packed, installed alone, imported, type-checked (${seconds}s)`,
  );
}

main().catch((error) => {
  console.error(`pack-check ✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
