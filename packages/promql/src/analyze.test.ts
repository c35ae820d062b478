import { describe, expect, it } from 'vitest';
import type { Metric } from '@kiln/model';
import { analyze } from './analyze.js';
import { PromqlCode } from './codes.js';
import { SeriesIndex } from './series.js';

const metric = (name: string, type: Metric['type'], labels: Metric['labels'] = []): Metric => ({ name, type, help: name, labels });

function index(): SeriesIndex {
  const idx = new SeriesIndex();
  const target = new Map<string, readonly string[] | undefined>([['job', undefined], ['instance', undefined]]);
  idx.addMetric(metric('rpc_requests_total', 'counter'), 'service rpcnet', target);
  idx.addMetric(metric('rpc_errors_total', 'counter', [{ name: 'type', values: ['timeout', 'internal'] }]), 'service rpcnet', target);
  idx.addMetric(metric('rpc_latency_seconds', 'histogram'), 'service rpcnet', target);
  idx.addMetric(metric('cluster_healthy_workers', 'gauge'), 'service rpcnet', target);
  idx.addMetric(metric('up', 'gauge'), 'prometheus', target);
  return idx;
}

const check = (expr: string, scrapeIntervalMs = 30_000) => analyze(expr, { index: index(), scrapeIntervalMs });
const codes = (expr: string) => check(expr).problems.map((p) => p.code);

