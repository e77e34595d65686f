/**
 * A TypeDoc plugin that makes every page of the API site readable before (and
 * without) its scripts:
 *
 * - the default theme hides `<body>` until `main.js` has run (or 500 ms have
 *   passed); that inline `display: none` is removed, so the content shows at once
 *   (the scripts still add search, the theme switch and the full navigation);
 * - the sidebar's "Loading..." placeholder becomes a static list of the site's
 *   top-level entries (packages and guides), with the entries of the package the
 *   page belongs to, the current page marked; `main.js` replaces it with the full
 *   navigation when it loads;
 * - a page title that only repeats the first heading of the page's own text (the
 *   front page's "flood" over the README's "# flood") is dropped.
 */
import { PageEvent } from 'typedoc';

const HIDE_BODY =
  /document\.body\.style\.display="none";setTimeout\(\(\) => window\.app\?app\.showPage\(\):document\.body\.style\.removeProperty\("display"\),500\)/;

/**
 * Removes the script that hides the page until its scripts have loaded.
 *
 * @param {string} html - a rendered page.
 * @returns {string} the page, visible without scripts.
 */
export function showWithoutScripts(html) {
  return html.replace(HIDE_BODY, '');
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );
}

/**
 * @typedef {{ text: string, path?: string, class?: string, children?: NavItem[] }} NavItem
 */

/** @param {NavItem} item @param {string} url */
function contains(item, url) {
  return item.path === url || (item.children ?? []).some((c) => contains(c, url));
}

/** @param {NavItem} item @param {string} base @param {string} url */
function entry(item, base, url) {
  const current = item.path === url ? ' class="current" aria-current="page"' : '';
  return item.path
    ? `<a href="${escapeHtml(base + item.path)}"${current}><span>${escapeHtml(item.text)}</span></a>`
    : `<span>${escapeHtml(item.text)}</span>`;
}

/**
 * The static sidebar: the top-level entries with the children of those that are
 * only headings (e.g. "Documents", "Modules"), and every entry on the way to the
 * page at `url` opened one level (its siblings shown, the page marked).
 *
 * @param {NavItem[]} navigation - the theme's navigation tree.
 * @param {string} url - the page's path from the site root.
 * @returns {string} `<li>` elements.
 */
export function staticNavigation(navigation, url) {
  const base = '../'.repeat(url.split('/').length - 1);
  /** @param {NavItem[]} items @param {number} depth @returns {string} */
  const list = (items, depth) =>
    items
      .map((item) => {
        const open = item.children && ((depth === 0 && !item.path) || contains(item, url));
        const children = open
          ? `<ul class="tsd-small-nested-navigation">${list(item.children, depth + 1)}</ul>`
          : '';
        return `<li>${entry(item, base, url)}${children}</li>`;
      })
      .join('');
  return list(navigation, 0);
}

/**
 * Replaces the sidebar's "Loading..." placeholder by `items`.
 *
 * @param {string} html - a rendered page.
 * @param {string} items - `<li>` elements.
 * @returns {string} the page.
 */
export function fillNavigation(html, items) {
  return html.replace(
    /(<ul class="tsd-small-nested-navigation" id="tsd-nav-container">\s*)<li>Loading\.\.\.<\/li>/,
    (_, open) => `${open}${items}`,
  );
}

/** @param {string} html */
const text = (html) => html.replace(/<[^>]*>/g, '').trim();

/**
 * Drops the page title when the page's text starts with a heading that says the
 * same (the title alone, or after a kind word such as "Module").
 *
 * @param {string} html - a rendered page.
 * @returns {string} the page.
 */
export function dropRepeatedTitle(html) {
  const title = /<div class="tsd-page-title">\s*<h1>([\s\S]*?)<\/h1>\s*<\/div>\s*/.exec(html);
  if (!title) return html;
  const rest = html.slice(title.index + title[0].length);
  const heading =
    /^<div class="tsd-panel tsd-typography">\s*<h1[^>]*>([\s\S]*?)(?:<a [^>]*class="tsd-anchor-icon"[\s\S]*?)?<\/h1>/.exec(
      rest,
    );
  if (!heading) return html;
  const t = text(title[1]);
  const h = text(heading[1]);
  if (t !== h && !t.endsWith(` ${h}`)) return html;
  return html.slice(0, title.index) + rest;
}

/**
 * TypeDoc entry point.
 *
 * @param {import('typedoc').Application} app - the TypeDoc application.
 */
export function load(app) {
  /** @type {WeakMap<object, NavItem[]>} */
  const navigation = new WeakMap();
  app.renderer.on(PageEvent.END, (page) => {
    if (!page.contents) return;
    let nav = navigation.get(page.project);
    if (!nav) {
      const theme = /** @type {{ getNavigation(p: unknown): NavItem[] }} */ (
        /** @type {unknown} */ (app.renderer.theme)
      );
      nav = theme.getNavigation(page.project);
      navigation.set(page.project, nav);
    }
    let html = showWithoutScripts(page.contents);
    html = fillNavigation(html, staticNavigation(nav, page.url));
    page.contents = dropRepeatedTitle(html);
  });
}
