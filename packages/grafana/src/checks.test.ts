/** The linter's rules and the PromQL checks, each with an input that breaks it. */
import { describe, expect, it } from 'vitest';
import { kubeStateMetrics } from '@kiln/model';
import type { Environment, Panel, PanelInput } from '@kiln/model';
import { grafanaEmitter } from './emitter.js';
import { environment, panel, withPanels } from './fixtures.js';
import { substituteForAnalysis } from './queries.js';
import { isGrafanaUnit, suggestUnit } from './units.js';

const diagnostics = (env: Environment) => grafanaEmitter.emit(env).diagnostics;
/** Codes for one row of panels; panel titles are made unique, as the model wants them. */
const codes = (...panels: PanelInput[]) => diagnostics(environment({ dashboards: [withPanels(...panels.map((p, i) => ({ ...p, title: `${p.title} ${i}` })))] })).map((d) => d.code);
const query = (expr: string) => panel({ queries: [{ expr }] });

/** The resolved environment with its first panel changed: for what the input schema already refuses. */
function withFirstPanel(change: (panel: Panel) => Panel): Environment {
  const env = environment();
  return {
    ...env,
    systems: env.systems.map((system) => ({
      ...system,
      dashboards: system.dashboards.map((d) => ({ ...d, rows: d.rows.map((row) => ({ ...row, panels: row.panels.map(change) })) })),
    })),
  };
}

describe('dashboard-linter rules', () => {
  it('passes a panel that follows all of them', () => {
    expect(codes(panel())).toEqual([]);
  });

  it('wants a title, a description and a query on every panel', () => {
    expect(diagnostics(withFirstPanel((p) => ({ ...p, title: ' ' }))).map((d) => [d.code, d.path])).toEqual([['GRAFANA_PANEL_TITLE', 'dashboards[Shop overview].rows[Traffic].panels[0].title']]);
    expect(diagnostics(withFirstPanel((p) => ({ ...p, description: '' }))).map((d) => d.code)).toEqual(['GRAFANA_PANEL_DESCRIPTION']);
    expect(diagnostics(withFirstPanel((p) => ({ ...p, queries: [] }))).map((d) => d.code)).toEqual(['GRAFANA_PANEL_NO_TARGETS']);
  });

  it('wants a unit Grafana knows, and says which one was meant', () => {
    const [unknown] = diagnostics(environment({ dashboards: [withPanels(panel({ unit: 'seconds' }))] }));
    expect(unknown).toMatchObject({ code: 'GRAFANA_UNKNOWN_UNIT', path: 'dashboards[Shop overview].rows[Traffic].panels[Request rate].unit' });
    expect(unknown?.hint).toMatch(/^did you mean 's'\?/);
    expect(suggestUnit('reqsp')).toBe('reqps');
    expect(suggestUnit('Bytes')).toBe('bytes');
    expect(suggestUnit('percentunits')).toBe('percentunit');
    expect(['s', 'percentunit', 'reqps', 'bytes', 'short', 'dtdurations', 'suffix: jobs', 'currency:€'].filter((u) => !isGrafanaUnit(u))).toEqual([]);
    expect(['second', 'suffix:', 'req/s', ''].filter((u) => isGrafanaUnit(u))).toEqual([]);
  });

  it('wants counters through rate, irate or increase', () => {
    expect(codes(query('sum(http_requests_total)'))).toEqual(['GRAFANA_COUNTER_NOT_RATED']);
    expect(codes(query('http_request_duration_seconds_count'))).toEqual(['GRAFANA_COUNTER_NOT_RATED']);
    expect(codes(query('sum(increase(http_requests_total[$__range]))'))).toEqual([]);
    expect(codes(query('queue_depth'))).toEqual([]);
  });

  it('wants rate and irate windows to be $__rate_interval', () => {
    expect(codes(query('sum(rate(http_requests_total[5m]))'))).toEqual(['GRAFANA_RATE_INTERVAL']);
    expect(codes(query('sum(irate(http_requests_total[$__interval]))'))).toEqual(['GRAFANA_RATE_INTERVAL']);
    expect(codes(query('sum(rate(http_requests_total[${__rate_interval}]))'))).toEqual([]);
    // increase() over a window of the author's choice is a total, not a rate: the linter allows it.
    expect(codes(query('sum(increase(http_requests_total[1h]))'))).toEqual([]);
    const [finding] = diagnostics(environment({ dashboards: [withPanels(query('sum(rate(http_requests_total[$__interval]))'))] }));
    expect(finding?.message).toContain('rate(http_requests_total[$__interval])');
  });

  it('wants job=~"$job" and instance=~"$instance" on every service selector once the dashboard has those variables', () => {
    const filtered = query('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))');
    expect(codes(filtered)).toEqual([]);
    expect(codes(filtered, query('sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'))).toEqual(['GRAFANA_INSTANCE_MATCHER']);
    expect(codes(filtered, query('sum(rate(http_requests_total{instance="$instance"}[$__rate_interval]))'))).toEqual(['GRAFANA_JOB_MATCHER', 'GRAFANA_INSTANCE_MATCHER']);
    // Platform series are not the service's: a job picker of services does not apply to them.
    const env = environment({ dashboards: [withPanels(filtered, { ...query('sum(kube_deployment_status_replicas_available) + count(up)'), title: 'Replicas' })] }, { monitoring: { platform: [kubeStateMetrics] } });
    expect(diagnostics(env)).toEqual([]);
  });

  it('refuses a variable Kiln does not define', () => {
    expect(codes(query('queue_depth{job=~"$cluster"}'))).toEqual(['GRAFANA_UNKNOWN_VARIABLE']);
  });
});

