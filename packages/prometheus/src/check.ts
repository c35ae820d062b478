/**
 * Every expression of an environment checked against its catalogs before anything is rendered:
 * the services' exports, the platform catalogs and the recording rules. Problems become
 * diagnostics on the author's file and path; what the checks learn (the labels an alert carries)
 * is handed to the rule tests.
 */
import { sourcePath } from '@kiln/core';
import type { PathSegment } from '@kiln/core';
import type { Alert, Diagnostic, Environment, RecordingRule, System } from '@kiln/model';
import { analyze, checkTemplate, environmentIndex, expandTemplate } from '@kiln/promql';
import type { SeriesIndex } from '@kiln/promql';
import type { Problem } from '@kiln/promql';
import { PrometheusCode } from './codes.js';
import { alertLabels } from './rule-files.js';

export interface CheckedAlert {
  readonly system: System;
  readonly alert: Alert;
  /** Labels the firing alert is sure to carry (expression and rule), undefined when not known. */
  readonly labels: ReadonlySet<string> | undefined;
}

export interface Checked {
  readonly diagnostics: Diagnostic[];
  readonly alerts: readonly CheckedAlert[];
}

/** Where a diagnostic about a rule points: the system file, or the SLO that generated the rule. */
function locate(system: System, segments: readonly PathSegment[], slo?: string): { file: string; path: string } {
  return { file: system.source, path: sourcePath(slo ? ['slos', { name: slo }] : segments) };
}

export function checkEnvironment(env: Environment): Checked {
  const diagnostics: Diagnostic[] = [];
  const { index, scrapeIntervalMs: scrapeMs, records } = environmentIndex(env);
  const report = (problem: Problem | { code: string; message: string; hint?: string }, where: { file: string; path: string }, prefix = '') =>
    diagnostics.push({ code: problem.code, severity: 'error', file: where.file, path: where.path, message: `${prefix}${problem.message}`, ...(problem.hint === undefined ? {} : { hint: problem.hint }) });
  for (const conflict of index.conflicts) {
    report({ code: PrometheusCode.METRIC_CONFLICT, message: `metric '${conflict.name}' is declared by ${conflict.first} and ${conflict.second} with different types`, hint: 'one name, one type: fix the catalog that is wrong' }, { file: env.source, path: '' });
  }

  const used = new Set<string>();
  const seenRecords = new Map<string, string>();
  for (const { system, rule, analysis } of records) {
    const where = locate(system, ['recordingRules', { name: rule.record }, 'expr'], sloOf(rule));
    for (const problem of analysis.problems) report(problem, where, `recording rule '${rule.record}': `);
    for (const metric of analysis.metrics) used.add(metric);
    const key = `${rule.record}${JSON.stringify(Object.entries(rule.labels).sort())}`;
    const other = seenRecords.get(key);
    if (other !== undefined) report({ code: PrometheusCode.DUPLICATE_RULE, message: `recording rule '${rule.record}' with labels ${JSON.stringify(rule.labels)} is also defined in ${other}`, hint: 'rename one, or give them different labels' }, where);
    seenRecords.set(key, system.name);
  }

  const alerts: CheckedAlert[] = [];
  const seenAlerts = new Map<string, string>();
  for (const system of env.systems) {
    for (const alert of system.alerts) {
      const at = (...rest: PathSegment[]) => locate(system, ['alerts', { name: alert.name }, ...rest], alert.slo);
      const analysis = analyze(alert.expr, { index, scrapeIntervalMs: scrapeMs });
      for (const problem of analysis.problems) report(problem, at('expr'), alert.slo ? `alert '${alert.name}': ` : '');
      for (const metric of analysis.metrics) used.add(metric);
      const ruleLabels = Object.keys(alertLabels(env, alert));
      const labels = analysis.labels && analysis.problems.length === 0 ? new Set([...analysis.labels, ...ruleLabels]) : undefined;
      for (const field of ['summary', 'description'] as const) {
        for (const problem of checkTemplate(alert[field], labels)) report(problem, at(field));
      }
      const key = `${alert.name}/${alert.severity}`;
      const other = seenAlerts.get(key);
      if (other !== undefined) report({ code: PrometheusCode.DUPLICATE_RULE, message: `alert '${alert.name}' (${alert.severity}) is also defined in ${other}`, hint: 'rename one; the same name is allowed only with another severity' }, at('name'));
      seenAlerts.set(key, system.name);
      checkTests(alert, ruleLabels, labels, index, scrapeMs, (problem, rest) => report(problem, at(...rest)));
      if (!alert.tests.some((test) => test.expect.length > 0)) {
        report({ code: PrometheusCode.ALERT_NEVER_TESTED, message: `alert '${alert.name}' has no test case in which it fires`, hint: 'this is a bug in Kiln (the SLO compiler writes one for every alert it makes); please report it' }, at('tests'));
      }
      alerts.push({ system, alert, labels });
    }
  }

  for (const { system, rule } of records) {
    if (!used.has(rule.record) && rule.why === undefined) {
      report(
        { code: PrometheusCode.RECORDING_RULE_UNUSED, message: `recording rule '${rule.record}' is used by no alert or rule`, hint: "use it, delete it, or say why it exists with why: '…' (a dashboard, an autoscaler)" },
        locate(system, ['recordingRules', { name: rule.record }]),
      );
    }
  }
  return { diagnostics, alerts };
}

