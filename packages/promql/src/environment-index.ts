/**
 * The series an environment's Prometheus holds, for checking any expression of the environment
 * (alerts, recording rules, dashboard panels): the services' exports with their job and instance,
 * the platform catalogs, and the recording rules with the labels their expressions keep.
 */
import type { Environment, Metric, RecordingRule, System } from '@kiln/model';
import { monitoredServices, scrapeSeries } from '@kiln/model';
import { analyze } from './analyze.js';
import type { Analysis } from './analyze.js';
import { parseDuration } from './duration.js';
import { SeriesIndex } from './series.js';

/** Labels Kiln's scrape configuration gives every service target, on every target kind. */
export const TARGET_LABELS = ['job', 'instance'] as const;

export interface RecordAnalysis {
  readonly system: System;
  readonly rule: RecordingRule;
  readonly analysis: Analysis;
}

export interface EnvironmentIndex {
  readonly index: SeriesIndex;
  readonly scrapeIntervalMs: number;
  /** Each recording rule's analysis, in evaluation order. */
  readonly records: readonly RecordAnalysis[];
}

/**
 * Three emitters check PromQL against the same environment (rules, dashboards, runbooks): the index
 * and the recording rules' analyses are built once per resolved environment, which never changes;
 * callers only read them.
 */
const built = new WeakMap<Environment, EnvironmentIndex>();

export function environmentIndex(env: Environment): EnvironmentIndex {
  const cached = built.get(env);
  if (cached) return cached;
  const result = buildIndex(env);
  built.set(env, result);
  return result;
}

function buildIndex(env: Environment): EnvironmentIndex {
  const index = new SeriesIndex();
  const scrapeIntervalMs = parseDuration(env.monitoring.scrapeInterval) ?? 30_000;
  // Platform exporters (and their `up`) are scraped by jobs Kiln does not configure: any job name.
  const anyTarget = new Map<string, readonly string[] | undefined>(TARGET_LABELS.map((l) => [l, undefined]));
  for (const catalog of [scrapeSeries, ...env.monitoring.platform]) {
    for (const metric of catalog.metrics as readonly Metric[]) index.addMetric(metric, `catalog ${catalog.name}`, anyTarget);
  }
  // A service's own series carry its job and instance on every target. A PodMonitor adds namespace,
  // pod and container, but a system's alerts (and their tests) are the same in every environment:
  // they use the labels every target has, and platform catalogs for Kubernetes' own.
  for (const service of monitoredServices(env)) {
    const own = new Map<string, readonly string[] | undefined>([
      ['job', [service.name]],
      ['instance', undefined],
    ]);
    for (const metric of service.metrics?.exports ?? []) index.addMetric(metric, `service ${service.name}`, own);
  }
  // Recording rules in order: each one's series joins the index for the rules after it.
  const rules = env.systems.flatMap((system) => system.recordingRules.map((rule) => ({ system, rule })));
  for (const { rule } of rules) index.add({ name: rule.record, kind: 'gauge', family: rule.record, bucket: false, labels: undefined, source: `recording rule ${rule.record}` });
  const records = rules.map(({ system, rule }) => {
    const analysis = analyze(rule.expr, { index, scrapeIntervalMs });
    const labels = analysis.labels ? new Map<string, readonly string[] | undefined>([...analysis.labels, ...Object.keys(rule.labels)].map((l) => [l, undefined])) : undefined;
    index.replace({ name: rule.record, kind: analysis.rawCounter ? 'counter' : 'gauge', family: rule.record, bucket: analysis.buckets, labels, source: `recording rule ${rule.record}` });
    return { system, rule, analysis };
  });
  return { index, scrapeIntervalMs, records };
}
