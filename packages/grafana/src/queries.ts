/**
 * A panel's PromQL, checked like an alert's and then like grafana/dashboard-linter checks a target.
 *
 * Grafana fills in variables before Prometheus sees a query, so the checks see what Prometheus
 * would: `$__rate_interval`, `$__interval` and `$__range` become four scrape intervals (the shortest
 * `$__rate_interval` can be when the datasource's scrape interval is the environment's: the
 * provisioned datasource says so; on Kubernetes the cluster's Grafana datasource must), and
 * `$job`/`$instance` inside a regex matcher become `.+` (their "All" value).
 * The linter rules then read the query as written: which window a rate uses, which matchers a
 * selector carries.
 */
import { analyze, formatDuration, selectorsOf } from '@kiln/promql';
import type { SeriesIndex } from '@kiln/promql';
import { GrafanaCode } from './codes.js';

export interface QueryProblem {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export interface QueryContext {
  readonly index: SeriesIndex;
  readonly scrapeIntervalMs: number;
  /** The dashboard has a job (instance) variable: every service selector must match it. */
  readonly job: boolean;
  readonly instance: boolean;
}

/** Grafana's duration macros, `$x` or `${x}`. */
const DURATIONS = /\$(?:\{(__rate_interval|__interval|__range)\}|(__rate_interval|__interval|__range)(?!\w))/g;
/** Its number macros (`$__range_s`), which stand for a count of seconds or milliseconds. */
const NUMBERS = /\$(?:\{(__range_s|__range_ms|__interval_ms)\}|(__range_s|__range_ms|__interval_ms)(?!\w))/g;
/** Variables Kiln defines on a dashboard and Grafana's own macros; anything else is unknown. */
const KNOWN = new Set(['job', 'instance', '__rate_interval', '__interval', '__range', '__range_s', '__range_ms', '__interval_ms']);
/** Stand-ins for the macros when the linter rules read a window: no author writes these. */
const MARKERS: Readonly<Record<string, string>> = { __rate_interval: '97531864200ms', __interval: '97531864201ms', __range: '97531864202ms' };

/** Whether a query uses a dashboard variable (`$job`, `${job}`). */
export function usesVariable(expr: string, name: string): boolean {
  return new RegExp(`\\$(?:\\{${name}\\}|${name}(?!\\w))`).test(expr);
}

/** The query as Prometheus receives it when every variable is at its widest. */
export function substituteForAnalysis(expr: string, scrapeIntervalMs: number): string {
  const window = 4 * scrapeIntervalMs;
  return expr
    .replace(DURATIONS, formatDuration(window))
    .replace(NUMBERS, (_, braced?: string, bare?: string) => String((braced ?? bare) === '__range_s' ? window / 1000 : window))
    .replace(/(=~|!~)(\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g, (_, op: string, space: string, literal: string) => `${op}${space}${literal.replace(/\$(?:\{(?:job|instance)\}|(?:job|instance)(?!\w))/g, '.+')}`);
}

export function checkQuery(expr: string, context: QueryContext): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const unknown = [...new Set([...expr.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1] ?? ''))].filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) {
    problems.push({
      code: GrafanaCode.GRAFANA_UNKNOWN_VARIABLE,
      message: `the query uses ${unknown.map((name) => `$${name}`).join(', ')}, which no dashboard of Kiln defines`,
      hint: 'use $job or $instance (Kiln adds them to the dashboard when a query uses them) or Grafana\'s $__rate_interval, $__interval, $__range',
    });
    return problems;
  }
  const analysis = analyze(substituteForAnalysis(expr, context.scrapeIntervalMs), { index: context.index, scrapeIntervalMs: context.scrapeIntervalMs });
  problems.push(...analysis.problems);
  if (analysis.type === 'invalid') return problems;

  if (analysis.rawCounter) {
    const counters = analysis.metrics.filter((name) => context.index.get(name)?.kind === 'counter');
    const shown = counters[0] ?? 'the counter';
    problems.push({
      code: GrafanaCode.GRAFANA_COUNTER_NOT_RATED,
      message: `the query shows the raw value of counter '${counters.join("', '")}', which only grows and restarts from zero`,
      hint: `wrap it: rate(${shown}[$__rate_interval]) for a rate per second, or increase(${shown}[$__range]) for a total over the time range`,
    });
  }

  const written = expr.replace(DURATIONS, (_, braced?: string, bare?: string) => MARKERS[braced ?? bare ?? ''] ?? '').replace(NUMBERS, '1');
  const selectors = selectorsOf(written) ?? [];
  const macro = (text: string) => Object.entries(MARKERS).find(([, marker]) => marker === text)?.[0];
  const fixedWindows = selectors.filter((s) => (s.call === 'rate' || s.call === 'irate') && s.range && s.range.text !== MARKERS['__rate_interval']);
  if (fixedWindows.length > 0) {
    const shown = fixedWindows.map((s) => `${s.call}(${s.metric ?? '…'}[${macro(s.range?.text ?? '') ? `$${macro(s.range?.text ?? '')}` : s.range?.text}])`);
    problems.push({
      code: GrafanaCode.GRAFANA_RATE_INTERVAL,
      message: `${shown.join(', ')}: a fixed window shows nothing when zoomed out past it and misses scrapes when zoomed in`,
      hint: 'use [$__rate_interval]: Grafana keeps it at least four scrape intervals and widens it with the zoom',
    });
  }

  for (const [label, required] of [['job', context.job], ['instance', context.instance]] as const) {
    if (!required) continue;
    const missing = selectors.filter((s) => s.metric !== undefined && context.index.get(s.metric)?.source.startsWith('service ') && !s.matchers.some((m) => m.label === label && m.op === '=~' && (m.value === `$${label}` || m.value === `\${${label}}`)));
    if (missing.length === 0) continue;
    const metrics = [...new Set(missing.map((s) => s.metric))];
    problems.push({
      code: label === 'job' ? GrafanaCode.GRAFANA_JOB_MATCHER : GrafanaCode.GRAFANA_INSTANCE_MATCHER,
      message: `'${metrics.join("', '")}' ${metrics.length === 1 ? 'is' : 'are'} selected without ${label}=~"$${label}": the dashboard's ${label} picker would not filter this query`,
      hint: `add ${label}=~"$${label}" to the selector: ${metrics[0]}{${label}=~"$${label}"}`,
    });
  }
  return problems;
}
