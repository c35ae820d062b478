/**
 * The diff as a pull-request comment: a summary table (environment × kind), then one collapsed
 * `<details>` per resource with its field changes in a fenced block. GitHub refuses comments over
 * 65,536 characters, so the comment stays within a budget below that: whole resources are left
 * out (never part of one, so no character or fence is ever cut) and the comment says how many.
 */
import { comparedWith, describeCounts, resourceBody, resourceTitle } from './render-text.js';
import type { RenderOptions } from './render-text.js';
import type { DiffReport, ResourceChange } from './report.js';

/** GitHub's limit on a comment's body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What `renderMarkdown` stays within by default: room below the limit for a CI job's own lines. */
export const DEFAULT_MARKDOWN_BUDGET = 60_000;

export interface MarkdownOptions extends RenderOptions {
  /** Maximum length of the comment in UTF-16 code units (never fewer than GitHub counts). */
  readonly budget?: number;
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cell = (text: string) => html(text).replace(/\|/g, '\\|');

/** A fenced block whose fence is longer than any run of backticks inside, so nothing inside can close it. */
export function fenced(lines: readonly string[], info = 'text'): string {
  const longest = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${lines.join('\n')}\n${fence}`;
}

function details(resource: ResourceChange): string {
  const summary = `${html(resource.change === 'renamed' ? 'renamed' : resource.change)} · ${html(resource.environment)} · ${resource.kind} · <code>${html(resourceTitle(resource).replace(/^\S+ /, ''))}</code>`;
  return `<details>\n<summary>${summary}</summary>\n\n${fenced(resourceBody(resource))}\n\n</details>\n`;
}

function leftOut(count: number, total: number): string {
  return `\n> **${count} of ${total} resource${total === 1 ? '' : 's'} left out** to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit; run \`npx kiln diff\` for the whole diff.\n`;
}

export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const budget = options.budget ?? DEFAULT_MARKDOWN_BUDGET;
  const base = comparedWith(options.base);
  const heading = `### Kiln diff\n\n`;
  if (report.resources.length === 0) return `${heading}No changes to \`generated/\` against <code>${html(base)}</code>.\n`;
  const total = report.resources.length;
  // Room for the note that resources were left out, whatever their number.
  const reserve = leftOut(total, total).length + 1;
  let used = 0;
  const parts: string[] = [];
  const add = (text: string): boolean => {
    if (used + text.length + reserve > budget) return false;
    parts.push(text);
    used += text.length;
    return true;
  };
  add(`${heading}Generated output against <code>${html(base)}</code>: **${describeCounts(report.totals)}**\n\n`);
  add('| environment | kind | added | changed | removed | renamed |\n| --- | --- | ---: | ---: | ---: | ---: |\n');
  const rows = report.summary.map((r) => `| ${cell(r.environment)} | ${r.kind} | ${r.added} | ${r.changed} | ${r.removed} | ${r.renamed} |\n`);
  const shownRows = rows.filter(add).length;
  if (shownRows < rows.length) add(`| … ${rows.length - shownRows} more rows | | | | | |\n`);
  add('\n');
  let omitted = 0;
  for (const resource of report.resources) if (!add(details(resource))) omitted++;
  let text = parts.join('');
  if (omitted > 0) text += leftOut(omitted, total);
  return text;
}
