import { describe, expect, it } from 'vitest';
import { emit, environment, port, service } from './fixtures.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE } from './monitoring.js';

const metrics = port('metrics', 9100);
const scraped = (name: string) => service(name, { ports: [metrics], metrics: { port: metrics, path: '/metrics', exports: [] } });
const alerting = {
  scrapeInterval: '30s',
  evaluationInterval: '30s',
  platform: [],
  labels: {},
  alerting: { receivers: [{ name: 'oncall', pagerduty: { routingKey: { secret: 'pd', key: 'value' } } }], routes: { critical: 'oncall', warning: 'oncall', info: 'oncall' }, groupBy: ['alertname'] },
};

describe('monitoring services', () => {
  it('adds a Prometheus that shares a network with each scraped service, and with nothing else', () => {
    const { compose: document } = emit(environment({ services: [scraped('api'), scraped('db'), service('worker')] }));
    expect(document?.services['prometheus']).toMatchObject({ image: PROMETHEUS_IMAGE, ports: ['127.0.0.1:9090:9090'], networks: ['prometheus.api', 'prometheus.db'] });
    expect(document?.services['api']?.networks).toEqual(['prometheus.api']);
    expect(document?.services['worker']?.networks).toEqual(['worker']);
    expect(document?.services['prometheus']?.volumes?.[0]).toEqual({ type: 'bind', source: '../prometheus', target: '/etc/prometheus', read_only: true });
    expect(document?.services['alertmanager']).toBeUndefined();
    expect(document?.volumes?.['prometheus-data']).toEqual({ name: 'shop-dev_prometheus-data' });
  });

  it('adds Alertmanager with its receiver secrets as Compose file secrets when the environment routes alerts', () => {
    const env = { ...environment({ services: [scraped('api')] }), monitoring: alerting };
    const { compose: document } = emit(env);
    expect(document?.services['alertmanager']).toMatchObject({ image: ALERTMANAGER_IMAGE, secrets: [{ source: 'pd', target: 'pd' }], networks: ['prometheus.alertmanager'] });
    expect(document?.services['prometheus']?.networks).toEqual(['prometheus.alertmanager', 'prometheus.api']);
    expect(document?.secrets?.['pd']).toEqual({ file: './secrets/pd' });
  });

  it('adds Grafana, sharing a network with Prometheus only, when the environment has dashboards', () => {
    const env = environment({ services: [scraped('api')] });
    const withDashboard = { ...env, systems: env.systems.map((system) => ({ ...system, dashboards: [{ uid: 'api', title: 'API', tags: [], rows: [] }] })) };
    const { compose: document } = emit(withDashboard);
    expect(document.services['grafana']).toMatchObject({ image: 'grafana/grafana:11.6.0', ports: ['127.0.0.1:3000:3000'], networks: ['grafana.prometheus'] });
    expect(document.services['prometheus']?.networks).toEqual(['grafana.prometheus', 'prometheus.api']);
    expect(document.networks?.['grafana.prometheus']).toEqual({ name: 'shop-dev_grafana.prometheus' });
  });

  it('gives Prometheus a network of its own when it scrapes nothing (rules only)', () => {
    const env = environment({ services: [service('api')] });
    const withRule = { ...env, systems: env.systems.map((system) => ({ ...system, recordingRules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)', labels: {} }] })) };
    expect(emit(withRule).compose.services['prometheus']?.networks).toEqual(['prometheus']);
  });

  it('adds nothing to an environment without monitoring', () => {
    expect(Object.keys(emit(environment({ services: [service('api')] })).compose.services ?? {})).toEqual(['api']);
  });

  it('refuses a service that takes the name of a monitoring service', () => {
    const { diagnostics } = emit(environment({ services: [scraped('prometheus')] }));
    expect(diagnostics.map((d) => d.code)).toContain('COMPOSE_NAME_CONFLICT');
  });
});
