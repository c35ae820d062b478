/**
 * Markdown escaping for text Kiln did not write (alert summaries, runbook steps, titles). Handlebars
 * only knows HTML escaping (`&amp;`), which is wrong for Markdown, and its raw output lets a newline
 * or a `|` change the document's structure; every user string goes through these functions instead.
 *
 * Inline text is one line: runs of whitespace (newlines included) become one space, so nothing a
 * user writes can start a block. Prometheus template actions (`{{ $labels.job }}`) become code
 * spans: they stay byte for byte as written, and GitHub cannot read their `$` as math. Bare URLs
 * become autolinks. Everything else that Markdown could read as syntax is backslash-escaped
 * (CommonMark allows a backslash before any ASCII punctuation, so the escape never shows).
 */

export interface InlineOptions {
  /** In a GFM table cell a `|` ends the cell even inside a code span, so it is escaped there too. */
  readonly cell?: boolean;
}

/** A piece of inline text: prose to escape, or code to show verbatim. */
export type Segment = { readonly text: string } | { readonly code: string };

const TEMPLATE_ACTION = /\{\{.*?\}\}/g;
// A URL ends before whitespace, `<`, `>`, a backtick or `|`, and not on trailing punctuation.
const URL = /\bhttps?:\/\/[^\s<>`|]*[^\s<>`|.,;:!?'")\]]/g;

/** User text as one escaped line of Markdown. */
export function inline(text: string, options: InlineOptions = {}): string {
  return rich([{ text }], options);
}

/** Segments as one line of Markdown: text escaped, code as code spans. */
export function rich(segments: readonly Segment[], options: InlineOptions = {}): string {
  const line = pieces(segments)
    .map((piece) => ('code' in piece ? codeSpan(piece.code, options) : linkedText(piece.text)))
    .join('')
    .trim();
  return atLineStart(line).replace(/#$/, '\\#');
}

/** Whitespace, newlines included, collapsed: user text cannot open a new block. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * Template actions cut out of the text as code, and neighbouring code merged into one piece: two
 * code spans side by side would read as one with a backtick run inside.
 */
function pieces(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  const push = (piece: Segment) => {
    const last = out.at(-1);
    if (last && 'code' in last && 'code' in piece) out[out.length - 1] = { code: last.code + piece.code };
    else if (!('text' in piece && piece.text === '')) out.push(piece);
  };
  for (const segment of segments) {
    if ('code' in segment) {
      push({ code: oneLine(segment.code) });
      continue;
    }
    const text = oneLine(segment.text);
    let last = 0;
    for (const match of text.matchAll(TEMPLATE_ACTION)) {
      push({ text: text.slice(last, match.index) });
      push({ code: match[0] });
      last = match.index + match[0].length;
    }
    push({ text: text.slice(last) });
  }
  return out;
}

/** Escaped prose, with bare URLs as autolinks. */
function linkedText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL)) {
    out += `${escapeText(text.slice(last, match.index))}<${match[0]}>`;
    last = match.index + match[0].length;
  }
  return out + escapeText(text.slice(last));
}

/**
 * Backslash before what opens inline syntax: code, emphasis, links, HTML, tables, strikethrough,
 * math (`$`) and entity references. `_` inside a word opens nothing, so it is left alone there,
 * which keeps metric names readable in the raw file.
 */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*[\]<|~$]/g, '\\$&')
    .replace(/_/g, (underscore: string, at: number, whole: string) => (/[A-Za-z0-9]/.test(whole[at - 1] ?? '') && /[A-Za-z0-9]/.test(whole[at + 1] ?? '') ? underscore : '\\_'))
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** At the start of a line these open a heading, quote, list or setext underline. */
function atLineStart(line: string): string {
  return line.replace(/^([#>+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A code span: verbatim, delimited by one backtick more than the longest run inside, padded with a
 * space where the content starts or ends with a backtick (CommonMark strips one space each side).
 */
export function codeSpan(code: string, options: InlineOptions = {}): string {
  const content = options.cell ? code.replace(/\|/g, '\\|') : code;
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = /^`|`$/.test(content) || /^ .*[^ ].* $/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

export const LANGUAGES = ['sh', 'promql', 'mermaid', 'text', 'yaml'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A fenced code block holding `text` verbatim (line ends normalised to LF), with a fence longer
 * than any backtick run in it, indented by `indent` spaces to sit inside a list item.
 */
export function codeBlock(text: string, language: Language, indent = 0): string {
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const pad = ' '.repeat(indent);
  const lines = [`${fence}${language}`, ...body.split('\n'), fence];
  // A blank line stays empty: indentation there would only be trailing whitespace.
  return lines.map((line) => (line === '' ? '' : `${pad}${line}`)).join('\n');
}

/** A link; the target is Kiln's (a runbook file, a dashboard URL), made safe for `(…)`. */
export function link(text: string, href: string, options: InlineOptions = {}): string {
  const target = href.replace(/[\s()<>|\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${inline(text, options)}](${target})`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
