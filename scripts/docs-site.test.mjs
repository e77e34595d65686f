/**
 * The API site (`docs/api/`, built by `scripts/docs.mjs`) in Chromium: readable
 * before its scripts load, search finds functions by part of their name, the
 * front page shows its title once. Uses the built site when it is newer than its
 * sources, else builds it first. Screenshots go to `<tmp>/flood-docs-site/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropRepeatedTitle,
  fillNavigation,
  showWithoutScripts,
  staticNavigation,
} from './typedoc-static.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const site = join(root, 'docs', 'api');
const CHROMIUM = '/usr/bin/chromium';
const shots = join(tmpdir(), 'flood-docs-site');

describe('typedoc-static', () => {
  it('removes the script that hides the page until main.js has run', () => {
    const html =
      '<body><script>document.documentElement.dataset.theme = localStorage.getItem("tsd-theme") || "os";document.body.style.display="none";setTimeout(() => window.app?app.showPage():document.body.style.removeProperty("display"),500)</script><h1>x</h1>';
    expect(showWithoutScripts(html)).toBe(
      '<body><script>document.documentElement.dataset.theme = localStorage.getItem("tsd-theme") || "os";</script><h1>x</h1>',
    );
  });

  it('fills the sidebar with the top level and the way to the page', () => {
    const nav = [
      { text: 'Documents', children: [{ text: 'Guide', path: 'documents/g.html' }] },
      {
        text: 'Modules',
        children: [
          {
            text: '@flood/core',
            path: 'modules/core.html',
            children: [
              { text: 'Functions', children: [{ text: 'f<T>', path: 'functions/f.html' }] },
              { text: 'Classes', children: [{ text: 'C', path: 'classes/C.html' }] },
            ],
          },
          {
            text: '@flood/tfjs',
            path: 'modules/tfjs.html',
            children: [{ text: 'x', path: 'x.html' }],
          },
        ],
      },
    ];
    const items = staticNavigation(nav, 'functions/f.html');
    expect(items).toContain('<a href="../documents/g.html"><span>Guide</span></a>');
    expect(items).toContain(
      '<a href="../functions/f.html" class="current" aria-current="page"><span>f&lt;T&gt;</span></a>',
    );
    expect(items).not.toContain('classes/C.html'); // a closed branch
    expect(items).not.toContain('x.html');
    expect(staticNavigation(nav, 'index.html')).toContain('href="modules/core.html"');
    const page =
      '<ul class="tsd-small-nested-navigation" id="tsd-nav-container">\n<li>Loading...</li></ul>';
    expect(fillNavigation(page, '<li>A</li>')).toBe(
      '<ul class="tsd-small-nested-navigation" id="tsd-nav-container">\n<li>A</li></ul>',
    );
  });

  it('drops a page title that repeats the first heading of the text, and only that', () => {
    const page = (title, heading) =>
      `<div class="tsd-page-title">\n<h1>${title}</h1></div>\n<div class="tsd-panel tsd-typography"><h1 id="a" class="tsd-anchor-link">${heading}<a href="#a" aria-label="Permalink" class="tsd-anchor-icon"><svg></svg></a></h1>`;
    expect(dropRepeatedTitle(page('flood', 'flood'))).toBe(
      '<div class="tsd-panel tsd-typography"><h1 id="a" class="tsd-anchor-link">flood<a href="#a" aria-label="Permalink" class="tsd-anchor-icon"><svg></svg></a></h1>',
    );
    expect(dropRepeatedTitle(page('Module @flood/core', '@flood/core'))).not.toContain(
      'tsd-page-title',
    );
    expect(dropRepeatedTitle(page('flood', 'Why'))).toBe(page('flood', 'Why'));
  });
});

/** Newest modification time (ms) of the files under `path` (a file or a folder). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(path)
      .filter((n) => n !== 'node_modules' && n !== 'dist')
      .map((n) => newest(join(path, n))),
  );
}

function siteIsFresh() {
  const index = join(site, 'index.html');
  if (!existsSync(index)) return false;
  const inputs = [
    'README.md',
    'typedoc.json',
    'typedoc.base.json',
    'scripts/docs.mjs',
    'scripts/typedoc-katex.mjs',
    'scripts/typedoc-static.mjs',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f)),
    ...readdirSync(join(root, 'packages')).map((p) => join('packages', p)),
  ];
  const built = statSync(index).mtimeMs;
  return inputs.every((p) => newest(join(root, p)) <= built);
}

// Chromium on a busy two-core machine: generous per-test limits.
const SLOW = 120_000;

describe('the API site in Chromium', () => {
  /** @type {import('playwright-core').Browser} */
  let browser;
  const url = (path) => pathToFileURL(join(site, path)).href;

  beforeAll(async () => {
    if (!siteIsFresh()) {
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'docs.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`docs build failed:\n${build.stdout}${build.stderr}`);
    }
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    // playwright-core is a devDependency of the browser example.
    const require = createRequire(join(root, 'examples', 'browser', 'package.json'));
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(shots, { recursive: true });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A page whose script files never load (as in a screenshot taken before they do). */
  async function withoutScripts(path) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.route(/\.js$/, (route) => route.abort());
    await page.goto(url(path), { waitUntil: 'domcontentloaded' });
    return page;
  }

  it.each([
    ['index.html', 'flood', 'front'],
    ['functions/_flood_metrics.hessianEigenvalues.html', 'hessianEigenvalues', 'function'],
  ])(
    '%s shows its content and sidebar before any script has loaded',
    async (path, heading, name) => {
      const page = await withoutScripts(path);
      expect(await page.evaluate(() => getComputedStyle(document.body).display)).not.toBe('none');
      const h1 = page.locator('.col-content h1').first();
      expect(await h1.isVisible()).toBe(true);
      expect(await h1.textContent()).toContain(heading);
      const nav = page.locator('#tsd-nav-container');
      expect(await nav.textContent()).not.toContain('Loading');
      expect(await nav.locator('a', { hasText: '@flood/metrics' }).first().isVisible()).toBe(true);
      // The screenshot: a blank 1280×800 page compresses to a few kB; this one has text.
      const png = await page.screenshot();
      writeFileSync(join(shots, `${name}.png`), png);
      expect(png.length).toBeGreaterThan(30_000);
      await page.close();
    },
    SLOW,
  );

  it(
    'the function page marks itself in the static sidebar',
    async () => {
      const page = await withoutScripts('functions/_flood_metrics.hessianEigenvalues.html');
      const current = page.locator('#tsd-nav-container a.current');
      expect(await current.textContent()).toBe('hessianEigenvalues');
      await page.close();
    },
    SLOW,
  );

  it(
    'the front page shows its title once',
    async () => {
      const page = await browser.newPage();
      await page.goto(url('index.html'), { waitUntil: 'load' });
      const titles = await page.$$eval('.col-content h1', (hs) =>
        hs.map((h) => h.textContent.trim()).filter((t) => t === 'flood'),
      );
      expect(titles).toEqual(['flood']);
      await page.close();
    },
    SLOW,
  );

  it(
    'search finds hessianEigenvalues from "hessian"',
    async () => {
      const page = await browser.newPage();
      await page.goto(url('index.html'), { waitUntil: 'load' });
      await page.click('#tsd-search-trigger');
      await page.fill('#tsd-search-input', 'hessian');
      const results = page.locator('#tsd-search-results li');
      await results.first().waitFor({ timeout: 30_000 });
      const names = await results.allTextContents();
      expect(names.some((n) => /\bhessianEigenvalues\b/.test(n))).toBe(true);
      await page.screenshot({ path: join(shots, 'search.png') });
      await page.close();
    },
    SLOW,
  );
});
