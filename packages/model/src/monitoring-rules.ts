/**
 * Rules on the monitoring input that need no PromQL: runbooks and tests present, record names,
 * SLO selectors, receivers. Expressions are checked by the Prometheus emitter against the catalogs.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { concreteSeries, metricOfSeries, parseSelector } from './slo.js';
import { environmentMetrics } from './metrics.js';
import { dashboardUidOf } from './normalize.js';
import { suggestName } from './names.js';

type Path = (string | number)[];
const RECORD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*$/;

export function checkMonitoring(env: ParsedEnvironment, serviceNames: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const metrics = environmentMetrics(env);
  const slos = new Set<string>();
  env.systems.forEach((system, s) => {
    system.alerts.forEach((alert, a) => {
      const path: Path = ['systems', s, 'alerts', a];
      if (!alert.runbook) {
        issues.push({
          code: ModelCode.ALERT_WITHOUT_RUNBOOK,
          path,
          message: `alert '${alert.name}' has no runbook: whoever it wakes has nothing to follow`,
          hint: "add runbook: { impact: '…', diagnosis: ['…'], mitigation: ['…'] }",
        });
      }
      if (!alert.tests.some((test) => test.expect.length > 0)) {
        issues.push({
          code: ModelCode.ALERT_WITHOUT_TEST,
          path: [...path, 'tests'],
          message: `alert '${alert.name}' has no test case that makes it fire${alert.tests.length > 0 ? ' (a case expecting nothing can only come second)' : ''}`,
          hint: "add tests: [{ name: 'fires', series: { 'metric{…}': '0+1x10' }, at: '10m', expect: [{ labels: { … } }] }]",
        });
      }
      const names = new Set<string>();
      alert.tests.forEach((test, t) => {
        if (names.has(test.name)) issues.push({ code: ModelCode.DUPLICATE_TEST_CASE, path: [...path, 'tests', t, 'name'], message: `alert '${alert.name}' has two cases named '${test.name}'`, hint: 'give each case its own name' });
        names.add(test.name);
      });
    });
    system.recordingRules.forEach((rule, r) => {
      const path: Path = ['systems', s, 'recordingRules', r];
      if (rule.for !== undefined) {
        issues.push({ code: ModelCode.RECORDING_RULE_FOR, path: [...path, 'for'], message: `recording rule '${rule.record}' has 'for', which only alerts have; promtool rejects it`, hint: 'remove for, or make it an alert' });
      }
      if (!RECORD_NAME.test(rule.record)) {
        issues.push({
          code: ModelCode.INVALID_RECORD_NAME,
          path: [...path, 'record'],
          message: `record name '${rule.record}' does not follow level:metric:operations`,
          hint: "name it after its labels, metric and operations, e.g. 'job:rpc_requests:rate5m'",
        });
      }
    });
    system.slos.forEach((slo, i) => {
      const path: Path = ['systems', s, 'slos', i];
      if (slos.has(slo.name)) issues.push({ code: ModelCode.DUPLICATE_NAME, path: [...path, 'name'], message: `SLO '${slo.name}' is defined twice in this environment`, hint: 'give each SLO its own name' });
      slos.add(slo.name);
      if (!serviceNames.has(slo.service)) issues.push({ code: ModelCode.UNKNOWN_SERVICE, path: [...path, 'service'], message: `there is no service '${slo.service}' in this environment`, hint: suggestName(slo.service, serviceNames, 'services') });
      const sli = slo.sli as Record<string, string>;
      for (const key of Object.keys(sli)) {
        const text = sli[key] ?? '';
        const selector = parseSelector(text);
        if (!selector) {
          issues.push({ code: ModelCode.SLO_SELECTOR, path: [...path, 'sli', key], message: `'${text}' is no plain selector`, hint: 'write metric{label="value", …} without a range or functions; Kiln adds rate() and the windows' });
          continue;
        }
        if (!metricOfSeries(selector.metric, metrics)) continue; // the emitter reports unknown metrics, with the catalogs in view
        const part = key === 'total' ? parseSelector(sli['errors'] ?? sli['good'] ?? '') : undefined;
        const built = concreteSeries(selector, metrics, part && part.metric === selector.metric ? part : undefined);
        const label = 'unresolved' in built ? built.unresolved : undefined;
        if (label !== undefined) {
          issues.push({
            code: ModelCode.SLO_SELECTOR,
            path: [...path, 'sli', key],
            message: `Kiln cannot choose a value of label '${label}' for the SLO's test series: its catalog entry declares no values that fit`,
            hint: `declare the values of '${label}' on ${selector.metric} in the service's metrics.exports`,
          });
        }
      }
    });
  });
  issues.push(...checkLinks(env));
  const alerting = env.monitoring.alerting;
  if (alerting) {
    const receivers = new Set<string>();
    alerting.receivers.forEach((receiver, r) => {
      if (receivers.has(receiver.name)) issues.push({ code: ModelCode.DUPLICATE_NAME, path: ['monitoring', 'alerting', 'receivers', r, 'name'], message: `receiver '${receiver.name}' is declared twice`, hint: 'give each receiver its own name' });
      receivers.add(receiver.name);
    });
    for (const [severity, name] of Object.entries(alerting.routes)) {
      if (!receivers.has(name)) {
        issues.push({ code: ModelCode.UNKNOWN_RECEIVER, path: ['monitoring', 'alerting', 'routes', severity], message: `no receiver is named '${name}'`, hint: `receivers: ${[...receivers].join(', ')}` });
      }
    }
  }
  return issues;
}

/**
 * Dashboards, panels and procedures, and every link between them and from alerts: checked on the
 * model's names, so a broken link is a diagnostic here, not a 404 at night.
 */
