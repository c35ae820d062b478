/**
 * `prometheus/rules/<system>.yml` and `prometheus/tests/<system>.test.yml`: the rule groups
 * Prometheus loads (and a PrometheusRule wraps), and the promtool unit tests that make every alert
 * fire. Test cases with the same input become one promtool test group, so an SLO's shared burn
 * scenario is evaluated once for all of its alerts.
 */
import { findPanel, runbookPath } from '@kiln/model';
import type { Alert, Environment, System } from '@kiln/model';
import { expandTemplate } from '@kiln/promql';

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Record<string, unknown>[];
}

/** The system's groups: recording rules, then alerts. Empty when it has neither. */
export function ruleGroups(env: Environment, system: System): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (system.recordingRules.length > 0) {
    groups.push({
      name: `${system.name}.records`,
      rules: system.recordingRules.map((rule) => ({ record: rule.record, expr: rule.expr, ...(Object.keys(rule.labels).length > 0 && { labels: rule.labels }) })),
    });
  }
  if (system.alerts.length > 0) {
    groups.push({
      name: `${system.name}.alerts`,
      rules: system.alerts.map((alert) => ({
        alert: alert.name,
        expr: alert.expr,
        ...(alert.for !== undefined && { for: alert.for }),
        labels: alertLabels(env, alert),
        annotations: { summary: alert.summary, description: alert.description, ...links(env, alert) },
      })),
    });
  }
  return groups;
}

/**
 * The labels a rule puts on its alerts. On Kubernetes also the namespace: prometheus-operator
 * scopes an AlertmanagerConfig to alerts whose `namespace` label is its own, and an aggregation
 * (`sum by (job)`) would otherwise have dropped it, leaving the alert unrouted.
 */
export function alertLabels(env: Environment, alert: Alert): Record<string, string> {
  const namespace = env.targets.kubernetes?.namespace;
  return { severity: alert.severity, ...alert.labels, ...(namespace === undefined ? {} : { namespace }) };
}

/** `runbook_url` (and `dashboard_url` for a runbook's panel), from the environment's published addresses. */
function links(env: Environment, alert: Alert): Record<string, string> {
  const { runbookBaseUrl, grafana } = env.monitoring;
  const found = alert.runbook.panel && findPanel(env, alert.runbook.panel);
  return {
    ...(runbookBaseUrl && { runbook_url: `${runbookBaseUrl.replace(/\/+$/, '')}/${runbookPath(env.name, alert)}` }),
    ...(grafana && found && { dashboard_url: `${grafana.url.replace(/\/+$/, '')}/d/${found.dashboard.uid}?viewPanel=${found.id}` }),
  };
}

export function rulesPath(env: string, system: System): string {
  return `${env}/prometheus/rules/${system.name}.yml`;
}

export function testsPath(env: string, system: System): string {
  return `${env}/prometheus/tests/${system.name}.test.yml`;
}

/** Which alert and case a promtool test group and alert name came from (for `kiln test`). */
export interface CaseRef {
  readonly group: string;
  readonly alert: string;
  readonly evalTime: string;
  readonly case: string;
}

/** The promtool test file, and where each of its assertions came from. */
export function ruleTests(env: Environment, system: System): { data: Record<string, unknown>; cases: CaseRef[] } | undefined {
  const groups = new Map<string, { name: string; interval: string; series: Readonly<Record<string, string>>; asserts: Record<string, unknown>[] }>();
  const cases: CaseRef[] = [];
  for (const alert of system.alerts) {
    for (const test of alert.tests) {
      const key = JSON.stringify([test.interval, Object.entries(test.series).sort()]);
      let group = groups.get(key);
      if (!group) {
        group = { name: alert.slo ? `slo ${alert.slo}: ${test.name}` : `${alert.name}: ${test.name}`, interval: test.interval, series: test.series, asserts: [] };
        groups.set(key, group);
      }
      group.asserts.push({
        eval_time: test.at,
        alertname: alert.name,
        exp_alerts: test.expect.map((expected) => {
          const labels = { ...expected.labels, ...alertLabels(env, alert) };
          const values = labels;
          const annotations = {
            ...(expected.annotations ?? {
              summary: expandTemplate(alert.summary, values, expected.value) ?? '',
              description: expandTemplate(alert.description, values, expected.value) ?? '',
            }),
            ...links(env, alert),
          };
          return { exp_labels: labels, exp_annotations: annotations };
        }),
      });
      cases.push({ group: group.name, alert: alert.name, evalTime: test.at, case: test.name });
    }
  }
  if (groups.size === 0) return undefined;
  return {
    data: {
      // Every rule file of the environment: an alert may read another system's recording rules.
      rule_files: ['../rules/*.yml'],
      evaluation_interval: '1m',
      tests: [...groups.values()].map((group) => ({
        name: group.name,
        interval: group.interval,
        input_series: Object.entries(group.series).map(([series, values]) => ({ series, values })),
        alert_rule_test: group.asserts,
      })),
    },
    cases,
  };
}
