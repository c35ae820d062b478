/**
 * The series selectors of an expression, each with its matchers as written and, for a range
 * selector, its window and the function it is handed to. What linters ask of a query's shape (every
 * selector carries `job=~"$job"`, a rate window is `$__rate_interval`) is answered from this, with
 * the same grammar `analyze` uses.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { unquote } from './analyze.js';
import { parseDuration } from './duration.js';

export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  /** The value unquoted, as written (`$job` stays `$job`). */
  readonly value: string;
}

export interface SelectorUse {
  /** The metric name, when the selector names one (`foo{…}` or `{__name__="foo"}`). */
  readonly metric: string | undefined;
  /** Label matchers, `__name__` excepted. */
  readonly matchers: readonly Matcher[];
  /** For `foo[5m]`: the window as written and in milliseconds (undefined when no duration). */
  readonly range?: { readonly text: string; readonly ms: number | undefined };
  /** The function a range selector is the direct argument of (`rate` in `rate(foo[5m])`). */
  readonly call?: string;
}

/** Every vector selector in reading order; undefined when the expression does not parse. */
export function selectorsOf(expr: string): SelectorUse[] | undefined {
  const tree = parser.parse(expr);
  let broken = false;
  const nodes: SyntaxNode[] = [];
  tree.topNode.cursor().iterate((n) => {
    if (n.type.isError) broken = true;
    if (n.name === 'VectorSelector') nodes.push(n.node);
  });
  if (broken) return undefined;
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);
  return nodes.map((node) => {
    const all = matchersOf(node, text);
    const identifier = node.getChild('Identifier');
    const name = all.find((m) => m.label === '__name__' && m.op === '=');
    const use: SelectorUse = { metric: identifier ? text(identifier) : name?.value, matchers: all.filter((m) => m.label !== '__name__') };
    const matrix = node.parent?.name === 'MatrixSelector' ? node.parent : null;
    if (!matrix) return use;
    const window = text(matrix.getChild('DurationExpr') ?? matrix).trim();
    const call = matrix.parent?.name === 'FunctionCallBody' ? matrix.parent.parent?.getChild('FunctionIdentifier') : null;
    return { ...use, range: { text: window, ms: parseDuration(window) }, ...(call ? { call: text(call) } : {}) };
  });
}

function matchersOf(node: SyntaxNode, text: (node: SyntaxNode) => string): Matcher[] {
  const list = node.getChild('LabelMatchers');
  const out: Matcher[] = [];
  for (let child = list?.firstChild ?? null; child; child = child.nextSibling) {
    const name = child.getChild('LabelName') ?? child.getChild('QuotedLabelName');
    const op = child.getChild('MatchOp');
    const value = child.getChild('StringLiteral');
    if (child.type.name === 'QuotedLabelMatcher' && !op) {
      if (value) out.push({ label: '__name__', op: '=', value: unquote(text(value)) });
      continue;
    }
    if (!name || !op || !value) continue;
    const label = name.type.name === 'QuotedLabelName' ? unquote(text(name)) : text(name);
    out.push({ label, op: text(op) as Matcher['op'], value: unquote(text(value)) });
  }
  return out;
}
