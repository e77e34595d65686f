#!/usr/bin/env node
/**
 * End-to-end test of the browser example in a real headless Chromium.
 *
 *   node e2e/run.mjs [--no-build] [--dev] [--update-screenshot]
 *
 * Builds the app (vite build), serves dist/ on 127.0.0.1, opens it in Debian's
 * Chromium through playwright-core, once with the backend the page picks itself and
 * once with ?backend=wasm, waits for [data-testid=status] = done, then checks:
 *   - the flooded run's final training loss is finite and within TOLERANCE of b,
 *   - the plain run's final training loss is clearly below b (it memorises the noise),
 *   - floodProp is strictly between 0 and 1 (the flood keeps switching on and off),
 *   - no page errors, console errors, failed or non-2xx requests, and every .wasm
 *     response was served as application/wasm.
 *   - the page disposed every tensor it made ([data-testid=leaked] = 0),
 *   - (wasm scenario) a short re-run started from the controls finishes cleanly too.
 * Saves a screenshot of each page to out/, prints one PASS/FAIL line per scenario and
 * a summary line, and exits non-zero unless everything passed.
 * --dev tests the Vite dev server (`pnpm dev`) instead of the production build.
 * --update-screenshot copies the default scenario's screenshot to screenshot.png
 * (the image in the READMEs).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_LAUNCH_OPTIONS, CHROMIUM_PATH } from '../../../browser-test/chromium.mjs';
import { serve } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, '..');
const out = join(app, 'out');
const args = new Set(process.argv.slice(2));

/** How far the flooded run's final training loss may be from b. */
const TOLERANCE = 0.06;
/** How far below b the plain run's final training loss must be. */
const PLAIN_MARGIN = 0.08;
/** Longest a scenario may take, from navigation to `done`. */
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 180_000);

let scenarios = [
  { name: 'default', query: '', expectBackend: ['webgl', 'webgpu', 'wasm', 'cpu'] },
  { name: 'wasm', query: '?backend=wasm', expectBackend: ['wasm'], rerun: true },
  // The GPU backends run on SwiftShader here, about 10x slower than wasm: a shorter
  // run (100 epochs) at a higher level (b = 0.4), which the flood reaches early.
  { name: 'webgl', query: '?backend=webgl&b=0.4&epochs=100', expectBackend: ['webgl'] },
  // WebGPU on SwiftShader compiles every kernel's pipeline slowly (the first epochs
  // take minutes on a loaded 2-core machine): a short run that must finish
  // cleanly, not reach the level (the library's webgpu steps are checked against
  // cpu by browser-test/).
  {
    name: 'webgpu',
    query: '?backend=webgpu&b=0.5&epochs=12',
    expectBackend: ['webgpu'],
    short: true,
    timeoutMs: 600_000,
  },
];
// E2E_EXTRA=1 adds: stock wasm kernels (for timing) and forced cpu.
if (process.env.E2E_EXTRA === '1') {
  scenarios.push(
    { name: 'wasm-stock', query: '?backend=wasm&fastwasm=0', expectBackend: ['wasm'] },
    { name: 'cpu', query: '?backend=cpu', expectBackend: ['cpu'] },
  );
}
// --only=webgl,webgpu runs just those scenarios.
const only = process.argv.find((a) => a.startsWith('--only='));
if (only) {
  const names = only.slice('--only='.length).split(',');
  scenarios = scenarios.filter((s) => names.includes(s.name));
  if (scenarios.length !== names.length)
    throw new RangeError(`--only: unknown scenario in ${names}`);
}

