/**
 * PromQL checked offline. The expression is parsed with Prometheus's own grammar
 * (`@prometheus-io/lezer-promql`), then walked once: each node gets a type and the labels every
 * series it returns is sure to carry, and each selector is checked against the metric catalogs.
 * What pint needs a live Prometheus for (series exist, labels exist, rate over counters) is
 * answered here from the declared catalogs.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { closest } from '@kiln/model';
import { PromqlCode } from './codes.js';
import { formatDuration, parseDuration } from './duration.js';
import { FUNCTIONS, PARAMETER_AGGREGATIONS } from './functions.js';
import type { ArgType } from './functions.js';
import type { SeriesIndex, SeriesInfo } from './series.js';

export interface Problem {
  readonly code: PromqlCode;
  readonly message: string;
  readonly hint?: string;
}

export interface AnalyzeOptions {
  readonly index: SeriesIndex;
  /** Rate windows shorter than four scrapes are refused. */
  readonly scrapeIntervalMs: number;
}

type Labels = ReadonlySet<string> | undefined;

interface VectorValue {
  readonly type: 'vector' | 'matrix';
  /** Labels every series is sure to carry; undefined when not known. */
  readonly labels: Labels;
  /** Series are a counter's raw values (not yet through rate or increase). */
  readonly rawCounter: boolean;
  /** Series are histogram buckets (a `_bucket` family, `le` kept). */
  readonly buckets: boolean;
  /** The selected series, for checks on a function's argument. */
  readonly series: readonly SeriesInfo[];
  /** For a matrix straight from a selector: its range. */
  readonly rangeMs?: number;
}

type Value = { readonly type: 'scalar' | 'string' } | VectorValue;

export interface Analysis {
  readonly problems: readonly Problem[];
  /** Labels every result series is sure to carry (undefined when not known, or for a scalar). */
  readonly labels: Labels;
  readonly type: 'scalar' | 'string' | 'vector' | 'matrix' | 'invalid';
  /** Metric names the expression selects. */
  readonly metrics: readonly string[];
  /** Whether the result holds histogram buckets with `le`. */
  readonly buckets: boolean;
  /** Whether the result is raw counter values. */
  readonly rawCounter: boolean;
}

const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase']);
const SCALAR_FUNCTIONS = new Set(['scalar', 'time', 'pi']);
/** Aggregations whose result is still the input's kind of value (a sum of counters is a counter). */
const KEEPS_KIND = new Set(['sum', 'min', 'max', 'avg', 'topk', 'bottomk', 'limitk', 'limit_ratio', 'quantile']);
const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPERATORS = new Set(['and', 'or', 'unless']);
const EXPRESSIONS = new Set([
  'BinaryExpr',
  'AggregateExpr',
  'FunctionCall',
  'MatrixSelector',
  'VectorSelector',
  'ParenExpr',
  'SubqueryExpr',
  'UnaryExpr',
  'OffsetExpr',
  'NumberDurationLiteral',
  'StringLiteral',
  'StepInvariantExpr',
  'AnchoredExpr',
  'SmoothedExpr',
]);

export function analyze(expr: string, options: AnalyzeOptions): Analysis {
  const tree = parser.parse(expr);
  const errorAt = firstError(tree.topNode);
  if (errorAt !== undefined) {
    const near = expr.slice(errorAt, errorAt + 20);
    return {
      problems: [
        {
          code: PromqlCode.PROMQL_SYNTAX,
          message: `PromQL does not parse at character ${errorAt + 1}${near ? ` (near '${near}')` : ' (the expression ends too early)'}`,
          hint: 'check brackets, quotes and operators; `promtool check rules` shows the same error',
        },
      ],
      labels: undefined,
      type: 'invalid',
      metrics: [],
      buckets: false,
      rawCounter: false,
    };
  }
  const newer = prometheus3Syntax(tree.topNode, expr);
  if (newer) {
    return { problems: [{ code: PromqlCode.PROMQL_UNSUPPORTED, message: `${newer} is Prometheus 3 syntax; promtool and the pinned Prometheus run version 2`, hint: 'write it the Prometheus 2 way' }], labels: undefined, type: 'invalid', metrics: [], buckets: false, rawCounter: false };
  }
  const walker = new Walker(expr, options);
  const root = tree.topNode.firstChild;
  const value = root ? walker.value(root) : { type: 'scalar' as const };
  const vector = isVector(value) ? value : undefined;
  return {
    problems: walker.problems,
    labels: vector?.labels,
    type: value.type,
    metrics: [...walker.metrics].sort(),
    buckets: vector?.buckets ?? false,
    rawCounter: vector?.rawCounter ?? false,
  };
}