describe('PromQL on panels', () => {
  it('reports the alert checks on the panel\'s query, with the author\'s path', () => {
    const result = diagnostics(environment({ dashboards: [withPanels(panel({ queries: [{ expr: 'queue_depth' }, { expr: 'sum(rate(http_request_total[$__rate_interval]))' }] }))] }));
    expect(result).toEqual([
      {
        code: 'UNKNOWN_METRIC',
        severity: 'error',
        file: 'environments/systems/shop.ts',
        path: 'dashboards[Shop overview].rows[Traffic].panels[Request rate].queries[1].expr',
        message: "metric 'http_request_total' is in no catalog of this environment: no service exports it and no recording rule records it",
        hint: "did you mean 'http_requests_total'? Otherwise declare it under the exporting service's metrics.exports",
      },
    ]);
    expect(codes(query('sum(rate(http_requests_total{stauts="503"}[$__rate_interval]))'))).toEqual(['UNKNOWN_LABEL']);
    expect(codes(query('histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds_bucket[$__rate_interval])))'))).toEqual(['HISTOGRAM_WITHOUT_LE']);
    expect(codes(query('rate(queue_depth[$__rate_interval])'))).toEqual(['RATE_OVER_GAUGE']);
    expect(codes(query('sum(rate(http_requests_total[30s]))'))).toEqual(['RANGE_TOO_SHORT', 'GRAFANA_RATE_INTERVAL']);
  });

  it('reads Grafana\'s variables as four scrape intervals and "All"', () => {
    expect(substituteForAnalysis('rate(x{job=~"$job",instance!~"${instance}"}[$__rate_interval]) / $__range_s', 30_000)).toBe('rate(x{job=~".+",instance!~".+"}[2m]) / 120');
    // Outside a regex matcher a variable is left alone: job="$job" matches no job.
    expect(substituteForAnalysis('x{job="$job"}[${__interval}]', 15_000)).toBe('x{job="$job"}[1m]');
    // A 1m scrape interval makes $__rate_interval 4m: never too short.
    expect(diagnostics(environment({ dashboards: [withPanels(panel())] }, { monitoring: { scrapeInterval: '1m' } }))).toEqual([]);
  });
});