function build() {
  const vite = join(app, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: app,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
}

async function runScenario(browser, baseUrl, scenario) {
  const failures = [];
  const notes = [];
  const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') failures.push(`console error: ${msg.text()}`);
    else if (msg.type() === 'warning') notes.push(`console warning: ${msg.text()}`);
  });
  page.on('requestfailed', (req) =>
    failures.push(`request failed: ${req.url()} (${req.failure()?.errorText})`),
  );
  let wasmResponses = 0;
  page.on('response', (res) => {
    if (res.status() >= 400) failures.push(`HTTP ${res.status()} for ${res.url()}`);
    const url = new URL(res.url());
    // (Vite's dev server also serves `x.wasm?import&url` JS modules that export the URL.)
    if (url.pathname.endsWith('.wasm') && !url.searchParams.has('import') && res.status() !== 304) {
      wasmResponses++;
      const type = res.headers()['content-type'];
      if (type !== 'application/wasm') failures.push(`${res.url()} served as ${type}`);
    }
  });

  const started = Date.now();
  await page.goto(baseUrl + scenario.query, { waitUntil: 'load' });
  const status = page.getByTestId('status');
  try {
    await page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid=status]')?.textContent ?? '';
        return text === 'done' || text.startsWith('error');
      },
      undefined,
      { timeout: scenario.timeoutMs ?? TIMEOUT_MS, polling: 250 },
    );
  } catch {
    failures.push(`status did not reach 'done' within ${scenario.timeoutMs ?? TIMEOUT_MS} ms`);
  }
  const seconds = (Date.now() - started) / 1000;
  const text = async (id) => (await page.getByTestId(id).textContent())?.trim() ?? '';
  const result = {
    status: await status.textContent(),
    backend: await text('backend'),
    level: Number(await text('flood-level')),
    floodLoss: Number(await text('final-loss')),
    plainLoss: Number(await text('plain-final-loss')),
    floodTestLoss: Number(await text('flood-test-loss')),
    plainTestLoss: Number(await text('plain-test-loss')),
    floodTestAccuracy: Number(await text('flood-test-accuracy')),
    plainTestAccuracy: Number(await text('plain-test-accuracy')),
    floodProp: Number(await text('flood-prop')),
    pageSeconds: await text('elapsed'),
    leaked: await text('leaked'),
    plainMs: await text('plain-ms'),
    floodMs: await text('flood-ms'),
    backendNote: await text('backend-note'),
    seconds,
    wasmResponses,
  };
  if (result.status !== 'done') failures.push(`status is '${result.status}'`);
  if (!scenario.expectBackend.includes(result.backend)) {
    failures.push(`backend '${result.backend}' not in ${scenario.expectBackend.join('/')}`);
  }
  if (result.backend === 'wasm' && wasmResponses === 0)
    failures.push('wasm backend but no .wasm fetched');
  if (!Number.isFinite(result.floodLoss)) failures.push(`final-loss is not a finite number`);
  if (!Number.isFinite(result.plainLoss)) failures.push(`plain-final-loss is not a finite number`);
  if (!scenario.short && !(Math.abs(result.floodLoss - result.level) < TOLERANCE)) {
    failures.push(
      `flooded training loss ${result.floodLoss} not within ${TOLERANCE} of b = ${result.level}`,
    );
  }
  if (!scenario.short && !(result.plainLoss < result.level - PLAIN_MARGIN)) {
    failures.push(`plain training loss ${result.plainLoss} not below b − ${PLAIN_MARGIN}`);
  }
  if (result.leaked !== '0') failures.push(`${result.leaked} tensors left after the run`);
  if (
    scenario.short
      ? !(result.floodProp >= 0 && result.floodProp <= 1)
      : !(result.floodProp > 0 && result.floodProp < 1)
  ) {
    failures.push(
      `floodProp ${result.floodProp} not ${scenario.short ? 'in [0, 1]' : 'strictly between 0 and 1'}`,
    );
  }
  const shot = join(out, `browser-${scenario.name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  if (scenario.rerun && result.status === 'done') {
    // The controls: a short iFlood run with SGD + momentum at another level, started
    // with the button, must finish cleanly and leave no tensors behind either.
    await page.fill('#level', '0.3');
    await page.selectOption('#method', 'iflood');
    await page.selectOption('#base', 'sgd');
    await page.fill('#epochs', '30');
    await page.click('#train');
    try {
      await page.waitForFunction(
        () => {
          const text = document.querySelector('[data-testid=status]')?.textContent ?? '';
          const level = document.querySelector('[data-testid=flood-level]')?.textContent;
          return level === '0.3' && (text === 'done' || text.startsWith('error'));
        },
        undefined,
        { timeout: TIMEOUT_MS, polling: 100 },
      );
    } catch {
      failures.push(`the re-run from the controls did not finish within ${TIMEOUT_MS} ms`);
    }
    const rerun = {
      status: await text('status'),
      leaked: await text('leaked'),
      loss: Number(await text('final-loss')),
    };
    if (rerun.status !== 'done') failures.push(`re-run status is '${rerun.status}'`);
    if (rerun.leaked !== '0') failures.push(`re-run left ${rerun.leaked} tensors`);
    if (!Number.isFinite(rerun.loss)) failures.push('re-run final-loss is not a finite number');
    notes.push(
      `re-run (iflood, sgd, b = 0.3, 30 epochs): status ${rerun.status}, final-loss ${rerun.loss}, leaked ${rerun.leaked}`,
    );
  }
  await page.close();
  return { scenario, result, failures, notes, shot };
}

/** Starts Vite's dev server on 127.0.0.1 (the first free port from 5180). */
async function serveDev() {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: app,
    configFile: join(app, 'vite.config.ts'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 5180, strictPort: false },
  });
  await server.listen();
  return { url: server.resolvedUrls.local[0], close: () => server.close() };
}

async function main() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  }
  const dev = args.has('--dev');
  if (!dev && !args.has('--no-build')) build();
  mkdirSync(out, { recursive: true });
  const server = dev ? await serveDev() : await serve(join(app, 'dist'));
  console.log(`serving ${dev ? 'the Vite dev server' : 'dist/'} at ${server.url}`);
  // No GPU here: WebGL and WebGPU run on SwiftShader; see chromium.mjs.
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const reports = [];
  try {
    for (const scenario of scenarios)
      reports.push(await runScenario(browser, server.url, scenario));
  } finally {
    await browser.close();
    await server.close();
  }
  for (const { scenario, result, failures, notes, shot } of reports) {
    const verdict = failures.length === 0 ? 'PASS' : 'FAIL';
    console.log(
      `${verdict} ${scenario.name}: backend=${result.backend} b=${result.level} ` +
        `flood train=${result.floodLoss.toFixed(4)} test=${result.floodTestLoss.toFixed(4)} ` +
        `acc=${result.floodTestAccuracy} floodProp=${result.floodProp} | ` +
        `plain train=${result.plainLoss.toFixed(4)} test=${result.plainTestLoss.toFixed(4)} ` +
        `acc=${result.plainTestAccuracy} | ms/epoch plain ${result.plainMs} flood ${result.floodMs}, ` +
        `training ${result.pageSeconds}, page ${result.seconds.toFixed(1)} s | ${shot}`,
    );
    if (result.backendNote) console.log(`  backend: ${result.backendNote}`);
    for (const n of notes) console.log(`  note: ${n}`);
    for (const f of failures) console.log(`  FAIL: ${f}`);
  }
  const passed = reports.every((r) => r.failures.length === 0);
  if (passed && !dev && args.has('--update-screenshot')) {
    copyFileSync(reports[0].shot, join(app, 'screenshot.png'));
    console.log('updated screenshot.png');
  }
  console.log(
    `${passed ? 'PASS' : 'FAIL'}: browser e2e, ${reports.filter((r) => r.failures.length === 0).length}/${reports.length} scenarios passed`,
  );
  process.exitCode = passed ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  console.log('FAIL: browser e2e crashed');
  process.exitCode = 1;
});
