import { describe, expect, it } from 'vitest';
import { render } from '@kiln/core';
import type { Output } from '@kiln/core';
import { findPanel, panelIds } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { grafanaEmitter } from './emitter.js';
import { dashboard, environment, panel, withPanels } from './fixtures.js';

interface Json {
  [key: string]: unknown;
  panels: { id: number; type: string; title: string; datasource?: unknown; targets?: { datasource: unknown; refId: string; format?: string; instant?: boolean }[]; links: unknown[]; fieldConfig: { defaults: { thresholds: unknown } } }[];
  templating: { list: { name: string; type: string; query: unknown; datasource?: unknown }[] };
}

const dashboardsOf = (env: Environment): Json[] =>
  grafanaEmitter
    .emit(env)
    .outputs.filter((o): o is Extract<Output, { format: 'json' }> => o.format === 'json')
    .map((o) => o.data as Json);
const only = (env: Environment): Json => {
  const [first] = dashboardsOf(env);
  if (!first) throw new Error('no dashboard');
  return first;
};
const variableNames = (json: Json) => json.templating.list.map((v) => v.name);

describe('dashboard JSON', () => {
  it('is classic JSON with id null, the model uid and a file named after it', () => {
    const env = environment({ dashboards: [dashboard(), dashboard({ uid: 'shop-latency', title: 'Latency' })] });
    const result = grafanaEmitter.emit(env);
    expect(result.diagnostics).toEqual([]);
    expect(result.outputs.filter((o) => o.format === 'json').map((o) => o.path)).toEqual(['shop-prod/grafana/dashboards/shop-shop-overview.json', 'shop-prod/grafana/dashboards/shop-latency.json']);
    const [overview, latency] = dashboardsOf(env);
    expect(overview).toMatchObject({ id: null, uid: 'shop-shop-overview', title: 'Shop overview', editable: false });
    expect(latency?.uid).toBe('shop-latency');
    // Classic, not the v2 resource format Grafana 13's provisioning refuses.
    expect(overview).not.toHaveProperty('apiVersion');
    expect(overview).not.toHaveProperty('spec');
  });

  it('numbers rows and panels with the model\'s panelIds, so runbook links land on the panel', () => {
    const env = environment({ dashboards: [dashboard({ rows: [{ title: 'Traffic', panels: [panel(), panel({ title: 'Errors' })] }, { title: 'Queue', panels: [panel({ title: 'Depth', unit: 'short', queries: [{ expr: 'queue_depth' }] })] }] })] });
    const json = only(env);
    expect(json.panels.map((p) => [p.type, p.title, p.id])).toEqual([
      ['row', 'Traffic', 1],
      ['timeseries', 'Request rate', 2],
      ['timeseries', 'Errors', 3],
      ['row', 'Queue', 4],
      ['timeseries', 'Depth', 5],
    ]);
    const model = env.systems[0]?.dashboards[0];
    if (!model) throw new Error('no dashboard');
    for (const [title, id] of panelIds(model)) expect(json.panels.find((p) => p.title === title)?.id).toBe(id);
    expect(findPanel(env, { dashboard: 'shop-shop-overview', panel: 'Depth' })?.id).toBe(5);
  });

  it('pins schemaVersion to the environment\'s Grafana and refuses a version it does not know', () => {
    expect(only(environment()).schemaVersion).toBe(41);
    const grafana = (version: string) => ({ monitoring: { grafana: { url: 'https://grafana.example.org', version } } });
    expect(only(environment({}, grafana('10.4'))).schemaVersion).toBe(39);
    expect(only(environment({}, grafana('11.5'))).schemaVersion).toBe(40);
    expect(only(environment({}, grafana('12.2'))).schemaVersion).toBe(42);
    const unknown = grafanaEmitter.emit(environment({}, grafana('9.5')));
    expect(unknown.outputs).toEqual([]);
    expect(unknown.diagnostics).toMatchObject([{ code: 'GRAFANA_VERSION_UNKNOWN', file: 'environments/shop-prod.ts', path: 'monitoring.grafana.version' }]);
  });

  it('writes keys in one canonical order at every depth, the same on every run', () => {
    const env = environment({ dashboards: [withPanels(panel({ thresholds: [{ value: 100, color: 'red' }, { value: 50, color: 'orange' }] }))] });
    const sorted = (value: unknown): boolean => {
      if (Array.isArray(value)) return value.every(sorted);
      if (value === null || typeof value !== 'object') return true;
      const keys = Object.keys(value);
      return keys.join('\0') === [...keys].sort().join('\0') && Object.values(value).every(sorted);
    };
    const [output] = grafanaEmitter.emit(env).outputs;
    expect(output && sorted(output.format === 'json' ? output.data : undefined)).toBe(true);
    expect(render(output as Output, env.source)).toBe(render(grafanaEmitter.emit(env).outputs[0] as Output, env.source));
    // Thresholds in order of value, above Grafana's base step.
    expect(only(env).panels[1]?.fieldConfig.defaults.thresholds).toEqual({ mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 50 }, { color: 'red', value: 100 }] });
  });
});