function firstError(node: SyntaxNode): number | undefined {
  let at: number | undefined;
  node.cursor().iterate((n) => {
    if (at !== undefined) return false;
    if (n.type.isError) at = n.from;
    return undefined;
  });
  return at;
}

/** The first construct of the grammar that Prometheus 2 does not parse, described; undefined when none. */
function prometheus3Syntax(node: SyntaxNode, source: string): string | undefined {
  let found: string | undefined;
  node.cursor().iterate((n) => {
    if (found) return false;
    const text = source.slice(n.from, n.to);
    if (n.name === 'AnchoredExpr' || n.name === 'SmoothedExpr') found = `'${n.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'}'`;
    else if (n.name === 'FillModifier' || n.name === 'FillClause') found = `'fill'`;
    else if (n.name === 'QuotedLabelName' || (n.name === 'QuotedLabelMatcher' && !n.node.getChild('MatchOp'))) found = `a quoted name (${text})`;
    else if (n.name === 'DurationExpr' && parseDuration(text.trim()) === undefined) found = `the duration expression [${text}]`;
    return undefined;
  });
  return found;
}

function isVector(value: Value): value is VectorValue {
  return value.type === 'vector' || value.type === 'matrix';
}

class Walker {
  readonly problems: Problem[] = [];
  readonly metrics = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly options: AnalyzeOptions,
  ) {}

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  private report(code: PromqlCode, message: string, hint?: string): void {
    this.problems.push(hint === undefined ? { code, message } : { code, message, hint });
  }

  value(node: SyntaxNode): Value {
    switch (node.type.name) {
      case 'NumberDurationLiteral':
        return { type: 'scalar' };
      case 'StringLiteral':
        return { type: 'string' };
      case 'ParenExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return this.value(this.expressions(node)[0] ?? node);
      case 'UnaryExpr': {
        const inner = this.value(this.expressions(node)[0] ?? node);
        return inner;
      }
      case 'VectorSelector':
        return this.selector(node);
      case 'MatrixSelector': {
        const vector = node.getChild('VectorSelector');
        const inner = vector ? this.selector(vector) : undefined;
        const range = parseDuration(this.text(node.getChild('DurationExpr') ?? node).trim());
        return { ...(inner ?? { labels: undefined, rawCounter: false, buckets: false, series: [] }), type: 'matrix', ...(range === undefined ? {} : { rangeMs: range }) };
      }
      case 'SubqueryExpr': {
        const inner = this.value(this.expressions(node)[0] ?? node);
        return isVector(inner) ? { ...inner, type: 'matrix', rawCounter: inner.rawCounter } : inner;
      }
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      default:
        return { type: 'scalar' };
    }
  }

  /** Expression children of a node (skipping keywords, modifiers and punctuation). */
  private expressions(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (EXPRESSIONS.has(child.type.name)) out.push(child);
    }
    return out;
  }

  private selector(node: SyntaxNode): VectorValue {
    const matchers = this.matchers(node);
    const identifier = node.getChild('Identifier');
    const nameMatcher = matchers.find((m) => m.label === '__name__');
    let series: SeriesInfo[] = [];
    let shown: string;
    if (identifier) {
      shown = this.text(identifier);
      const info = this.options.index.get(shown);
      if (info) series = [info];
    } else if (nameMatcher) {
      shown = nameMatcher.value;
      const test = matcherTest(nameMatcher.op, nameMatcher.value);
      series = this.options.index.names().filter(test).map((name) => this.options.index.get(name) as SeriesInfo);
    } else {
      // `{job="api"}` selects every metric of the job: valid, and nothing to check against.
      return { type: 'vector', labels: undefined, rawCounter: false, buckets: false, series: [] };
    }
    if (series.length === 0 && this.options.index.has(`${shown}_bucket`)) {
      this.report(
        PromqlCode.HISTOGRAM_NOT_BUCKETS,
        `'${shown}' is a histogram: it is stored as ${shown}_bucket, ${shown}_sum and ${shown}_count, and no series is called '${shown}'`,
        `for a quantile use histogram_quantile(0.99, sum by (le) (rate(${shown}_bucket[5m])))`,
      );
      return { type: 'vector', labels: undefined, rawCounter: false, buckets: false, series: [] };
    }
    if (series.length === 0) {
      const near = closest(shown, this.options.index.names());
      this.report(
        PromqlCode.UNKNOWN_METRIC,
        `metric '${shown}' is in no catalog of this environment: no service exports it and no recording rule records it`,
        near ? `did you mean '${near}'? Otherwise declare it under the exporting service's metrics.exports` : "declare it under the exporting service's metrics.exports, or add the platform catalog that has it",
      );
      return { type: 'vector', labels: undefined, rawCounter: false, buckets: false, series: [] };
    }
    for (const name of series.map((s) => s.name)) this.metrics.add(name);
    const known = series.every((s) => s.labels !== undefined) ? series.map((s) => s.labels as ReadonlyMap<string, readonly string[] | undefined>) : undefined;
    if (known) {
      for (const matcher of matchers) {
        if (matcher.label === '__name__') continue;
        const having = known.filter((labels) => labels.has(matcher.label));
        if (having.length === 0) {
          const all = [...new Set(known.flatMap((labels) => [...labels.keys()]))].sort();
          const near = closest(matcher.label, all);
          this.report(
            PromqlCode.UNKNOWN_LABEL,
            `'${shown}' has no label '${matcher.label}'`,
            `${near ? `did you mean '${near}'? ` : ''}its labels: ${all.join(', ') || 'none'}`,
          );
          continue;
        }
        if (matcher.op === '=' || matcher.op === '=~') {
          const values = having.map((labels) => labels.get(matcher.label));
          if (values.some((v) => v === undefined)) continue;
          const declared = [...new Set(values.flat() as string[])].sort();
          const test = matcherTest(matcher.op, matcher.value);
          if (!declared.some(test)) {
            const near = matcher.op === '=' ? closest(matcher.value, declared) : undefined;
            this.report(
              PromqlCode.UNKNOWN_LABEL_VALUE,
              `label '${matcher.label}' of '${shown}' never has a value ${matcher.op === '=' ? `'${matcher.value}'` : `matching /${matcher.value}/`}`,
              `${near ? `did you mean '${near}'? ` : ''}declared values: ${declared.join(', ')}`,
            );
          }
        }
      }
    }
    const labels = known ? intersect(known.map((labels) => new Set(labels.keys()))) : undefined;
    return {
      type: 'vector',
      labels,
      rawCounter: series.every((s) => s.kind === 'counter'),
      buckets: series.some((s) => s.bucket),
      series,
    };
  }

  private matchers(node: SyntaxNode): { label: string; op: string; value: string }[] {
    const list = node.getChild('LabelMatchers');
    if (!list) return [];
    const out: { label: string; op: string; value: string }[] = [];
    for (let child = list.firstChild; child; child = child.nextSibling) {
      const name = child.getChild('LabelName') ?? child.getChild('QuotedLabelName');
      const op = child.getChild('MatchOp');
      const value = child.getChild('StringLiteral');
      if (child.type.name === 'QuotedLabelMatcher' && !op) {
        // `{"metric.name"}`: a quoted metric name on its own.
        if (value) out.push({ label: '__name__', op: '=', value: unquote(this.text(value)) });
        continue;
      }
      if (!name || !op || !value) continue;
      const label = name.type.name === 'QuotedLabelName' ? unquote(this.text(name)) : this.text(name);
      out.push({ label, op: this.text(op), value: unquote(this.text(value)) });
    }
    return out;
  }

  private functionCall(node: SyntaxNode): Value {
    const identifier = node.getChild('FunctionIdentifier');
    const name = identifier ? this.text(identifier) : '';
    const body = node.getChild('FunctionCallBody');
    const argNodes = body ? this.expressions(body) : [];
    const args = argNodes.map((arg) => this.value(arg));
    if (!this.checkSignature(name, args)) {
      const first = args.find(isVector);
      return { type: 'vector', labels: first?.labels, rawCounter: false, buckets: false, series: [] };
    }
    const vectors = args.filter(isVector);
    const first = vectors[0];

    if (COUNTER_FUNCTIONS.has(name)) {
      const arg = args[0];
      if (arg?.type === 'matrix') {
        const gauges = arg.series.filter((s) => s.kind !== 'counter');
        if (gauges.length > 0) {
          this.report(
            PromqlCode.RATE_OVER_GAUGE,
            `${name}() over '${gauges.map((s) => s.name).join("', '")}', which ${gauges.length === 1 ? 'is a gauge' : 'are gauges'}: ${name} assumes a counter and reads every drop as a reset`,
            'use deriv() or delta() for a gauge, or the _total counter if the exporter has one',
          );
        }
        if (arg.rangeMs !== undefined && arg.rangeMs < 4 * this.options.scrapeIntervalMs) {
          this.report(
            PromqlCode.RANGE_TOO_SHORT,
            `${name}() over [${formatDuration(arg.rangeMs)}] spans fewer than four scrapes (scrape interval ${formatDuration(this.options.scrapeIntervalMs)}): one missed scrape empties the window`,
            `use at least [${formatDuration(4 * this.options.scrapeIntervalMs)}]`,
          );
        }
      }
      return { type: 'vector', labels: first?.labels, rawCounter: false, buckets: first?.buckets ?? false, series: first?.series ?? [] };
    }
    if (name === 'histogram_quantile') {
      const arg = args[1];
      if (arg && isVector(arg)) this.checkBuckets(arg, argNodes[1]);
      const labels = arg && isVector(arg) && arg.labels ? without(arg.labels, ['le']) : undefined;
      return { type: 'vector', labels, rawCounter: false, buckets: false, series: [] };
    }
    if (SCALAR_FUNCTIONS.has(name)) return { type: 'scalar' };
    if (name === 'vector') return { type: 'vector', labels: new Set(), rawCounter: false, buckets: false, series: [] };
    if (name === 'absent' || name === 'absent_over_time') {
      // absent() returns one series labelled with the argument's equality matchers.
      const selector = argNodes[0] ? (argNodes[0].type.name === 'MatrixSelector' ? argNodes[0].getChild('VectorSelector') : argNodes[0]) : null;
      const equal = selector?.type.name === 'VectorSelector' ? this.matchers(selector).filter((m) => m.op === '=' && m.label !== '__name__') : [];
      return { type: 'vector', labels: new Set(equal.map((m) => m.label)), rawCounter: false, buckets: false, series: [] };
    }
    if (name === 'label_replace' || name === 'label_join') {
      const strings = argNodes.slice(1).map((arg) => (arg.type.name === 'StringLiteral' ? unquote(this.text(arg)) : undefined));
      const destination = strings[0];
      const sources = name === 'label_replace' ? [strings[2]] : strings.slice(2);
      if (first?.labels) {
        for (const source of sources) {
          if (source !== undefined && source !== '' && !first.labels.has(source)) {
            this.report(PromqlCode.UNKNOWN_LABEL, `${name}() reads label '${source}', which the series do not carry`, `labels here: ${[...first.labels].sort().join(', ') || 'none'}`);
          }
        }
      }
      const labels = first?.labels && destination ? new Set([...first.labels, destination]) : first?.labels;
      return { type: 'vector', labels, rawCounter: first?.rawCounter ?? false, buckets: first?.buckets ?? false, series: first?.series ?? [] };
    }
    // Any other function keeps its argument's labels and ends its counter-ness.
    if (first) return { type: 'vector', labels: first.labels, rawCounter: false, buckets: first.buckets, series: first.series };
    return { type: 'vector', labels: new Set(), rawCounter: false, buckets: false, series: [] };
  }

  /** Argument count and types, as Prometheus 2's parser checks them. */
  private checkSignature(name: string, args: readonly Value[]): boolean {
    const signature = FUNCTIONS.get(name);
    if (!signature) {
      this.report(PromqlCode.PROMQL_UNSUPPORTED, `${name}() is not a function of Prometheus 2, which promtool and the pinned Prometheus run`, 'use a Prometheus 2 function; newer ones arrive when Kiln moves to Prometheus 3');
      return false;
    }
    const max = signature.variadic ? Infinity : signature.args.length;
    if (args.length < signature.required || args.length > max) {
      const count = signature.required === signature.args.length ? `${signature.required}` : `${signature.required} to ${signature.variadic ? 'any number of' : signature.args.length}`;
      this.report(PromqlCode.TYPE_ERROR, `${name}() takes ${count} argument${signature.args.length === 1 ? '' : 's'}, not ${args.length}`, `write ${name}(${signature.args.map(describe).join(', ')})`);
      return false;
    }
    let ok = true;
    args.forEach((arg, i) => {
      const expected = signature.args[Math.min(i, signature.args.length - 1)] ?? 'v';
      if (!accepts(expected, arg)) {
        this.report(PromqlCode.TYPE_ERROR, `argument ${i + 1} of ${name}() must be ${describe(expected)}, not ${describe(typeOf(arg))}`, expected === 'm' ? 'add a range in brackets after the selector, e.g. [5m]' : `write ${name}(${signature.args.map(describe).join(', ')})`);
        ok = false;
      }
    });
    return ok;
  }

  private checkBuckets(arg: VectorValue, node: SyntaxNode | undefined): void {
    const shown = node ? this.text(node) : 'the argument';
    if (arg.series.length > 0 && !arg.buckets && !arg.series.some((s) => s.labels?.has('le'))) {
      const family = arg.series[0]?.name ?? '';
      const bucket = this.options.index.has(`${family}_bucket`) ? `${family}_bucket` : undefined;
      this.report(
        PromqlCode.HISTOGRAM_NOT_BUCKETS,
        `histogram_quantile() over '${family}', which is not a histogram's _bucket series`,
        bucket ? `use histogram_quantile(0.99, sum by (le) (rate(${bucket}[5m])))` : 'histogram_quantile needs the _bucket series of a histogram, aggregated by le',
      );
      return;
    }
    if (arg.labels && !arg.labels.has('le')) {
      this.report(
        PromqlCode.HISTOGRAM_WITHOUT_LE,
        `histogram_quantile() over '${shown}', whose series lost the 'le' label`,
        "keep 'le' in the aggregation: sum by (le) (…), or add it to by (…)",
      );
    }
  }

  private aggregate(node: SyntaxNode): Value {
    const op = this.text(node.getChild('AggregateOp') ?? node);
    const modifier = node.getChild('AggregateModifier');
    const body = node.getChild('FunctionCallBody');
    const argNodes = body ? this.expressions(body) : [];
    const args = argNodes.map((arg) => this.value(arg));
    const parameter = PARAMETER_AGGREGATIONS.get(op);
    const expected = parameter ? 2 : 1;
    if (args.length !== expected || (parameter && args[0] && !accepts(parameter, args[0]))) {
      this.report(PromqlCode.TYPE_ERROR, `${op}() takes ${parameter ? `a ${describe(parameter)} and an instant vector` : 'one instant vector'}`, parameter ? `write ${op}(${parameter === 's' ? '5' : '"label"'}, …)` : `write ${op}(…) with one expression inside`);
    }
    const input = args.filter(isVector).at(-1);
    if (!input || input.type !== 'vector') {
      if (input?.type === 'matrix') this.report(PromqlCode.TYPE_ERROR, `${op}() aggregates instant vectors, not a range`, `wrap the range in a function such as rate() or ${op}_over_time()`);
      return { type: 'vector', labels: undefined, rawCounter: false, buckets: false, series: [] };
    }
    const grouping = modifier ? this.groupingLabels(modifier) : [];
    const by = modifier?.getChild('By') !== null && modifier !== null;
    const withoutMode = modifier?.getChild('Without') !== null && modifier !== null;
    if (input.labels) {
      for (const label of grouping) {
        if (!input.labels.has(label)) {
          const near = closest(label, [...input.labels]);
          this.report(
            PromqlCode.UNKNOWN_LABEL,
            `${op} ${by ? 'by' : 'without'} (${label}): the series do not carry '${label}'`,
            `${near ? `did you mean '${near}'? ` : ''}labels here: ${[...input.labels].sort().join(', ') || 'none'}`,
          );
        }
      }
    }
    let labels: Labels;
    if (op === 'topk' || op === 'bottomk' || op === 'limitk' || op === 'limit_ratio') labels = input.labels;
    else if (by) labels = new Set(grouping.filter((label) => !input.labels || input.labels.has(label)));
    else if (withoutMode) labels = input.labels ? without(input.labels, grouping) : undefined;
    else labels = new Set();
    if (op === 'count_values' && labels) {
      const name = argNodes[0]?.type.name === 'StringLiteral' ? unquote(this.text(argNodes[0])) : undefined;
      if (name) labels = new Set([...labels, name]);
    }
    const keeps = KEEPS_KIND.has(op);
    return {
      type: 'vector',
      labels,
      rawCounter: keeps && input.rawCounter,
      buckets: keeps && input.buckets && (labels?.has('le') ?? false),
      series: input.series,
    };
  }

  private groupingLabels(node: SyntaxNode): string[] {
    const out: string[] = [];
    for (const group of node.getChildren('GroupingLabels')) {
      for (let child = group.firstChild; child; child = child.nextSibling) {
        if (child.type.name === 'LabelName') out.push(this.text(child));
        if (child.type.name === 'QuotedLabelName') out.push(unquote(this.text(child)));
      }
    }
    return out;
  }

  private binary(node: SyntaxNode): Value {
    const [leftNode, rightNode] = this.expressions(node);
    const left = leftNode ? this.value(leftNode) : ({ type: 'scalar' } as const);
    const right = rightNode ? this.value(rightNode) : ({ type: 'scalar' } as const);
    const operator = operatorOf(node, this.source);
    const matching = node.getChild('MatchingModifierClause');

    for (const side of [left, right]) {
      if (side.type === 'string') this.report(PromqlCode.TYPE_ERROR, `'${operator}' cannot take a string`, 'compare or compute with numbers; strings only go into functions such as label_replace()');
      if (side.type === 'matrix') this.report(PromqlCode.TYPE_ERROR, `'${operator}' needs instant vectors or scalars, not a range`, 'wrap the range in a function such as rate()');
    }
    if (COMPARISONS.has(operator)) {
      const raw = [left, right].filter((side): side is VectorValue => isVector(side) && side.rawCounter);
      if (raw.length > 0) {
        const names = [...new Set(raw.flatMap((side) => side.series.map((s) => s.name)))];
        this.report(
          PromqlCode.COUNTER_COMPARED_RAW,
          `'${operator}' compares the raw value of counter '${names.join("', '")}', which only grows and restarts from zero`,
          'compare rate(…[5m]) or increase(…[1h]) instead; for "no new samples" use changes() or increase() == 0',
        );
      }
    }
    if (!isVector(left) && !isVector(right)) return { type: 'scalar' };
    if (!isVector(left) || !isVector(right)) {
      const vector = (isVector(left) ? left : right) as VectorValue;
      return { ...vector, type: 'vector', rawCounter: vector.rawCounter && !COMPARISONS.has(operator) };
    }

    const on = matching ? matching.getChild('On') !== null : false;
    const groupNodes = matching ? matching.getChildren('GroupingLabels') : [];
    const matchLabels = groupNodes[0] ? this.labelsOf(groupNodes[0]) : [];
    const include = groupNodes[1] ? this.labelsOf(groupNodes[1]) : [];
    const groupLeft = matching?.getChild('GroupLeft') !== null && matching !== null;
    const groupRight = matching?.getChild('GroupRight') !== null && matching !== null;

    if (matching && on) {
      for (const [side, name] of [
        [left, 'left'],
        [right, 'right'],
      ] as const) {
        for (const label of matchLabels) {
          if (side.labels && !side.labels.has(label)) {
            this.report(PromqlCode.UNKNOWN_LABEL, `on(${matchLabels.join(', ')}): the ${name}-hand series do not carry '${label}'`, `labels there: ${[...side.labels].sort().join(', ') || 'none'}`);
          }
        }
      }
    }
    if (matching && !on && left.labels && right.labels) {
      for (const label of matchLabels) {
        if (!left.labels.has(label) && !right.labels.has(label)) {
          this.report(PromqlCode.UNKNOWN_LABEL, `ignoring(${matchLabels.join(', ')}): neither side carries '${label}'`, `labels here: ${[...new Set([...left.labels, ...right.labels])].sort().join(', ') || 'none'}`);
        }
      }
    }
    if (groupLeft || groupRight) {
      const other = groupLeft ? right : left;
      for (const label of include) {
        if (other.labels && !other.labels.has(label)) {
          this.report(PromqlCode.UNKNOWN_LABEL, `group_${groupLeft ? 'left' : 'right'}(${label}): the ${groupLeft ? 'right' : 'left'}-hand series do not carry '${label}'`, `labels there: ${[...other.labels].sort().join(', ') || 'none'}`);
        }
      }
    }

    let labels: Labels;
    if (SET_OPERATORS.has(operator)) {
      labels = operator === 'or' ? (left.labels && right.labels ? intersect([left.labels, right.labels]) : undefined) : left.labels;
    } else if (groupLeft || groupRight) {
      const many = groupLeft ? left : right;
      labels = many.labels ? new Set([...many.labels, ...include]) : undefined;
    } else if (on) {
      labels = new Set(matchLabels);
    } else {
      labels = left.labels ? without(left.labels, matchLabels) : undefined;
    }
    const arithmetic = !COMPARISONS.has(operator) && !SET_OPERATORS.has(operator);
    return {
      type: 'vector',
      labels,
      rawCounter: (arithmetic && (left.rawCounter || right.rawCounter)) || (operator !== 'or' && SET_OPERATORS.has(operator) && left.rawCounter),
      buckets: left.buckets && (labels?.has('le') ?? false),
      series: [...left.series, ...right.series],
    };
  }

  private labelsOf(node: SyntaxNode): string[] {
    const out: string[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.type.name === 'LabelName') out.push(this.text(child));
    }
    return out;
  }
}

