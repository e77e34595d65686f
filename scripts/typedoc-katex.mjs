/**
 * A TypeDoc plugin that renders TeX math with KaTeX at build time, so the API
 * site shows formulas without JavaScript and without a network connection.
 *
 * In doc comments and in the guides of `docs/*.md`:
 *
 * - `$$ … $$` is display math (may span lines);
 * - `$ … $` is inline math: the opening `$` must be followed, and the closing
 *   `$` preceded, by a non-space character, so prices such as "$5 and $10" stay text;
 * - math inside code spans or fenced code blocks is left alone; `\$` is a literal dollar.
 *
 * Math is cut out of the Markdown before markdown-it sees it (so `\|`, `\,`, `_`
 * and `*` reach KaTeX intact), rendered with `katex.renderToString`, and pasted
 * back into the HTML. Invalid TeX is reported as a TypeDoc error. The KaTeX
 * stylesheet and fonts are copied from the installed `katex` package into
 * `assets/katex/` of the output.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import { JSX, MarkdownEvent, RendererEvent } from 'typedoc';

const require = createRequire(import.meta.url);
const katexDist = join(dirname(require.resolve('katex/package.json')), 'dist');

/** Code (fenced or inline) or math, in the order a reader meets them. */
const TOKEN =
  /(?:^|\n)[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n[ \t]*\1[`~]*[ \t]*(?=\n|$)|$)|(`+)[\s\S]*?[^`]\2(?!`)|\\\$|\$\$([\s\S]+?)\$\$|\$(?=\S)((?:\\.|[^$\\\n`])*?[^\s`])\$(?!\d)/g;

/**
 * Replaces every math span of `text` by a placeholder and records its HTML.
 *
 * @param {string} text - Markdown.
 * @param {string[]} rendered - receives the KaTeX HTML, one entry per placeholder.
 * @param {(message: string) => void} report - called with a message for invalid TeX.
 * @returns {string} the Markdown with placeholders.
 */
export function cutMath(text, rendered, report) {
  return text.replace(TOKEN, (match, _fence, _ticks, display, inline) => {
    if (match === '\\$') return '&#36;';
    const tex = display ?? inline;
    if (tex === undefined) return match;
    let html;
    try {
      html = katex.renderToString(tex, {
        displayMode: display !== undefined,
        throwOnError: true,
        output: 'html',
      });
    } catch (error) {
      report(`KaTeX cannot render ${JSON.stringify(tex)}: ${String(error)}`);
      return match;
    }
    rendered.push(html);
    return `KATEXPLACEHOLDER${rendered.length - 1}X`;
  });
}

/**
 * Puts the recorded HTML back in place of the placeholders.
 *
 * @param {string} html - markdown-it's output.
 * @param {string[]} rendered - the HTML recorded by {@link cutMath}.
 * @returns {string} the HTML with rendered math.
 */
export function pasteMath(html, rendered) {
  return html.replace(/KATEXPLACEHOLDER(\d+)X/g, (_, index) => rendered[Number(index)]);
}

/**
 * TypeDoc entry point.
 *
 * @param {import('typedoc').Application} app - the TypeDoc application.
 */
export function load(app) {
  /** @type {string[][]} a stack, because Markdown can be parsed while parsing Markdown. */
  const pending = [];
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const rendered = [];
      pending.push(rendered);
      event.parsedText = cutMath(event.parsedText, rendered, (message) =>
        app.logger.error(`${message} (in ${event.page.url})`),
      );
    },
    100,
  );
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const rendered = pending.pop() ?? [];
      event.parsedText = pasteMath(event.parsedText, rendered);
    },
    -100,
  );
  app.renderer.hooks.on('head.end', (context) =>
    JSX.createElement('link', {
      rel: 'stylesheet',
      href: context.relativeURL('assets/katex/katex.min.css'),
    }),
  );
  app.renderer.on(RendererEvent.END, (event) => {
    const target = join(event.outputDirectory, 'assets', 'katex');
    mkdirSync(join(target, 'fonts'), { recursive: true });
    cpSync(join(katexDist, 'katex.min.css'), join(target, 'katex.min.css'));
    cpSync(join(katexDist, 'fonts'), join(target, 'fonts'), { recursive: true });
  });
}