function sloOf(rule: RecordingRule): string | undefined {
  return rule.labels['slo'] !== undefined && rule.record.startsWith('slo:') ? rule.labels['slo'] : undefined;
}

/** promtool notation: `1 2 3`, `0+10x5`, `_x3`, `stale`, segments separated by spaces. */
const VALUES = /^\s*(?:(?:_(?:x\d+)?|stale|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?:[-+](?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)?(?:x\d+)?)\s*)+$/i;

function checkTests(
  alert: Alert,
  ruleLabels: readonly string[],
  labels: ReadonlySet<string> | undefined,
  index: SeriesIndex,
  scrapeMs: number,
  report: (problem: { code: string; message: string; hint?: string }, path: PathSegment[]) => void,
): void {
  for (const test of alert.tests) {
    const path: PathSegment[] = ['tests', { name: test.name }];
    for (const [series, values] of Object.entries(test.series)) {
      if (/\[|\(/.test(series) || /(=~|!~|!=)/.test(series)) {
        report({ code: PrometheusCode.TEST_SERIES_INVALID, message: `input series '${series}' is no plain series`, hint: 'write metric{label="value", …} with = matchers only' }, [...path, 'series', series]);
        continue;
      }
      for (const problem of analyze(series, { index, scrapeIntervalMs: scrapeMs }).problems) report(problem, [...path, 'series', series]);
      if (!VALUES.test(values)) {
        report({ code: PrometheusCode.TEST_SERIES_INVALID, message: `values '${values}' are not promtool's notation`, hint: "write samples like '1 2 3', '0+10x20' (start, step, count), '_' for a missing one" }, [...path, 'series', series]);
      }
    }
    test.expect.forEach((expected, e) => {
      const carried = new Set([...Object.keys(expected.labels), ...ruleLabels]);
      if (labels) {
        const missing = [...labels].filter((label) => !carried.has(label));
        const extra = Object.keys(expected.labels).filter((label) => !labels.has(label));
        if (missing.length > 0 || extra.length > 0) {
          report(
            {
              code: PrometheusCode.TEST_EXPECTATION_INVALID,
              message: `case '${test.name}' expects an alert ${missing.length > 0 ? `without label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the alert carries` : `with label${extra.length > 1 ? 's' : ''} ${extra.join(', ')}, which the expression removes`}`,
              hint: `list exactly these labels: ${[...labels].filter((l) => !ruleLabels.includes(l)).sort().join(', ') || 'none'}`,
            },
            [...path, 'expect', { name: String(e) }],
          );
        }
      }
      if (!expected.annotations) {
        const values = { ...expected.labels, ...Object.fromEntries(ruleLabels.map((l) => [l, ''])) };
        for (const field of ['summary', 'description'] as const) {
          if (expandTemplate(alert[field], values, expected.value) === undefined) {
            report(
              {
                code: PrometheusCode.TEST_EXPECTATION_INVALID,
                message: `case '${test.name}': Kiln cannot tell how the ${field} reads when the alert fires`,
                hint: `give the expected value (value: …) for $value, or state annotations: { ${field}: '…' } as it should read`,
              },
              [...path, 'expect', { name: String(e) }],
            );
          }
        }
      }
    });
  }
}
