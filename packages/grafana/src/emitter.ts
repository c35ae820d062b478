/**
 * The Grafana emitter. For every environment with dashboards: each dashboard as classic JSON in
 * grafana/dashboards/<uid>.json, laid out and checked (layout, the linter's rules, PromQL against
 * the catalogs); for Kubernetes targets the same JSON in a sidecar ConfigMap; for compose and hosts
 * targets Grafana's provisioning files.
 */
import { render, sourcePath, validateObject } from '@kiln/core';
import type { Emitter, Output, PathSegment } from '@kiln/core';
import { dashboardPath, findPanel, panelIds } from '@kiln/model';
import type { Dashboard, Diagnostic, Environment, System } from '@kiln/model';
import { environmentIndex } from '@kiln/promql';
import { GrafanaCode } from './codes.js';
import { byteLength, CONFIGMAP_MAX_BYTES, configMapName, dashboardConfigMap, isConfigMapUid } from './configmap.js';
import { dashboardJson } from './dashboard-json.js';
import { layoutDashboard } from './layout.js';
import { checkPanel } from './panel-checks.js';
import { dashboardProvider, prometheusDatasource } from './provisioning.js';
import { DEFAULT_GRAFANA_VERSION, knownGrafanaVersions, schemaVersionOf } from './schema-version.js';
import { dashboardVariables } from './variables.js';


/** An emitter with its own ConfigMap size limit (tests use a small one). */
export function createGrafanaEmitter(maxBytes = CONFIGMAP_MAX_BYTES): Emitter {
  return { name: 'grafana', emit: (env) => emitGrafana(env, maxBytes) };
}

export const grafanaEmitter: Emitter = createGrafanaEmitter();

function emitGrafana(env: Environment, maxBytes: number): { outputs: Output[]; diagnostics: Diagnostic[] } {
  const dashboards = env.systems.flatMap((system) => system.dashboards.map((dashboard) => ({ system, dashboard })));
  if (dashboards.length === 0) return { outputs: [], diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const version = env.monitoring.grafana?.version ?? DEFAULT_GRAFANA_VERSION;
  const schemaVersion = schemaVersionOf(version);
  if (schemaVersion === undefined) {
    const known = knownGrafanaVersions();
    diagnostics.push({
      code: GrafanaCode.GRAFANA_VERSION_UNKNOWN,
      severity: 'error',
      file: env.source,
      path: 'monitoring.grafana.version',
      message: `Kiln does not know which dashboard schemaVersion Grafana ${version} writes`,
      hint: `use one of ${known[0]} … ${known.at(-1)} (the minor your Grafana runs), or add ${version} to Kiln's table in packages/grafana/src/schema-version.ts`,
    });
    return { outputs: [], diagnostics };
  }

  const { index, scrapeIntervalMs } = environmentIndex(env);
  const folder = env.monitoring.grafana?.folder ?? env.name;
  const base = env.monitoring.grafana?.url.replace(/\/+$/, '') ?? '';
  const panelUrl = (ref: { readonly dashboard: string; readonly panel: string }) => {
    const found = findPanel(env, ref);
    // The model checked every link; a missing one is a bug, not the author's mistake.
    if (!found) throw new Error(`grafana: link to ${ref.dashboard}/${ref.panel} should have been checked by the model`);
    return `${base}/d/${found.dashboard.uid}?viewPanel=${found.id}&\${__url_time_range}`;
  };
  const outputs: Output[] = [];
  const kubernetes = env.targets.kubernetes;

  for (const { system, dashboard } of dashboards) {
    const report = (code: string, message: string, hint: string | undefined, ...at: PathSegment[]) =>
      diagnostics.push({ code, severity: 'error', file: system.source, path: sourcePath(['dashboards', { name: dashboard.title }, ...at]), message, ...(hint === undefined ? {} : { hint }) });
    const variables = dashboardVariables(dashboard);
    const context = { index, scrapeIntervalMs, job: variables.job, instance: variables.instance };
    const layout = layoutDashboard(dashboard);
    for (const problem of layout.problems) {
      const row = dashboard.rows[problem.row];
      report(problem.code, problem.message, problem.hint, 'rows', { name: row?.title ?? String(problem.row) }, 'panels', { name: row?.panels[problem.panel]?.title ?? String(problem.panel) }, 'gridPos');
    }
    dashboard.rows.forEach((row, r) =>
      row.panels.forEach((panel, p) => {
        for (const problem of checkPanel(panel, context)) {
          report(problem.code, problem.message, problem.hint, 'rows', { name: row.title.trim() || String(r) }, 'panels', { name: panel.title.trim() || String(p) }, ...problem.at);
        }
      }),
    );

    const json = dashboardJson({ dashboard, schemaVersion, rows: layout.rows, ids: panelIds(dashboard), variables: variables.list, panelUrl });
    const output: Output = { path: dashboardPath(env.name, dashboard.uid), format: 'json', data: json };
    outputs.push(output);
    if (kubernetes) {
      const text = render(output, env.source);
      if (!isConfigMapUid(dashboard.uid)) {
        report(GrafanaCode.GRAFANA_UID_NOT_DNS, `uid '${dashboard.uid}' cannot name the ConfigMap '${configMapName(dashboard.uid)}' on the Kubernetes target`, 'use lower-case letters, digits and -, starting and ending with a letter or digit', 'uid');
        continue;
      }
      if (byteLength(text) > maxBytes) {
        report(GrafanaCode.GRAFANA_DASHBOARD_TOO_LARGE, `dashboard '${dashboard.uid}' is ${byteLength(text)} bytes of JSON; a ConfigMap holds at most ${maxBytes}`, 'split it into smaller dashboards linked to each other');
        continue;
      }
      outputs.push(configMapOutput(env, system, dashboard, text, folder, diagnostics));
    }
  }

  const target = (['compose', 'hosts'] as const).find((name) => env.targets[name]);
  if (target) {
    outputs.push({ path: `${env.name}/grafana/provisioning/dashboards/kiln.yaml`, format: 'yaml', data: dashboardProvider(folder) });
    outputs.push({ path: `${env.name}/grafana/provisioning/datasources/prometheus.yaml`, format: 'yaml', data: prometheusDatasource(env, target) });
  }
  return { outputs, diagnostics };
}

function configMapOutput(env: Environment, system: System, dashboard: Dashboard, text: string, folder: string, diagnostics: Diagnostic[]): Output {
  const target = env.targets.kubernetes;
  if (!target) throw new Error('grafana: a ConfigMap needs a Kubernetes target');
  const object = dashboardConfigMap(env, target, system, dashboard.uid, text, folder);
  for (const problem of validateObject(object)) {
    diagnostics.push({
      code: GrafanaCode.GRAFANA_OBJECT_INVALID,
      severity: 'error',
      file: system.source,
      path: sourcePath(['dashboards', { name: dashboard.title }]),
      message: `ConfigMap '${object.metadata.name}' fails its schema: ${problem}`,
      hint: 'this is a bug in Kiln or a value the model let through; please report it with this message',
    });
  }
  return { path: `${env.name}/kubernetes/configmap-${object.metadata.name}.yaml`, format: 'yaml', data: object };
}