describe('datasource and variables', () => {
  it('templates the datasource on every dashboard and points every panel and query at it', () => {
    const json = only(environment());
    expect(json.templating.list).toEqual([expect.objectContaining({ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' })]);
    const source = { type: 'prometheus', uid: '${datasource}' };
    for (const p of json.panels.filter((p) => p.type !== 'row')) {
      expect(p.datasource).toEqual(source);
      for (const target of p.targets ?? []) expect(target.datasource).toEqual(source);
    }
  });

  it('adds job and instance variables only where a query uses them', () => {
    const rate = (matchers: string) => panel({ queries: [{ expr: `sum(rate(http_requests_total{${matchers}}[$__rate_interval]))` }] });
    expect(variableNames(only(environment({ dashboards: [withPanels(rate('status="503"'))] })))).toEqual(['datasource']);
    const job = only(environment({ dashboards: [withPanels(rate('job=~"$job"'))] }));
    expect(variableNames(job)).toEqual(['datasource', 'job']);
    expect(job.templating.list[1]).toMatchObject({ type: 'query', query: 'label_values(up, job)', multi: true, includeAll: true, allValue: '.+', refresh: 2, datasource: { type: 'prometheus', uid: '${datasource}' } });
    const both = only(environment({ dashboards: [withPanels(rate('job=~"${job}", instance=~"$instance"'))] }));
    expect(variableNames(both)).toEqual(['datasource', 'job', 'instance']);
    expect(both.templating.list[2]).toMatchObject({ label: 'Instance', query: 'label_values(up{job=~"$job"}, instance)' });
    expect(only(environment({ dashboards: [withPanels(rate('instance=~"$instance"'))] })).templating.list[1]).toMatchObject({ query: 'label_values(up, instance)' });
  });
});

describe('panels', () => {
  it('links a panel to another panel by its id, and to a URL in a new tab', () => {
    const env = environment(
      { dashboards: [withPanels(panel(), panel({ title: 'Errors', links: [{ title: 'Traffic', panel: { dashboard: 'shop-shop-overview', panel: 'Request rate' } }, { title: 'Status page', url: 'https://status.example.org/' }] }))] },
      { monitoring: { grafana: { url: 'https://grafana.example.org/' } } },
    );
    expect(only(env).panels[2]?.links).toEqual([
      { title: 'Traffic', url: 'https://grafana.example.org/d/shop-shop-overview?viewPanel=2&${__url_time_range}' },
      { targetBlank: true, title: 'Status page', url: 'https://status.example.org/' },
    ]);
  });

  it('asks tables for an instant table and heatmaps for buckets', () => {
    const env = environment({
      dashboards: [
        withPanels(
          panel({ title: 'Now', type: 'table' }),
          panel({ title: 'Latency', type: 'heatmap', unit: 's', queries: [{ expr: 'sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval]))' }] }),
        ),
      ],
    });
    const [, table, heatmap] = only(env).panels;
    expect(table?.targets?.[0]).toMatchObject({ format: 'table', instant: true, range: false, refId: 'A' });
    expect(heatmap?.targets?.[0]).toMatchObject({ format: 'heatmap', legendFormat: '{{le}}', range: true });
    expect(heatmap).toMatchObject({ options: { calculate: false } });
  });
});
