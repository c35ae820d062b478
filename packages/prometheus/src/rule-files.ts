/**
 * `prometheus/rules/<system>.yml` and `prometheus/tests/<system>.test.yml`: the rule groups
 * Prometheus loads (and a PrometheusRule wraps), and the promtool unit tests that make every alert
 * fire. Test cases with the same input become one promtool test group, so an SLO's shared burn
 * scenario is evaluated once for all of its alerts.
 */
import type { Alert, System } from '@kiln/model';
import { expandTemplate } from '@kiln/promql';

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Record<string, unknown>[];
}

/** The system's groups: recording rules, then alerts. Empty when it has neither. */
export function ruleGroups(system: System): RuleGroup[] {
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
        labels: alertLabels(alert),
        annotations: { summary: alert.summary, description: alert.description },
      })),
    });
  }
  return groups;
}

export function alertLabels(alert: Alert): Record<string, string> {
  return { severity: alert.severity, ...alert.labels };
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
export function ruleTests(system: System): { data: Record<string, unknown>; cases: CaseRef[] } | undefined {
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
          const labels = { ...expected.labels, ...alertLabels(alert) };
          const values = { ...expected.labels, ...alertLabels(alert) };
          const annotations = expected.annotations ?? {
            summary: expandTemplate(alert.summary, values, expected.value) ?? '',
            description: expandTemplate(alert.description, values, expected.value) ?? '',
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
      rule_files: [`../rules/${system.name}.yml`],
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
