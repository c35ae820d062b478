import { cadvisor, kubeStateMetrics } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { prometheusEmitter } from './emitter.js';
import { api, environment, errorsAlert } from './fixtures.js';

const paths = (env: Parameters<typeof prometheusEmitter.emit>[0]) => prometheusEmitter.emit(env).outputs.map((o) => o.path).sort();
const codes = (env: Parameters<typeof prometheusEmitter.emit>[0]) => prometheusEmitter.emit(env).diagnostics.map((d) => d.code);

describe('prometheus emitter', () => {
  it('writes rules, tests and a scrape configuration for a compose target', () => {
    expect(paths(environment({ alerts: [errorsAlert()] }))).toEqual([
      'shop-prod/prometheus/prometheus.yml',
      'shop-prod/prometheus/rules/shop.yml',
      'shop-prod/prometheus/tests/shop.test.yml',
    ]);
  });

  it('writes PrometheusRule and PodMonitor objects for a Kubernetes target, and routing when declared', () => {
    const env = environment(
      { alerts: [errorsAlert()] },
      {
        targets: { kubernetes: { cluster: 'prod', version: '1.31', secretStore: { name: 'vault' } } },
        monitoring: { alerting: { receivers: [{ name: 'oncall' }], routes: { critical: 'oncall', warning: 'oncall', info: 'oncall' } } },
      },
    );
    const result = prometheusEmitter.emit(env);
    expect(result.diagnostics).toEqual([]);
    expect(result.outputs.map((o) => o.path).sort()).toEqual([
      'shop-prod/kubernetes/alertmanagerconfig-shop-prod.yaml',
      'shop-prod/kubernetes/podmonitor-api.yaml',
      'shop-prod/kubernetes/prometheusrule-shop.yaml',
      'shop-prod/prometheus/rules/shop.yml',
      'shop-prod/prometheus/tests/shop.test.yml',
    ]);
    const rule = result.outputs.find((o) => o.path.endsWith('prometheusrule-shop.yaml'));
    const file = result.outputs.find((o) => o.path.endsWith('rules/shop.yml'));
    // The PrometheusRule carries exactly the groups of the rule file promtool checks.
    expect(rule?.format === 'yaml' && (rule.data as { spec: unknown }).spec).toEqual(file?.format === 'yaml' && file.data);
  });

  it('writes nothing for an environment without metrics or rules', () => {
    expect(paths(environment({ services: [api({ metrics: undefined })] }))).toEqual([]);
  });

  it('puts expected labels and expanded annotations into the test, with the rule labels added', () => {
    const test = prometheusEmitter.emit(environment({ alerts: [errorsAlert()] })).outputs.find((o) => o.path.endsWith('.test.yml'));
    const data = test?.format === 'yaml' ? (test.data as { tests: { alert_rule_test: unknown[] }[] }) : undefined;
    expect(data?.tests[0]?.alert_rule_test[0]).toEqual({
      eval_time: '8m',
      alertname: 'ApiErrors',
      exp_alerts: [{ exp_labels: { job: 'api', severity: 'critical' }, exp_annotations: { summary: 'Errors on api', description: '2 errors a second.' } }],
    });
  });

  it('checks expressions against the catalogs, platform catalogs included', () => {
    const cpu = 'sum by (pod) (rate(container_cpu_usage_seconds_total{container="api"}[5m])) > 1';
    const alert = errorsAlert({ name: 'ApiCpu', expr: cpu, summary: 'CPU of {{ $labels.pod }}', description: 'Hot.', tests: [{ name: 'hot', series: { 'container_cpu_usage_seconds_total{container="api",pod="api-0"}': '0+120x10' }, at: '8m', expect: [{ labels: { pod: 'api-0' } }] }] });
    // Once in the expression, once in the test's input series.
    expect(codes(environment({ alerts: [alert] }))).toEqual(['UNKNOWN_METRIC', 'UNKNOWN_METRIC']);
    expect(codes(environment({ alerts: [alert] }, { monitoring: { platform: [cadvisor] } }))).toEqual([]);
    // An alert that needs platform catalogs is left out where the environment lacks them.
    const needs = environment({ alerts: [{ ...alert, requires: ['cadvisor', 'kube-state-metrics'] }] }, { monitoring: { platform: [cadvisor] } });
    expect(needs.systems[0]?.alerts).toEqual([]);
    expect(environment({ alerts: [{ ...alert, requires: ['cadvisor'] }] }, { monitoring: { platform: [cadvisor, kubeStateMetrics] } }).systems[0]?.alerts).toHaveLength(1);
  });

  it('points a diagnostic at the alert in the system file, with a fix', () => {
    const [diagnostic] = prometheusEmitter.emit(environment({ alerts: [errorsAlert({ expr: 'rate(queue_depth[5m]) > 1' })] })).diagnostics;
    expect(diagnostic).toMatchObject({ code: 'RATE_OVER_GAUGE', file: 'environments/systems/shop.ts', path: 'alerts[ApiErrors].expr' });
    expect(diagnostic?.hint).toContain('deriv()');
  });

  it('refuses test expectations that cannot match what the alert carries', () => {
    const missing = errorsAlert({ tests: [{ name: 'fires', series: { 'http_requests_total{job="api",instance="a",status="503"}': '0+120x10' }, at: '8m', expect: [{ labels: {}, value: 2 }] }] });
    expect(codes(environment({ alerts: [missing] }))).toEqual(['TEST_EXPECTATION_INVALID']);
    const noValue = errorsAlert({ tests: [{ name: 'fires', series: { 'http_requests_total{job="api",instance="a",status="503"}': '0+120x10' }, at: '8m', expect: [{ labels: { job: 'api' } }] }] });
    expect(codes(environment({ alerts: [noValue] }))).toEqual(['TEST_EXPECTATION_INVALID']);
    const badValues = errorsAlert({ tests: [{ name: 'fires', series: { 'http_requests_total{job="api",instance="a",status="503"}': 'lots' }, at: '8m', expect: [{ labels: { job: 'api' }, value: 2 }] }] });
    expect(codes(environment({ alerts: [badValues] }))).toEqual(['TEST_SERIES_INVALID']);
  });

  it('allows one alert name at two severities, not twice at one', () => {
    const warning = errorsAlert({ severity: 'warning' });
    expect(codes(environment({ alerts: [errorsAlert(), warning] }))).toEqual([]);
    expect(codes(environment({ alerts: [errorsAlert(), errorsAlert()] }))).toEqual(['DUPLICATE_RULE']);
  });
});