describe('analyze', () => {
  it('accepts correct expressions and reports their surviving labels', () => {
    const result = check('histogram_quantile(0.99, sum by (le, job) (rate(rpc_latency_seconds_bucket[5m]))) > 0.1');
    expect(result.problems).toEqual([]);
    expect([...(result.labels ?? [])]).toEqual(['job']);
    expect(result.metrics).toEqual(['rpc_latency_seconds_bucket']);
    expect(check('sum(rate(rpc_errors_total{type="timeout"}[5m])) / sum(rate(rpc_requests_total[5m])) > 0.05').problems).toEqual([]);
    expect(check('cluster_healthy_workers < 3').problems).toEqual([]);
    expect(check('up{job=~"rpcnet-.*"} == 0').labels).toEqual(new Set(['job', 'instance']));
  });

  it('refuses what does not parse', () => {
    expect(codes('rate(rpc_requests_total[5m]')).toEqual([PromqlCode.PROMQL_SYNTAX]);
    expect(codes('sum(rate(x[5m])) >')).toEqual([PromqlCode.PROMQL_SYNTAX]);
  });

  it("refuses what Prometheus 2's parser refuses: argument types and counts, Prometheus 3 syntax", () => {
    expect(codes('avg_over_time(up)')).toEqual([PromqlCode.TYPE_ERROR]);
    expect(codes('abs(up[5m])')).toEqual([PromqlCode.TYPE_ERROR]);
    expect(codes('label_replace(up, "a", "b", "c")')).toEqual([PromqlCode.TYPE_ERROR]);
    expect(codes('topk(up, 3)')).toEqual([PromqlCode.TYPE_ERROR]);
    expect(codes('sum by (job) (up, up)')).toEqual([PromqlCode.TYPE_ERROR]);
    expect(codes('up + "a"')).toEqual([PromqlCode.TYPE_ERROR]);
    expect(codes('histogram_quantile(0.9, rpc_latency_seconds_bucket[5m])')).toContain(PromqlCode.TYPE_ERROR);
    expect(codes('round(up, 5)')).toEqual([]);
    expect(codes('label_join(up, "x", ",", "job", "instance")')).toEqual([]);
    expect(codes('topk(3, up)')).toEqual([]);
    expect(codes('day_of_week()')).toEqual([]);
    expect(codes('rate(rpc_requests_total[5m] anchored)')).toEqual([PromqlCode.PROMQL_UNSUPPORTED]);
    expect(codes('rate(rpc_requests_total[1m+1m])')).toEqual([PromqlCode.PROMQL_UNSUPPORTED]);
    expect(codes('sort_by_label(up, "job")')).toEqual([PromqlCode.PROMQL_UNSUPPORTED]);
  });

  it('refuses metrics, labels and values no catalog declares, with a suggestion', () => {
    const unknown = check('rate(rpc_request_total[5m])').problems[0];
    expect(unknown?.code).toBe(PromqlCode.UNKNOWN_METRIC);
    expect(unknown?.hint).toContain("'rpc_requests_total'");
    expect(codes('rate(rpc_errors_total{typ="timeout"}[5m])')).toEqual([PromqlCode.UNKNOWN_LABEL]);
    expect(codes('rate(rpc_errors_total{type="timout"}[5m])')).toEqual([PromqlCode.UNKNOWN_LABEL_VALUE]);
    expect(codes('rate(rpc_errors_total{type=~"time.*|internal"}[5m])')).toEqual([]);
    expect(codes('rate(rpc_errors_total{type=~"nothing.*"}[5m])')).toEqual([PromqlCode.UNKNOWN_LABEL_VALUE]);
    expect(codes('sum by (pod) (rate(rpc_errors_total[5m]))')).toEqual([PromqlCode.UNKNOWN_LABEL]);
  });

  it('keeps rate to counters and to windows of four scrapes', () => {
    expect(codes('rate(cluster_healthy_workers[5m])')).toEqual([PromqlCode.RATE_OVER_GAUGE]);
    expect(codes('rate(rpc_requests_total[1m])')).toEqual([PromqlCode.RANGE_TOO_SHORT]);
    expect(codes('rate(rpc_requests_total[2m])')).toEqual([]);
    expect(analyze('rate(rpc_requests_total[1m])', { index: index(), scrapeIntervalMs: 15_000 }).problems).toEqual([]);
    expect(codes('rate(rpc_requests_total)')).toEqual([PromqlCode.TYPE_ERROR]);
  });

  it('refuses raw counters in comparisons', () => {
    expect(codes('rpc_requests_total > 100')).toEqual([PromqlCode.COUNTER_COMPARED_RAW]);
    expect(codes('rpc_requests_total - rpc_requests_total offset 5m == 0')).toEqual([PromqlCode.COUNTER_COMPARED_RAW]);
    expect(codes('sum(rpc_requests_total) > 100')).toEqual([PromqlCode.COUNTER_COMPARED_RAW]);
    expect(codes('increase(rpc_requests_total[5m]) == 0')).toEqual([]);
  });

  it("understands histograms: the seed's histogram_quantile is refused, the bucketed form accepted", () => {
    const seed = check('histogram_quantile(0.99, rpc_latency_seconds) > 0.1').problems;
    // The seed's form names the family, which is no series at all.
    expect(seed.map((p) => p.code)).toEqual([PromqlCode.HISTOGRAM_NOT_BUCKETS]);
    expect(seed[0]?.hint).toContain('rate(rpc_latency_seconds_bucket[5m])');
    expect(codes('histogram_quantile(0.99, rate(rpc_latency_seconds_sum[5m]))')).toEqual([PromqlCode.HISTOGRAM_NOT_BUCKETS]);
    expect(codes('histogram_quantile(0.99, sum(rate(rpc_latency_seconds_bucket[5m])))')).toEqual([PromqlCode.HISTOGRAM_WITHOUT_LE]);
    expect(codes('histogram_quantile(0.99, sum by (job) (rate(rpc_latency_seconds_bucket[5m])))')).toEqual([PromqlCode.HISTOGRAM_WITHOUT_LE]);
    expect(codes('histogram_quantile(0.99, sum without (instance) (rate(rpc_latency_seconds_bucket[5m])))')).toEqual([]);
  });

  it('follows labels through vector matching', () => {
    expect(check('rate(rpc_errors_total[5m]) / on(job, instance) group_left rate(rpc_requests_total[5m])').labels).toEqual(new Set(['job', 'instance', 'type']));
    expect(check('sum by (job) (rate(rpc_errors_total[5m])) / on(job) sum by (job) (rate(rpc_requests_total[5m]))').labels).toEqual(new Set(['job']));
    expect(codes('sum by (job) (rate(rpc_errors_total[5m])) / on(instance) sum by (job) (rate(rpc_requests_total[5m]))')).toEqual([PromqlCode.UNKNOWN_LABEL, PromqlCode.UNKNOWN_LABEL]);
    expect(check('absent(up{job="rpcnet-worker"})').labels).toEqual(new Set(['job']));
    expect(codes('rate(rpc_errors_total[5m]) / ignoring(type) group_left rate(rpc_requests_total[5m])')).toEqual([]);
    expect(codes('rate(rpc_errors_total[5m]) / ignoring(kind) group_left rate(rpc_requests_total[5m])')).toEqual([PromqlCode.UNKNOWN_LABEL]);
  });
});