function checkLinks(env: ParsedEnvironment): Issue[] {
  const issues: Issue[] = [];
  const panels = new Map<string, Set<string>>();
  const procedures = new Set<string>();
  env.systems.forEach((system, s) => {
    system.dashboards.forEach((dashboard, d) => {
      const path: Path = ['systems', s, 'dashboards', d];
      const uid = dashboardUidOf(system.name, dashboard);
      if (panels.has(uid)) {
        issues.push({ code: ModelCode.DUPLICATE_DASHBOARD_UID, path: [...path, dashboard.uid === undefined ? 'title' : 'uid'], message: `dashboard uid '${uid}' is taken by another dashboard of this environment`, hint: 'give one of them its own uid' });
      }
      const titles = new Set<string>();
      dashboard.rows.forEach((row, r) =>
        row.panels.forEach((panel, p) => {
          if (titles.has(panel.title)) issues.push({ code: ModelCode.DUPLICATE_NAME, path: [...path, 'rows', r, 'panels', p, 'title'], message: `dashboard '${uid}' has two panels titled '${panel.title}'`, hint: 'links and runbooks find panels by title: give each its own' });
          titles.add(panel.title);
        }),
      );
      panels.set(uid, titles);
    });
    for (const procedure of system.procedures) {
      if (procedures.has(procedure.name)) issues.push({ code: ModelCode.DUPLICATE_NAME, path: ['systems', s, 'procedures'], message: `procedure '${procedure.name}' is defined twice`, hint: 'give each procedure its own name' });
      procedures.add(procedure.name);
    }
  });
  const checkRef = (ref: { dashboard: string; panel: string }, path: Path) => {
    const titles = panels.get(ref.dashboard);
    if (!titles) {
      issues.push({ code: ModelCode.UNKNOWN_PANEL, path: [...path, 'dashboard'], message: `there is no dashboard '${ref.dashboard}' in this environment`, hint: `dashboards: ${[...panels.keys()].sort().join(', ') || 'none'}` });
    } else if (!titles.has(ref.panel)) {
      issues.push({ code: ModelCode.UNKNOWN_PANEL, path: [...path, 'panel'], message: `dashboard '${ref.dashboard}' has no panel '${ref.panel}'`, hint: `its panels: ${[...titles].join(', ')}` });
    }
  };
  env.systems.forEach((system, s) => {
    system.alerts.forEach((alert, a) => {
      if (alert.runbook?.panel) checkRef(alert.runbook.panel, ['systems', s, 'alerts', a, 'runbook', 'panel']);
    });
    system.dashboards.forEach((dashboard, d) =>
      dashboard.rows.forEach((row, r) =>
        row.panels.forEach((panel, p) =>
          panel.links.forEach((link, l) => {
            if ('panel' in link) checkRef(link.panel, ['systems', s, 'dashboards', d, 'rows', r, 'panels', p, 'links', l, 'panel']);
          }),
        ),
      ),
    );
    system.procedures.forEach((procedure, i) => {
      procedure.panels.forEach((ref, j) => checkRef(ref, ['systems', s, 'procedures', i, 'panels', j]));
      procedure.see.forEach((name, j) => {
        if (!procedures.has(name)) issues.push({ code: ModelCode.UNKNOWN_PROCEDURE, path: ['systems', s, 'procedures', i, 'see', j], message: `there is no procedure '${name}' in this environment`, hint: `procedures: ${[...procedures].sort().join(', ') || 'none'}` });
      });
    });
  });
  return issues;
}
