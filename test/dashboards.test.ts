/**
 * Every generated dashboard, read back from the compiled files and checked the way Grafana and
 * grafana/dashboard-linter read it, without the emitter's own code: the uid and id rules, the grid,
 * the templated datasource, titles, descriptions, units and queries, counters and rate windows, the
 * job and instance matchers, links between panels, and the ConfigMaps and provisioning around
 * them. The seeds' dashboards and a fixture with every panel type and placement are both read.
 */
import { join } from 'node:path';
import { compile } from '@kiln/core';
import type { Compilation } from '@kiln/core';
import { emitters } from '@kiln/cli';
import { GRAFANA_UNITS, grafanaEmitter } from '@kiln/grafana';
import { monitoredServices } from '@kiln/model';
import type { Environment, Metric } from '@kiln/model';
import { selectorsOf } from '@kiln/promql';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Until the CLI lists the Grafana emitter, add it here; once it does, this is the CLI's own list.
const all = emitters.some((emitter) => emitter.name === 'grafana') ? emitters : [...emitters, grafanaEmitter];
const roots = [join(import.meta.dirname, '..'), join(import.meta.dirname, 'fixtures/dashboards')];

interface GridPos { x: number; y: number; w: number; h: number }
interface Target { datasource?: { type?: string; uid?: string }; expr?: string; refId?: string }
interface JsonPanel { id: number; type: string; title?: string; description?: string; gridPos: GridPos; datasource?: { type?: string; uid?: string }; fieldConfig?: { defaults?: { unit?: string } }; targets?: Target[]; links?: { url: string }[] }
interface JsonDashboard { id: unknown; uid: string; schemaVersion: number; panels: JsonPanel[]; templating: { list: { name: string; type: string; query?: unknown }[] } }
interface Found { env: Environment; files: Compilation['files']; path: string; text: string; json: JsonDashboard }

let found: Found[] = [];
let compilations: Compilation[] = [];

beforeAll(async () => {
  compilations = await Promise.all(roots.map((root) => compile({ root, emitters: all })));
  found = compilations.flatMap(({ environments, files }) =>
    [...files]
      .filter(([path]) => /^[^/]+\/grafana\/dashboards\/[^/]+\.json$/.test(path))
      .map(([path, text]) => ({ env: environments.find((e) => path.startsWith(`${e.name}/`)) as Environment, files, path, text, json: JSON.parse(text) as JsonDashboard })),
  );
});

const panelsOf = (json: JsonDashboard) => json.panels.filter((p) => p.type !== 'row');
const overlap = (a: GridPos, b: GridPos) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const RATE_INTERVAL = '86400123ms';
/** The query with Grafana's macros as durations and numbers, so Prometheus's grammar reads it; `$__rate_interval` stays recognisable. */
const parseable = (expr: string) =>
  expr
    .replace(/\$\{?__rate_interval\}?/g, RATE_INTERVAL)
    .replace(/\$\{?(__range_s|__range_ms|__interval_ms)\}?/g, '1')
    .replace(/\$\{?(__interval|__range)\}?/g, '1m');

/** Series names as Prometheus stores them: a service's own (`service`), or every declared counter series (`counter`). */
function seriesOf(env: Environment, which: 'service' | 'counter'): Set<string> {
  const metrics: readonly Metric[] = which === 'service' ? monitoredServices(env).flatMap((s) => s.metrics?.exports ?? []) : [...monitoredServices(env).flatMap((s) => s.metrics?.exports ?? []), ...env.monitoring.platform.flatMap((c) => c.metrics)];
  const series = metrics.flatMap((m): [string, boolean][] => {
    if (m.type === 'histogram') return [[`${m.name}_bucket`, true], [`${m.name}_sum`, true], [`${m.name}_count`, true]];
    if (m.type === 'summary') return [[m.name, false], [`${m.name}_sum`, true], [`${m.name}_count`, true]];
    return [[m.name, m.type === 'counter']];
  });
  return new Set(series.filter(([, counter]) => which === 'service' || counter).map(([name]) => name));
}

