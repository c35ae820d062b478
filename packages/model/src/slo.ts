/**
 * An SLO compiled into rules, alerts, runbooks and tests, as the SRE workbook's multi-window,
 * multi-burn-rate alerts (chapter 5), beyond what sloth and pyrra generate:
 * - numerator and denominator recorded apart, so the period SLI is a ratio of sums, not an average
 *   of ratios (sloth#241);
 * - thresholds as exact decimals; a `for` per window; a tier label Alertmanager inhibits on;
 * - an alert when the SLI's series are absent, and a minimum of events before a burn may alert;
 * - promtool tests: a fast burn pages and opens no ticket, a slow burn only tickets, no traffic
 *   fires only the absent alert.
 * Windows are the workbook's for 30 days, scaled by period/30d for a 28-day period.
 */
import { add, errorBudget, multiply, subtract } from './decimal.js';
import type { Alert, AlertTest, Metric, RecordingRule, Slo } from './monitoring-model.js';

interface Tier {
  readonly tier: 'page' | 'ticket';
  /** Name part: the workbook's long window for 30 days. */
  readonly name: string;
  readonly longMinutes: number;
  readonly shortMinutes: number;
  /** Burn rate: multiple of the rate that spends exactly the budget over the period. */
  readonly factor: string;
  /** Share of the budget spent in the long window at that rate, in percent. */
  readonly budgetSpent: string;
  readonly for: string;
}

const TIERS: readonly Tier[] = [
  { tier: 'page', name: '1h', longMinutes: 60, shortMinutes: 5, factor: '14.4', budgetSpent: '2', for: '2m' },
  { tier: 'page', name: '6h', longMinutes: 360, shortMinutes: 30, factor: '6', budgetSpent: '5', for: '15m' },
  { tier: 'ticket', name: '1d', longMinutes: 1440, shortMinutes: 120, factor: '3', budgetSpent: '10', for: '1h' },
  { tier: 'ticket', name: '3d', longMinutes: 4320, shortMinutes: 360, factor: '1', budgetSpent: '10', for: '3h' },
];

/** A selector the SLI names: `metric{label="v", other=~"re"}`. */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly { readonly label: string; readonly op: '=' | '!=' | '=~' | '!~'; readonly value: string }[];
}

export function parseSelector(text: string): Selector | undefined {
  const match = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/s.exec(text);
  if (!match?.[1]) return undefined;
  const matchers: Selector['matchers'][number][] = [];
  let rest = (match[2] ?? '').trim();
  while (rest !== '') {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*|$)/.exec(rest);
    if (!m?.[1] || !m[2] || m[3] === undefined) return undefined;
    matchers.push({ label: m[1], op: m[2] as Selector['matchers'][number]['op'], value: JSON.parse(`"${m[3]}"`) as string });
    rest = rest.slice(m[0].length);
  }
  return { metric: match[1], matchers };
}

/** The catalog entry a series name belongs to (`x_bucket`, `x_count` … of a histogram). */
export function metricOfSeries(name: string, metrics: readonly Metric[]): Metric | undefined {
  return metrics.find(
    (m) => m.name === name || ((m.type === 'histogram' || m.type === 'summary') && [`${m.name}_sum`, `${m.name}_count`, ...(m.type === 'histogram' ? [`${m.name}_bucket`] : [])].includes(name)),
  );
}

/**
 * A concrete series the selector matches, in promtool notation, or the matcher whose value cannot
 * be chosen (a regex on a label without declared values). `unlike`: also differ from this selector.
 */
