/**
 * A dashboard's template variables, as grafana/dashboard-linter wants them: a `datasource` variable
 * of type datasource on every dashboard (the Prometheus is chosen where the dashboard is viewed, so
 * one file serves every Grafana), and `job` and `instance` query variables only where a query uses
 * them: multi-select, "All" as `.+`, reloaded when the time range changes.
 */
import type { DataSourceRef, VariableModel } from '@grafana/schema';
import type { Dashboard } from '@kiln/model';
import { usesVariable } from './queries.js';

/** What every panel and query points at: the dashboard's datasource variable. */
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

const ALL = { selected: true, text: ['All'], value: ['$__all'] };

export function dashboardVariables(dashboard: Dashboard): { list: VariableModel[]; job: boolean; instance: boolean } {
  const exprs = dashboard.rows.flatMap((row) => row.panels.flatMap((panel) => panel.queries.map((query) => query.expr)));
  const job = exprs.some((expr) => usesVariable(expr, 'job'));
  const instance = exprs.some((expr) => usesVariable(expr, 'instance'));
  const list: VariableModel[] = [
    { hide: 0, includeAll: false, label: 'Data source', multi: false, name: 'datasource', options: [], query: 'prometheus', refresh: 1, regex: '', type: 'datasource' },
  ];
  // `up` has a series for every target Prometheus scrapes, so it lists every job and instance.
  if (job) list.push(queryVariable('job', 'Job', 'label_values(up, job)'));
  if (instance) list.push(queryVariable('instance', 'Instance', job ? 'label_values(up{job=~"$job"}, instance)' : 'label_values(up, instance)'));
  return { list, job, instance };
}

function queryVariable(name: string, label: string, query: string): VariableModel {
  return {
    allValue: '.+',
    current: ALL,
    datasource: DATASOURCE,
    hide: 0,
    includeAll: true,
    label,
    multi: true,
    name,
    options: [],
    query,
    refresh: 2,
    regex: '',
    sort: 1,
    type: 'query',
  };
}
