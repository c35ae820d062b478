import { describe, expect, it } from 'vitest';
import { codeBlock, codeSpan, inline, link } from './markdown.js';
import { markdownTokens, tokensOf } from './markdown-check.js';
import type { Token } from './markdown-check.js';

/** The text a reader sees: the parser's leaf text, escapes resolved, code as its content. */
function shown(markdown: string): string {
  const LEAVES = new Set(['data', 'characterEscapeValue', 'codeTextData', 'autolinkProtocol', 'whitespace']);
  const visible = (tokens: readonly Token[]): string => tokens.map((t) => (t.children.length === 0 ? (LEAVES.has(t.type) ? t.text : '') : visible(t.children))).join('');
  return visible(markdownTokens(markdown));
}

describe('inline', () => {
  it('escapes what Markdown would read as syntax, and the reader sees the text as written', () => {
    const text = 'a | b *bold* _x_ <b>tag</b> [link](x) `code` ~gone~ \\ $5 &amp; # not-heading';
    const markdown = inline(text);
    expect(markdown).toBe('a \\| b \\*bold\\* \\_x\\_ \\<b>tag\\</b> \\[link\\](x) \\`code\\` \\~gone\\~ \\\\ \\$5 \\&amp; # not-heading');
    const tokens = markdownTokens(markdown);
    for (const type of ['emphasis', 'strong', 'htmlText', 'link', 'codeText', 'strikethrough', 'mathText', 'characterReference']) expect(tokensOf(tokens, type), type).toEqual([]);
    expect(shown(markdown)).toBe(text);
  });

  it('keeps Prometheus template actions byte for byte, as code spans', () => {
    const markdown = inline('{{ $value | humanizePercentage }} of {{ $labels.instance }} fail');
    expect(markdown).toBe('`{{ $value | humanizePercentage }}` of `{{ $labels.instance }}` fail');
    expect(tokensOf(markdownTokens(markdown), 'codeTextData').map((t) => t.text)).toEqual(['{{ $value | humanizePercentage }}', '{{ $labels.instance }}']);
  });

  it('merges template actions side by side into one code span, which two spans could not be', () => {
    const markdown = inline('{{ if $labels.x }}{{ $labels.x }}{{ end }} and `{{ $value }}`');
    expect(tokensOf(markdownTokens(markdown), 'codeTextData').map((t) => t.text)).toEqual(['{{ if $labels.x }}{{ $labels.x }}{{ end }}', '{{ $value }}']);
    expect(shown(markdown)).toBe('{{ if $labels.x }}{{ $labels.x }}{{ end }} and `{{ $value }}`');
  });

  it('escapes | inside code spans in a table cell, where GFM splits cells first', () => {
    expect(inline('{{ $value | humanize }}', { cell: true })).toBe('`{{ $value \\| humanize }}`');
    const table = `| a | b |\n| --- | --- |\n| ${inline('x | {{ $value | humanize }}', { cell: true })} | y |\n`;
    expect(tokensOf(markdownTokens(table), 'tableData')).toHaveLength(2);
  });

  it('collapses newlines so user text cannot start a block', () => {
    const markdown = inline('first\n\n# heading\n- item\n    code');
    expect(markdown).toBe('first # heading - item code');
    expect(tokensOf(markdownTokens(`- ${markdown}\n`), 'atxHeading')).toEqual([]);
  });

  it('escapes what would open a block at the start, and a heading closer at the end', () => {
    expect(inline('# not a heading')).toBe('\\# not a heading');
    expect(inline('- not a list')).toBe('\\- not a list');
    expect(inline('1. not a list')).toBe('1\\. not a list');
    expect(inline('> not a quote')).toBe('\\> not a quote');
    expect(inline('channel #')).toBe('channel \\#');
    expect(tokensOf(markdownTokens(`1. ${inline('- x')}\n`), 'listUnordered')).toEqual([]);
  });

  it('leaves _ inside words and never writes HTML entities', () => {
    expect(inline('rate(http_requests_total[5m]) & more')).toBe('rate(http_requests_total\\[5m\\]) & more');
    expect(inline('a < b & "c"')).not.toMatch(/&amp;|&lt;|&quot;/);
  });

  it('makes bare URLs autolinks', () => {
    expect(inline('see https://wiki.example.org/x_y. Then')).toBe('see <https://wiki.example.org/x_y>. Then');
  });
});

describe('code', () => {
  it('fences with one backtick more than the longest run inside, and keeps the text verbatim', () => {
    const text = 'echo ```` | tr -d "`"\n\n\tindented $HOME {{ x }}';
    const block = codeBlock(text, 'sh');
    expect(block.split('\n')[0]).toBe('`````sh');
    expect(block.split('\n').at(-1)).toBe('`````');
    expect(tokensOf(markdownTokens(block), 'codeFlowValue').map((t) => t.text)).toEqual(['echo ```` | tr -d "`"', '\tindented $HOME {{ x }}']);
  });

  it('indents a block into a list item, leaving blank lines empty', () => {
    expect(codeBlock('a\n\nb', 'sh', 3)).toBe('   ```sh\n   a\n\n   b\n   ```');
  });

  it('spans code with backticks inside', () => {
    expect(codeSpan('a ` b')).toBe('``a ` b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
  });
});

describe('link', () => {
  it('escapes the label and makes the target safe inside (…)', () => {
    expect(link('P99 [ms]', '../grafana/dashboards/a b.json')).toBe('[P99 \\[ms\\]](../grafana/dashboards/a%20b.json)');
    expect(link('x', 'https://g.example.org/d/u?viewPanel=(2)')).toBe('[x](https://g.example.org/d/u?viewPanel=%282%29)');
  });
});