export function concreteSeries(selector: Selector, metrics: readonly Metric[], unlike?: Selector): { series: string } | { unresolved: string } {
  const declared = new Map((metricOfSeries(selector.metric, metrics)?.labels ?? []).map((l) => (typeof l === 'string' ? [l, undefined] : [l.name, l.values] as const)));
  const labels = new Map<string, string>();
  for (const matcher of selector.matchers) {
    if (matcher.op === '=') labels.set(matcher.label, matcher.value);
    else if (matcher.op === '=~') {
      const regex = anchored(matcher.value);
      const value = (declared.get(matcher.label) ?? []).find((v) => regex.test(v)) ?? (regex.test('') ? '' : undefined);
      if (value === undefined) return { unresolved: matcher.label };
      if (value !== '') labels.set(matcher.label, value);
    }
  }
  if (unlike && unlike.metric === selector.metric) {
    // Flip one label that `unlike` constrains to a declared value it does not accept.
    // The matcher that tells `unlike` apart: one the selector does not share (status=~"5.." of the errors).
    const flip = unlike.matchers.find((m) => (m.op === '=' || m.op === '=~') && !selector.matchers.some((s) => s.label === m.label && s.op === m.op && s.value === m.value));
    if (!flip) return { unresolved: unlike.matchers[0]?.label ?? selector.metric };
    const accepts = flip.op === '=' ? (v: string) => v === flip.value : (v: string) => anchored(flip.value).test(v);
    const value = (declared.get(flip.label) ?? []).find((v) => !accepts(v) && selectorAccepts(selector, flip.label, v));
    if (value === undefined) return { unresolved: flip.label };
    labels.set(flip.label, value);
  }
  const body = [...labels].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return { series: `${selector.metric}${body.length > 0 ? `{${body.join(',')}}` : ''}` };
}

function selectorAccepts(selector: Selector, label: string, value: string): boolean {
  return selector.matchers
    .filter((m) => m.label === label)
    .every((m) => (m.op === '=' ? value === m.value : m.op === '!=' ? value !== m.value : m.op === '=~' ? anchored(m.value).test(value) : !anchored(m.value).test(value)));
}

function anchored(regex: string): RegExp {
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    return /$^/;
  }
}