function operatorOf(node: SyntaxNode, source: string): string {
  const names: Record<string, string> = { Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Eql: '==', Neq: '!=', Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=', And: 'and', Or: 'or', Unless: 'unless', Atan2: 'atan2' };
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const op = names[child.type.name];
    if (op) return op;
  }
  return source.slice(node.from, node.to);
}

/** The test a matcher applies to a value. Prometheus anchors regexes (RE2; JS agrees for the syntax catalogs use). */
function matcherTest(op: string, value: string): (candidate: string) => boolean {
  if (op === '=') return (candidate) => candidate === value;
  if (op === '!=') return (candidate) => candidate !== value;
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${value})$`);
  } catch {
    return () => true;
  }
  return op === '=~' ? (candidate) => regex.test(candidate) : (candidate) => !regex.test(candidate);
}

/** A PromQL string literal's value (`…` raw; "…" and '…' with Go escapes). */
export function unquote(text: string): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    return JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : text) as string;
  } catch {
    return text.slice(1, -1);
  }
}

function intersect(sets: readonly ReadonlySet<string>[]): Set<string> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((label) => rest.every((set) => set.has(label))));
}

function without(labels: ReadonlySet<string>, remove: readonly string[]): Set<string> {
  return new Set([...labels].filter((label) => !remove.includes(label)));
}

function typeOf(value: Value): ArgType {
  return value.type === 'vector' ? 'v' : value.type === 'matrix' ? 'm' : value.type === 'scalar' ? 's' : 'str';
}

function accepts(expected: ArgType, value: Value): boolean {
  return typeOf(value) === expected;
}

function describe(type: ArgType): string {
  return { v: 'an instant vector', m: 'a range vector', s: 'a scalar', str: 'a string' }[type];
}
