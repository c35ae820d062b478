/**
 * Alert annotations are Go templates (text/template with Prometheus's functions). This checks them
 * the way Go's parser would (actions closed, blocks balanced, functions defined) and, as pint's
 * alerts/template check does with a live server, that every `$labels.x` names a label the alert's
 * expression keeps. It also expands the common forms, so rule tests can state what an alert reads.
 */
import { PromqlCode } from './codes.js';
import type { Problem } from './analyze.js';
import { formatFixed, formatG } from './go-format.js';

/** Go's builtins and the functions Prometheus adds for alert templates (template/template.go). */
const FUNCTIONS = new Set([
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne',
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper', 'toLower', 'graphLink', 'tableLink',
  'sortByLabel', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp', 'toTime', 'toDuration', 'pathPrefix',
  'externalURL', 'parseDuration', 'stripPort', 'stripDomain', 'urlQueryEscape', 'tmpl',
]);
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'block', 'template', 'break', 'continue', 'nil', 'true', 'false']);
const OPENS = new Set(['if', 'range', 'with', 'define', 'block']);

interface Action {
  readonly body: string;
  readonly start: number;
}

/** Split into text and actions, or say where the template breaks. */
function actions(template: string): { actions: Action[]; texts: string[] } | { error: string } {
  const out: Action[] = [];
  const texts: string[] = [];
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      texts.push(template.slice(at));
      return { actions: out, texts };
    }
    texts.push(template.slice(at, open));
    // Find the closing braces outside string literals.
    let i = open + 2;
    let quote: string | undefined;
    for (; i < template.length; i++) {
      const c = template[i];
      if (quote) {
        if (c === '\\' && quote !== '`') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === '`' || c === "'") quote = c;
      else if (c === '}' && template[i + 1] === '}') break;
    }
    if (i >= template.length) return { error: `unclosed action at character ${open + 1}: '{{' without '}}'` };
    let body = template.slice(open + 2, i);
    if (body.startsWith('- ')) body = body.slice(2);
    if (body.endsWith(' -')) body = body.slice(0, -2);
    out.push({ body: body.trim(), start: open });
    at = i + 2;
  }
}

/** Identifiers and variables of an action, outside string literals. */
function words(body: string): string[] {
  return body
    .replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, ' "" ')
    // Number literals (1e9, 0x10, 1_000) are no identifiers.
    .replace(/(?<![\w$.])[-+]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?)/g, ' 0 ').match(/\$?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|\.[A-Za-z_][A-Za-z0-9_]*|\$/g) ?? [];
}

/**
 * Problems with one annotation template. `labels`: what the alert is sure to carry (the
 * expression's surviving labels and the rule's own); undefined skips the label check.
 */