function window(minutes: number, period: Slo['period']): string {
  // 30-day windows scaled to 28 days are whole seconds: 5m → 4m40s, 3d → 2d19h12m.
  const seconds = period === '30d' ? minutes * 60 : (minutes * 60 * 28) / 30;
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  let rest = seconds;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export interface CompiledSlo {
  readonly records: RecordingRule[];
  readonly alerts: (Alert & { readonly slo: string })[];
}

/** The SLO's recording rules, alerts (with runbooks and tests), for the catalog `metrics`. */
export function compileSlo(slo: Slo, metrics: readonly Metric[]): CompiledSlo {
  const budget = errorBudget(slo.objective);
  const is = `{slo="${slo.name}"}`;
  // A series that is not there counts as zero: error counters often appear with their first error,
  // and during a total outage the good series stop. Only a missing total leaves the SLI blind.
  const errorsOver = (w: string) =>
    'errors' in slo.sli ? `sum(rate(${slo.sli.errors}[${w}])) or vector(0)` : `sum(rate(${slo.sli.total}[${w}])) - (sum(rate(${slo.sli.good}[${w}])) or vector(0))`;
  const why = `SLO ${slo.name}: its burn-rate alerts and the period SLI read it`;
  const windows = [...new Set(TIERS.flatMap((t) => [t.shortMinutes, t.longMinutes]))].sort((a, b) => a - b).map((m) => window(m, slo.period));
  const labels = { slo: slo.name };
  const records: RecordingRule[] = windows.flatMap((w) => [
    { record: `slo:sli_errors:rate${w}`, expr: errorsOver(w), labels, why },
    { record: `slo:sli_total:rate${w}`, expr: `sum(rate(${slo.sli.total}[${w}]))`, labels, why },
    { record: `slo:sli_error:ratio_rate${w}`, expr: `slo:sli_errors:rate${w}${is} / slo:sli_total:rate${w}${is}`, labels, why },
  ]);
  const shortest = windows[0] ?? '5m';
  records.push({
    record: `slo:sli_error:ratio_rate${slo.period}`,
    // The period SLI from the recorded numerator and denominator: a ratio of sums, exact over the period.
    expr: `sum_over_time(slo:sli_errors:rate${shortest}${is}[${slo.period}]) / sum_over_time(slo:sli_total:rate${shortest}${is}[${slo.period}])`,
    labels,
    why: `SLO ${slo.name}: the error ratio over the whole period, for dashboards and budget reports`,
  });

  const name = pascalCase(slo.name);
  const target = `${slo.objective}% of requests to ${slo.service} succeed over ${slo.period}`;
  const alerts: (Alert & { slo: string })[] = TIERS.map((tier) => {
    const long = window(tier.longMinutes, slo.period);
    const short = window(tier.shortMinutes, slo.period);
    const threshold = multiply(tier.factor, budget);
    const longSeconds = tier.longMinutes * 60 * (slo.period === '30d' ? 1 : 28 / 30);
    const alertName = `${name}BurnRate${tier.tier === 'page' ? 'Page' : 'Ticket'}${tier.name}`;
    return {
      name: alertName,
      slo: slo.name,
      expr:
        `slo:sli_error:ratio_rate${long}${is} > ${threshold}` +
        ` and slo:sli_error:ratio_rate${short}${is} > ${threshold}` +
        ` and slo:sli_total:rate${long}${is} * ${longSeconds} >= ${slo.minEvents}`,
      for: tier.for,
      severity: tier.tier === 'page' ? slo.severity.page : slo.severity.ticket,
      labels: { slo: slo.name, slo_tier: tier.tier, slo_window: tier.name },
      summary: `SLO ${slo.name}: error budget burning ${tier.factor}x too fast over ${long}`,
      description:
        `Errors are above ${tier.factor} times the rate the objective allows (${target}) over the last ${long} and ${short}: ` +
        `${tier.budgetSpent}% of the ${slo.period} error budget is spent in ${long}.`,
      runbook: {
        impact: `${slo.service} fails more requests than its SLO allows; at this rate the ${slo.period} error budget runs out ${tier.tier === 'page' ? 'within days' : 'before the period ends'}.`,
        diagnosis: [
          `Check the error ratio of ${slo.service} over ${short} and ${long}: slo:sli_error:ratio_rate${short}${is} and slo:sli_error:ratio_rate${long}${is}.`,
          `Find which instances and which errors: ${'errors' in slo.sli ? slo.sli.errors : slo.sli.good} broken down by instance.`,
          'Look for a deployment, configuration change or dependency failure that started with the burn.',
        ],
        mitigation: [
          'Roll back the change that started the errors, or fail over away from the broken instances.',
          'If a dependency is down, shed load or serve degraded responses until it recovers.',
        ],
        escalation: tier.tier === 'page' ? `Page the owner of ${slo.service} if errors do not drop within 30 minutes.` : `Open a ticket with the owner of ${slo.service}.`,
      },
      requires: [],
      tests: [],
    };
  });
  alerts.push({
    name: `${name}SliAbsent`,
    slo: slo.name,
    expr: `absent(${slo.sli.total})`,
    for: '10m',
    severity: slo.severity.ticket,
    labels: { slo: slo.name },
    summary: `SLO ${slo.name}: its SLI series are absent`,
    description: `No series match ${slo.sli.total}: the SLO cannot be measured and its burn-rate alerts cannot fire.`,
    runbook: {
      impact: `The SLO of ${slo.service} is blind: no burn-rate alert can fire while the series are missing.`,
      diagnosis: [`Check that Prometheus scrapes ${slo.service}: up{job="${slo.service}"}.`, `Check that the service still exports ${parseSelector(slo.sli.total)?.metric ?? slo.sli.total}.`],
      mitigation: ['Restore scraping or the metric; a renamed metric needs the SLO updated in the same change.'],
    },
    requires: [],
    tests: [],
  });
  return { records, alerts: withTests(alerts, slo, metrics, budget) };
}

/**
 * One burn scenario a tier must catch on its own: healthy traffic for `history` minutes, then errors
 * at `factor` times the budget rate for `minutes`, checked at the end. Minutes are for a 30-day
 * period (scaled for 28 days). Each history is long enough that every slower window is diluted below
 * its threshold by the data itself, not only held back by its `for`; where a slower tier's condition
 * must hold too (a 1d ticket burn also burns the 3d budget, see the workbook), its `for` is what
 * keeps it quiet at the checked time.
 */
const SCENARIOS: readonly { readonly name: string; readonly fires: string; readonly history: number; readonly factor: string; readonly minutes: number }[] = [
  // 1h: 28.8× > 14.4; 6h: 4.8× < 6; 1d: 1.2× < 3; 3d: 1728/1840 min of budget < 1×.
  { name: 'fast-burn', fires: 'page/1h', history: 1800, factor: '43.2', minutes: 40 },
  // 1h: 10× < 14.4; 6h: 10× > 6; 1d: 2.5× < 3; 3d: 3600/3960 < 1×.
  { name: 'sustained-burn', fires: 'page/6h', history: 3600, factor: '10', minutes: 360 },
  // 6h: 4× < 6; 1d: 3.33× > 3 (fires at 19h). A 1d burn above 3× is above 1× over 3d as well: the
  // 3d condition holds from 17h20m and its 3h `for` ends at 20h20m, after the check at 20h.
  { name: 'slow-burn', fires: 'ticket/1d', history: 3120, factor: '4', minutes: 1200 },
  // 2× the budget rate: above the 3d ticket (and its 6h short window), below every other tier.
  { name: 'chronic-burn', fires: 'ticket/3d', history: 0, factor: '2', minutes: 240 },
];

/** The generated cases: every scenario for every alert of the SLO, each firing exactly one. */
function withTests(alerts: (Alert & { slo: string })[], slo: Slo, metrics: readonly Metric[], budget: string): (Alert & { slo: string })[] {
  const inputs = sliSeries(slo, metrics);
  if (!inputs) return alerts;
  const scale = (minutes: number) => (slo.period === '30d' ? minutes : Math.round((minutes * 28) / 30));
  // Enough traffic that the shortest long window (1h, scaled) holds twice minEvents, and at least 1000 a minute.
  const perMinute = Math.max(1000, Math.ceil((2 * slo.minEvents) / scale(60) / 1000) * 1000);
  const scenarios = SCENARIOS.map((scenario) => {
    const history = scale(scenario.history);
    const minutes = scale(scenario.minutes);
    const errors = multiply(multiply(budget, scenario.factor), perMinute);
    return { ...scenario, at: `${history + minutes}m`, series: inputs.build((m) => (m < history ? '0' : errors), perMinute, history + minutes) };
  });
  return alerts.map((alert) => {
    const tier = alert.labels['slo_tier'] === undefined ? undefined : `${alert.labels['slo_tier']}/${alert.labels['slo_window']}`;
    const tests: AlertTest[] = [
      ...scenarios.map((scenario) => ({ name: scenario.name, interval: '1m', series: scenario.series, at: scenario.at, expect: scenario.fires === tier ? [{ labels: {} }] : [] })),
      { name: 'no-traffic', interval: '1m', series: {}, at: '15m', expect: tier === undefined ? [{ labels: absentLabels(slo) }] : [] },
    ];
    return { ...alert, tests };
  });
}

function absentLabels(slo: Slo): Record<string, string> {
  const selector = parseSelector(slo.sli.total);
  return Object.fromEntries((selector?.matchers ?? []).filter((m) => m.op === '=').map((m) => [m.label, m.value]));
}

/** Series for the SLI: bad events and the rest, each matching the right selectors. */
function sliSeries(slo: Slo, metrics: readonly Metric[]) {
  const total = parseSelector(slo.sli.total);
  const part = parseSelector('errors' in slo.sli ? slo.sli.errors : slo.sli.good);
  if (!total || !part) return undefined;
  const partSeries = concreteSeries(part, metrics);
  if ('unresolved' in partSeries) return undefined;
  // The rest of the traffic: a total series that is not a `part` series when both are one metric.
  const restSeries = concreteSeries(total, metrics, part.metric === total.metric ? part : undefined);
  if ('unresolved' in restSeries) return undefined;
  const sameMetric = part.metric === total.metric;
  const errorsForm = 'errors' in slo.sli;
  return {
    build(errorsPerMinute: (minute: number) => string, perMinute: number, minutes: number): Record<string, string> {
      const bad = Array.from({ length: minutes }, (_, m) => errorsPerMinute(m));
      const badValues = cumulative(bad);
      const good = cumulative(bad.map((b) => subtract(perMinute, b)));
      const all = cumulative(bad.map(() => String(perMinute)));
      if (errorsForm) {
        // errors/total: errors counted in `part`; total is `part` + rest (one metric) or its own counter.
        return sameMetric ? { [partSeries.series]: badValues, [restSeries.series]: good } : { [partSeries.series]: badValues, [restSeries.series]: all };
      }
      // good/total: good events in `part`.
      return sameMetric ? { [partSeries.series]: good, [restSeries.series]: badValues } : { [partSeries.series]: good, [restSeries.series]: all };
    },
  };
}

/** A counter from per-minute increments, in promtool's `a+bxn` notation: one sample a minute, from 0. */
function cumulative(increments: readonly string[]): string {
  const segments = ['0'];
  let value = '0';
  let i = 0;
  while (i < increments.length) {
    const step = increments[i] ?? '0';
    let k = 1;
    while (i + k < increments.length && increments[i + k] === step) k++;
    segments.push(`${add(value, step)}+${step}x${k - 1}`);
    value = add(value, multiply(step, k));
    i += k;
  }
  return segments.join(' ');
}