describe('generated dashboards', () => {
  it('exist for every dashboard of every environment, and there are some', () => {
    expect(compilations.flatMap((c) => c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    const expected = compilations.flatMap(({ environments }) => environments.flatMap((env) => env.systems.flatMap((s) => s.dashboards.map((d) => `${env.name}/grafana/dashboards/${d.uid}.json`))));
    expect(found.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(found.length).toBeGreaterThanOrEqual(4);
  });

  it('carry a uid Grafana accepts, unique in their environment and naming the file, and id null', () => {
    const seen = new Set<string>();
    for (const { env, path, json } of found) {
      expect(json.uid, path).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(path).toBe(`${env.name}/grafana/dashboards/${json.uid}.json`);
      expect(seen.has(`${env.name}/${json.uid}`), path).toBe(false);
      seen.add(`${env.name}/${json.uid}`);
      expect(json.id, path).toBeNull();
      // Classic JSON: Grafana 13's file provisioning refuses the v2 resource format.
      expect(json, path).not.toHaveProperty('apiVersion');
      expect(Number.isInteger(json.schemaVersion) && json.schemaVersion >= 38 && json.schemaVersion <= 42, path).toBe(true);
    }
  });

  it('place every panel inside the 24-column grid, below its row, overlapping none', () => {
    for (const { path, json } of found) {
      const ids = json.panels.map((p) => p.id);
      expect(new Set(ids).size, `${path}: panel ids are unique`).toBe(ids.length);
      let rowTop = -1;
      let nextRow = Infinity;
      json.panels.forEach((panel, i) => {
        const { x, y, w, h } = panel.gridPos;
        expect(w > 0 && w <= 24 && x >= 0 && x + w <= 24 && h > 0 && y >= 0, `${path}: ${panel.title}`).toBe(true);
        if (panel.type === 'row') {
          expect(panel.gridPos, `${path}: row ${panel.title}`).toEqual({ h: 1, w: 24, x: 0, y });
          rowTop = y;
          nextRow = json.panels.slice(i + 1).find((p) => p.type === 'row')?.gridPos.y ?? Infinity;
          return;
        }
        expect(y > rowTop && y + h <= nextRow, `${path}: ${panel.title} lies in its row`).toBe(true);
      });
      for (const [i, a] of json.panels.entries()) {
        for (const b of json.panels.slice(i + 1)) expect(overlap(a.gridPos, b.gridPos), `${path}: ${a.title} and ${b.title}`).toBe(false);
      }
    }
  });

  it('template the datasource, and point every panel and query at it', () => {
    for (const { path, json } of found) {
      const datasources = json.templating.list.filter((v) => v.type === 'datasource');
      expect(datasources, path).toEqual([expect.objectContaining({ name: 'datasource', query: 'prometheus' })]);
      for (const panel of panelsOf(json)) {
        for (const source of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]) {
          expect(source, `${path}: ${panel.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
        }
      }
    }
  });

  it('give every panel a title, a description, a unit Grafana knows and at least one query', () => {
    for (const { path, json } of found) {
      for (const panel of panelsOf(json)) {
        expect(panel.title?.trim(), path).toBeTruthy();
        expect(panel.description?.trim(), `${path}: ${panel.title}`).toBeTruthy();
        const unit = panel.fieldConfig?.defaults?.unit ?? '';
        expect(GRAFANA_UNITS.has(unit) || /^(suffix|prefix|time|si|count|currency):.+$/.test(unit), `${path}: ${panel.title} unit '${unit}'`).toBe(true);
        expect(panel.targets?.length, `${path}: ${panel.title}`).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect(target.expr?.trim(), `${path}: ${panel.title}`).toBeTruthy();
      }
    }
  });

  it('take counters through rate, irate or increase, and rate them over $__rate_interval', () => {
    for (const { env, path, json } of found) {
      const counters = seriesOf(env, 'counter');
      for (const panel of panelsOf(json)) {
        for (const target of panel.targets ?? []) {
          const selectors = selectorsOf(parseable(target.expr ?? ''));
          expect(selectors, `${path}: ${panel.title}: PromQL parses`).toBeDefined();
          for (const s of selectors ?? []) {
            // dashboard-linter's counter rule, on declared types rather than its guess from the name
            // (veza's active_users_total is a gauge): a counter is the range of rate, irate or increase.
            if (s.metric && counters.has(s.metric)) expect(['rate', 'irate', 'increase'].includes(s.call ?? '') && s.range !== undefined, `${path}: ${panel.title}: ${target.expr}`).toBe(true);
            if (s.call === 'rate' || s.call === 'irate') expect(s.range?.text, `${path}: ${panel.title}: ${target.expr}`).toBe(RATE_INTERVAL);
          }
        }
      }
    }
  });

  it('filter every service selector by $job and $instance where the dashboard has those variables', () => {
    for (const { env, path, json } of found) {
      const serviceSeries = seriesOf(env, 'service');
      const variables = json.templating.list.map((v) => v.name);
      for (const label of ['job', 'instance'].filter((name) => variables.includes(name))) {
        expect(json.templating.list.find((v) => v.name === label), path).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: '.+', refresh: 2 });
        for (const panel of panelsOf(json)) {
          for (const target of panel.targets ?? []) {
            for (const s of selectorsOf(parseable(target.expr ?? '')) ?? []) {
              if (!s.metric || !serviceSeries.has(s.metric)) continue;
              expect(s.matchers.some((m) => m.label === label && m.op === '=~' && [`$${label}`, `\${${label}}`].includes(m.value)), `${path}: ${panel.title}: ${target.expr}`).toBe(true);
            }
          }
        }
      }
      for (const name of ['job', 'instance']) {
        const used = panelsOf(json).some((p) => (p.targets ?? []).some((t) => new RegExp(`\\$\\{?${name}\\b`).test(t.expr ?? '')));
        expect(variables.includes(name), `${path}: a ${name} variable exactly when a query uses it`).toBe(used);
      }
    }
  });

  it('link to the panel the model names, by the id its dashboard carries', () => {
    let links = 0;
    for (const { env, path, json } of found) {
      const model = env.systems.flatMap((s) => s.dashboards).find((d) => d.uid === json.uid);
      for (const panel of model?.rows.flatMap((row) => row.panels) ?? []) {
        for (const link of panel.links) {
          if (!('panel' in link)) continue;
          links += 1;
          const written = panelsOf(json).find((p) => p.title === panel.title)?.links?.find((l) => l.url.includes(`/d/${link.panel.dashboard}?`));
          const match = /\/d\/([A-Za-z0-9_-]+)\?viewPanel=(\d+)/.exec(written?.url ?? '');
          const target = found.find((f) => f.env.name === env.name && f.json.uid === match?.[1]);
          expect(target?.json.panels.find((p) => p.id === Number(match?.[2]))?.title, `${path}: ${panel.title} links ${written?.url}`).toBe(link.panel.panel);
        }
      }
    }
    expect(links).toBeGreaterThan(0);
  });

  it('ship on Kubernetes targets as sidecar ConfigMaps holding the file byte for byte', () => {
    for (const { env, files, path, text, json } of found.filter((f) => f.env.targets.kubernetes)) {
      const object = parse(files.get(`${env.name}/kubernetes/configmap-dashboard-${json.uid}.yaml`) ?? '', { version: '1.1' });
      expect(object?.metadata?.labels?.grafana_dashboard, path).toBe('1');
      expect(object.metadata.annotations['k8s-sidecar-target-directory'], path).toBe(env.monitoring.grafana?.folder ?? env.name);
      expect(object.data[`${json.uid}.json`], path).toBe(text);
    }
  });

  it('come with Grafana provisioning on compose and hosts targets', () => {
    for (const { env, files } of found.filter((f) => f.env.targets.compose || f.env.targets.hosts)) {
      const provider = parse(files.get(`${env.name}/grafana/provisioning/dashboards/kiln.yaml`) ?? '');
      expect(provider.providers[0]).toMatchObject({ type: 'file', allowUiUpdates: false, options: { path: '/var/lib/grafana/dashboards' } });
      const datasource = parse(files.get(`${env.name}/grafana/provisioning/datasources/prometheus.yaml`) ?? '');
      expect(datasource.datasources[0]).toMatchObject({ type: 'prometheus', uid: 'prometheus', isDefault: true, jsonData: { timeInterval: env.monitoring.scrapeInterval } });
    }
  });
});
