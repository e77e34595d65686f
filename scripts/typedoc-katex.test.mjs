import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { cutMath, pasteMath } from './typedoc-katex.mjs';

/** Cuts and pastes without Markdown in between; returns the HTML and reported errors. */
function roundTrip(text) {
  const rendered = [];
  const errors = [];
  const cut = cutMath(text, rendered, (message) => errors.push(message));
  return { cut, html: pasteMath(cut, rendered), rendered, errors };
}

describe('typedoc-katex', () => {
  it('renders inline math with KaTeX, keeping markdown-sensitive characters intact', () => {
    const tex = String.raw`\|\nabla L\|^2 + a_1 * b_2`;
    const { cut, html, errors } = roundTrip(`penalty $${tex}$ here`);
    expect(errors).toEqual([]);
    expect(cut).toBe('penalty KATEXPLACEHOLDER0X here');
    expect(html).toBe(`penalty ${katex.renderToString(tex, { output: 'html' })} here`);
  });

  it('renders $$…$$ as display math, across lines', () => {
    const { html } = roundTrip('$$\n|L - b| + b\n$$');
    expect(html).toBe(
      katex.renderToString('\n|L - b| + b\n', { displayMode: true, output: 'html' }),
    );
    expect(html).toContain('katex-display');
  });

  it('leaves code spans, fenced code, prices and escaped dollars alone', () => {
    const text = [
      'costs $5 and $10, `$x$` in code, \\$y\\$ escaped',
      '```sh',
      '$ npm i $z$',
      '```',
    ].join('\n');
    const { cut, rendered } = roundTrip(text);
    expect(rendered).toEqual([]);
    expect(cut).toBe(
      ['costs $5 and $10, `$x$` in code, &#36;y&#36; escaped', '```sh', '$ npm i $z$', '```'].join(
        '\n',
      ),
    );
  });

  it('reports invalid TeX and keeps the source text', () => {
    const { html, errors } = roundTrip(String.raw`bad $\frac{1$ math`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('KaTeX cannot render');
    expect(html).toBe(String.raw`bad $\frac{1$ math`);
  });
});
