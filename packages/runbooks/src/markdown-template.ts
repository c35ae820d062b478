/**
 * Kiln's Markdown templates, the way DOMAIN.md asks for Handlebars: only Kiln's own templates are
 * ever compiled (user text arrives as data), once, with `strict` and `knownHelpersOnly`, in an
 * isolated Handlebars environment whose only helpers are Markdown's (escaping, code blocks, links,
 * lists). Every value is printed through one of them: a template with a bare `{{value}}` (which
 * Handlebars would HTML-escape to `&amp;`) or a `{{{raw}}}` is refused when the module loads.
 * The context is validated with zod first, because `strict` does not see values passed to helpers
 * (`{{#if missing}}`, `{{#each missing}}` render silently); a context that fails is a bug in Kiln.
 */
import Handlebars from 'handlebars';
import type { z } from 'zod';
import { codeBlock, inline, LANGUAGES, link, rich } from './markdown.js';
import type { InlineOptions, Language, Segment } from './markdown.js';

const handlebars = Handlebars.create();

const cellOption = (options: Handlebars.HelperOptions): InlineOptions => ({ cell: options.hash['cell'] === true });
const indentOption = (options: Handlebars.HelperOptions): number => {
  const indent: unknown = options.hash['indent'] ?? 0;
  if (typeof indent !== 'number' || !Number.isInteger(indent) || indent < 0) throw new Error(`internal error: indent ${String(indent)}`);
  return indent;
};
const safe = (markdown: string) => new handlebars.SafeString(markdown);

function text(value: unknown, helper: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`internal error: the ${helper} helper got ${JSON.stringify(value)}, not text`);
}

/** Helpers by name; `knownHelpers` lists exactly these. */
const HELPERS = {
  /** `{{md value}}`: user text as one escaped line (`cell=true` in a table, `indent=N` in a list item). */
  md: (value: unknown, options: Handlebars.HelperOptions) => safe(`${' '.repeat(indentOption(options))}${inline(text(value, 'md'), cellOption(options))}`),
  /** `{{rich segments}}`: prose and code pieces Kiln assembled, as one line. */
  rich: (segments: readonly Segment[], options: Handlebars.HelperOptions) => safe(rich(segments, cellOption(options))),
  /** `{{code value "sh" indent=3}}`: a fenced block holding the text verbatim. */
  code: (value: unknown, language: unknown, options: Handlebars.HelperOptions) => {
    if (!LANGUAGES.includes(language as Language)) throw new Error(`internal error: no code block language '${String(language)}'`);
    return safe(codeBlock(text(value, 'code'), language as Language, indentOption(options)));
  },
  /** `{{link label href}}`: a link with an escaped label. */
  link: (label: unknown, href: unknown, options: Handlebars.HelperOptions) => safe(link(text(label, 'link'), text(href, 'link'), cellOption(options))),
  /** `{{heading level "Title"}}`: a heading at a level the context chooses. */
  heading: (level: unknown, title: unknown) => {
    if (typeof level !== 'number' || level < 1 || level > 6) throw new Error(`internal error: heading level ${String(level)}`);
    return safe(`${'#'.repeat(level)} ${inline(text(title, 'heading'))}`);
  },
  /** `{{ol items}}`: a numbered list of escaped items. */
  ol: (items: readonly unknown[]) => safe(items.map((item, i) => `${i + 1}. ${inline(text(item, 'ol'))}`).join('\n')),
} as const;

for (const [name, helper] of Object.entries(HELPERS)) handlebars.registerHelper(name, helper as Handlebars.HelperDelegate);

const BLOCK_HELPERS = new Set(['each', 'if', 'unless']);

/** Refuses what would print a value without a Markdown helper, and partials and decorators. */
function checkTemplate(name: string, source: string): void {
  const fail = (why: string): never => {
    throw new Error(`internal error: runbook template '${name}' ${why}`);
  };
  const visit = (node: hbs.AST.Node): void => {
    switch (node.type) {
      case 'Program':
        for (const statement of (node as hbs.AST.Program).body) visit(statement);
        return;
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        const helper = (mustache.path as hbs.AST.PathExpression).original;
        if (!(helper in HELPERS) || mustache.params.length === 0) fail(`prints '${String(helper)}' without a Markdown helper`);
        if (!mustache.escaped) fail(`uses a triple-stash {{{…}}}`);
        return;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        const helper = (block.path as hbs.AST.PathExpression).original;
        if (!BLOCK_HELPERS.has(helper)) fail(`opens a block with '${String(helper)}'`);
        visit(block.program);
        if (block.inverse) visit(block.inverse);
        return;
      }
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      default:
        fail(`uses ${node.type}`);
    }
  };
  visit(handlebars.parse(source));
}

export interface MarkdownTemplate<Context> {
  readonly name: string;
  render(context: Context): string;
}

/** A template checked and compiled once, when the module that declares it loads. */
export function markdownTemplate<Schema extends z.ZodType>(name: string, schema: Schema, source: string): MarkdownTemplate<z.input<Schema>> {
  checkTemplate(name, source);
  const compiled = handlebars.compile<z.output<Schema>>(source, { strict: true, knownHelpersOnly: true, knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((helper) => [helper, true])) });
  return {
    name,
    render(context) {
      const parsed = schema.safeParse(context);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.map(String).join('.') || '(the context itself)';
        throw new Error(`internal error: the context of runbook template '${name}' fails validation at '${field}': ${issue?.message ?? 'invalid'}; this is a bug in Kiln`);
      }
      return `${compiled(parsed.data).trimEnd()}\n`;
    },
  };
}
