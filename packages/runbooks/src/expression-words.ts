/**
 * An alert expression as a sentence: "fires when `x` is above 0.05, and `y` is above 0.05, for 2m".
 * The expression is split only where PromQL's precedence makes the split exact: at the top level
 * (outside brackets and strings) on `or`, then `and`/`unless`, then one comparison. Anything else
 * is quoted as a whole; the PromQL block below the sentence is always the full expression.
 */
import type { Segment } from './markdown.js';

const COMPARISONS: Readonly<Record<string, string>> = { '>': 'is above', '<': 'is below', '>=': 'is at least', '<=': 'is at most', '==': 'equals', '!=': 'differs from' };

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Top-level tokens: operators and words outside `()`, `[]`, `{}` and string literals. */
function topLevel(expr: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      i = closingQuote(expr, i);
      continue;
    }
    if (c === '#') {
      i = expr.indexOf('\n', i) === -1 ? expr.length : expr.indexOf('\n', i);
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0) {
      const operator = /^(>=|<=|==|!=|>|<)/.exec(expr.slice(i))?.[0];
      const word = /^[A-Za-z_]+/.exec(expr.slice(i))?.[0];
      if (operator) {
        tokens.push({ text: operator, start: i, end: i + operator.length });
        i += operator.length - 1;
      } else if (word && !/[\w:]/.test(expr[i - 1] ?? '')) {
        tokens.push({ text: word, start: i, end: i + word.length });
        i += word.length - 1;
      }
    }
  }
  return tokens;
}

function closingQuote(expr: string, open: number): number {
  const quote = expr[open];
  for (let i = open + 1; i < expr.length; i++) {
    if (expr[i] === '\\' && quote !== '`') i++;
    else if (expr[i] === quote) return i;
  }
  return expr.length;
}

/** Splits at top-level set operators, skipping an `on(…)`/`ignoring(…)`/`group_*(…)` after one. */
function splitAt(expr: string, operators: readonly string[]): { operator: string; part: string }[] {
  const parts: { operator: string; part: string }[] = [];
  let from = 0;
  let operator = '';
  for (const token of topLevel(expr)) {
    if (!operators.includes(token.text)) continue;
    parts.push({ operator, part: expr.slice(from, token.start) });
    operator = token.text;
    from = token.end;
    const modifier = /^\s*(on|ignoring)\s*\([^)]*\)(\s*group_(left|right)\s*(\([^)]*\))?)?/.exec(expr.slice(from));
    if (modifier) from += modifier[0].length;
  }
  parts.push({ operator, part: expr.slice(from) });
  return parts.map(({ operator: op, part }) => ({ operator: op, part: part.trim() }));
}

/** One comparison in words: `x` is above 0.05; otherwise the expression returns a result. */
function comparison(expr: string): Segment[] {
  const tokens = topLevel(expr);
  const at = tokens.find((token) => token.text in COMPARISONS);
  // `> bool` keeps every series (as 0 or 1), so it is no condition on its own.
  const rest = at ? expr.slice(at.end).trim() : '';
  if (!at || /^bool\b/.test(rest)) return [{ code: expr }, { text: ' returns a result' }];
  const right = rest.replace(/^(on|ignoring)\s*\([^)]*\)\s*/, '').replace(/^group_(left|right)\s*(\([^)]*\))?\s*/, '');
  const left = expr.slice(0, at.start).trim();
  const words = COMPARISONS[at.text] ?? at.text;
  return /^-?[\d.]+(e[+-]?\d+)?$/i.test(right) ? [{ code: left }, { text: ` ${words} ${right}` }] : [{ code: left }, { text: ` ${words} ` }, { code: right }];
}

/** "when … holds for 5m" as segments, for the sentence the runbook opens its expression with. */
export function conditionInWords(expr: string, holdsFor: string | undefined): Segment[] {
  const segments: Segment[] = [{ text: 'It fires when ' }];
  splitAt(expr, ['or']).forEach(({ part }, i) => {
    if (i > 0) segments.push({ text: ', or when ' });
    splitAt(part, ['and', 'unless']).forEach(({ operator, part: clause }) => {
      if (operator === 'and') segments.push({ text: ', and ' });
      if (operator === 'unless') segments.push({ text: ', unless ' });
      segments.push(...comparison(clause));
    });
  });
  if (holdsFor === undefined) segments.push({ text: ', as soon as that holds at one evaluation (the alert has no ' }, { code: 'for' }, { text: ')' });
  else segments.push({ text: `, and that holds for ${holdsFor}` });
  return segments;
}