export function checkTemplate(template: string, labels: ReadonlySet<string> | undefined): Problem[] {
  const split = actions(template);
  if ('error' in split) return [{ code: PromqlCode.TEMPLATE_INVALID, message: `template does not parse: ${split.error}`, hint: "close every '{{' with '}}'" }];
  const problems: Problem[] = [];
  const declared = new Set(['$labels', '$value', '$externalLabels', '$externalURL', '$']);
  let depth = 0;
  for (const action of split.actions) {
    if (action.body.startsWith('/*')) continue;
    const tokens = words(action.body);
    const head = tokens[0];
    if (head !== undefined && OPENS.has(head)) depth++;
    if (head === 'end') depth--;
    if (depth < 0) {
      problems.push({ code: PromqlCode.TEMPLATE_INVALID, message: `unexpected {{end}} at character ${action.start + 1}`, hint: 'remove it, or open the block with {{if …}}, {{range …}} or {{with …}}' });
      depth = 0;
    }
    const assignment = /^(\$[A-Za-z_][A-Za-z0-9_]*)\s*:?=/.exec(action.body.replace(/^(if|range|with)\s+/, ''));
    if (assignment?.[1]) declared.add(assignment[1]);
    const range = /^range\s+(\$[A-Za-z_][A-Za-z0-9_]*)\s*,\s*(\$[A-Za-z_][A-Za-z0-9_]*)\s*:=/.exec(action.body);
    if (range?.[1]) declared.add(range[1]);
    if (range?.[2]) declared.add(range[2]);
    for (const word of tokens) {
      if (word.startsWith('$')) {
        const [variable, field] = word.split('.');
        if (!variable || !declared.has(variable)) {
          problems.push({ code: PromqlCode.TEMPLATE_INVALID, message: `undefined variable '${variable}'`, hint: 'alert templates have $labels, $value and $externalLabels' });
        } else if (variable === '$labels' && field !== undefined && labels && !labels.has(field)) {
          problems.push(unknownLabel(field, labels));
        }
      } else if (!word.startsWith('.') && !KEYWORDS.has(word) && !FUNCTIONS.has(word)) {
        problems.push({ code: PromqlCode.TEMPLATE_INVALID, message: `function '${word}' is not defined`, hint: 'use a Go template builtin or a Prometheus template function (humanize, humanizePercentage, …)' });
      }
    }
    // `index $labels "name"` reads a label too.
    for (const match of action.body.matchAll(/index\s+\$labels\s+"([^"]*)"/g)) {
      if (labels && match[1] !== undefined && !labels.has(match[1])) problems.push(unknownLabel(match[1], labels));
    }
  }
  if (depth > 0) problems.push({ code: PromqlCode.TEMPLATE_INVALID, message: `${depth} block${depth > 1 ? 's' : ''} without {{end}}`, hint: 'close every {{if}}, {{range}} and {{with}} with {{end}}' });
  return problems;
}

function unknownLabel(label: string, labels: ReadonlySet<string>): Problem {
  return {
    code: PromqlCode.UNKNOWN_LABEL,
    message: `the template uses $labels.${label}, but the alert does not carry '${label}': the expression's aggregation removes it`,
    hint: `labels the alert carries: ${[...labels].sort().join(', ') || 'none'}; keep '${label}' in by (…) or drop it from the template`,
  };
}

/**
 * The template expanded the way Prometheus would, for the forms alert text uses: `$labels.x`,
 * `$value`, and `$value` through humanize, humanizePercentage or `printf "%.Nf"`. Undefined for
 * anything else (the author then states the expected text).
 */
export function expandTemplate(template: string, labels: Readonly<Record<string, string>>, value: number | undefined): string | undefined {
  const split = actions(template);
  if ('error' in split) return undefined;
  let out = split.texts[0] ?? '';
  for (const [i, action] of split.actions.entries()) {
    const expanded = expandAction(action.body, labels, value);
    if (expanded === undefined) return undefined;
    out += expanded + (split.texts[i + 1] ?? '');
  }
  return out;
}

function expandAction(body: string, labels: Readonly<Record<string, string>>, value: number | undefined): string | undefined {
  const label = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
  if (label?.[1] !== undefined) return labels[label[1]] ?? '<no value>';
  if (value === undefined) return undefined;
  const piped = /^\$value(?:\s*\|\s*(humanize|humanizePercentage))?$/.exec(body) ?? /^(humanize|humanizePercentage)\s+\$value$/.exec(body);
  if (piped) {
    const fn = piped[1];
    if (fn === 'humanize') return humanize(value);
    if (fn === 'humanizePercentage') return `${formatG(value * 100, 4)}%`;
    return formatG(value, undefined);
  }
  const printf = /^printf\s+"%\.(\d)f"\s+\$value$/.exec(body);
  if (printf?.[1] !== undefined) return formatFixed(value, Number(printf[1]));
  return undefined;
}

/** Prometheus's humanize: SI prefixes, four significant digits. */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return formatG(value, 4);
  let v = value;
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${formatG(v, 4)}${prefix}`;
}
