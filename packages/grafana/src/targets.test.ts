/** What each target gets: sidecar ConfigMaps on Kubernetes, provisioning files on compose and hosts. */
import { describe, expect, it } from 'vitest';
import { render, validateObject } from '@kiln/core';
import type { KubernetesObject, Output } from '@kiln/core';
import type { EnvironmentInput } from '@kiln/model';
import { createGrafanaEmitter, grafanaEmitter } from './emitter.js';
import { api, dashboard, environment, kubernetes } from './fixtures.js';

const byPath = (outputs: readonly Output[], suffix: string) => outputs.find((o) => o.path.endsWith(suffix));
const dataOf = (output: Output | undefined) => (output && (output.format === 'yaml' || output.format === 'json') ? output.data : undefined);
interface ConfigMap extends KubernetesObject {
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  data: Record<string, string>;
}

describe('Kubernetes targets', () => {
  const k8s: Partial<EnvironmentInput> = { ...kubernetes, region: 'eu-west-1', monitoring: { labels: { release: 'kube-prometheus' }, grafana: { url: 'https://grafana.example.org', folder: 'Shop' } } };

  it('ship each dashboard as a sidecar ConfigMap whose data is the JSON file, byte for byte', () => {
    const env = environment({}, k8s);
    const { outputs, diagnostics } = grafanaEmitter.emit(env);
    expect(diagnostics).toEqual([]);
    expect(outputs.map((o) => o.path).sort()).toEqual(['shop-prod/grafana/dashboards/shop-shop-overview.json', 'shop-prod/kubernetes/configmap-dashboard-shop-shop-overview.yaml']);
    const file = byPath(outputs, '.json') as Output;
    const object = dataOf(byPath(outputs, '.yaml')) as ConfigMap;
    expect(object.metadata).toEqual({
      name: 'dashboard-shop-shop-overview',
      namespace: 'shop-prod',
      labels: {
        'kiln.dev/region': 'eu-west-1',
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/instance': 'shop-prod',
        'app.kubernetes.io/managed-by': 'kiln',
        release: 'kube-prometheus',
        grafana_dashboard: '1',
      },
      annotations: { 'argocd.argoproj.io/sync-wave': '2', 'k8s-sidecar-target-directory': 'Shop' },
    });
    expect(validateObject(object)).toEqual([]);
    // The file's exact text (test/dashboards.test.ts reads it back through YAML).
    expect(object.data).toEqual({ 'shop-shop-overview.json': render(file, env.source) });
  });

  it('file dashboards in a folder named after the environment unless the Grafana names one', () => {
    const object = dataOf(byPath(grafanaEmitter.emit(environment({}, kubernetes)).outputs, '.yaml')) as ConfigMap;
    expect(object.metadata.annotations['k8s-sidecar-target-directory']).toBe('shop-prod');
  });

  it('refuse a dashboard too big for a ConfigMap', () => {
    const env = environment({}, k8s);
    const size = render(byPath(grafanaEmitter.emit(env).outputs, '.json') as Output, env.source).length;
    expect(createGrafanaEmitter(size).emit(env).diagnostics).toEqual([]);
    const tooBig = createGrafanaEmitter(size - 1).emit(env);
    expect(tooBig.diagnostics).toMatchObject([{ code: 'GRAFANA_DASHBOARD_TOO_LARGE', file: 'environments/systems/shop.ts', path: 'dashboards[Shop overview]' }]);
    expect(tooBig.outputs.map((o) => o.path)).toEqual(['shop-prod/grafana/dashboards/shop-shop-overview.json']);
  });

  it('refuse a uid that cannot name a ConfigMap', () => {
    const { diagnostics } = grafanaEmitter.emit(environment({ dashboards: [dashboard({ uid: 'Shop_Overview' })] }, kubernetes));
    expect(diagnostics).toMatchObject([{ code: 'GRAFANA_UID_NOT_DNS', path: 'dashboards[Shop overview].uid' }]);
    // Grafana itself takes such a uid: without a Kubernetes target it is fine.
    expect(grafanaEmitter.emit(environment({ dashboards: [dashboard({ uid: 'Shop_Overview' })] })).diagnostics).toEqual([]);
  });
});

describe('compose and hosts targets', () => {
  it('get a dashboard provider and the Prometheus datasource, read-only', () => {
    const { outputs } = grafanaEmitter.emit(environment({}, { monitoring: { scrapeInterval: '15s' } }));
    expect(outputs.map((o) => o.path).sort()).toEqual([
      'shop-prod/grafana/dashboards/shop-shop-overview.json',
      'shop-prod/grafana/provisioning/dashboards/kiln.yaml',
      'shop-prod/grafana/provisioning/datasources/prometheus.yaml',
    ]);
    expect(dataOf(byPath(outputs, 'dashboards/kiln.yaml'))).toEqual({
      apiVersion: 1,
      providers: [{ name: 'kiln', orgId: 1, folder: 'shop-prod', type: 'file', disableDeletion: false, allowUiUpdates: false, updateIntervalSeconds: 30, options: { path: '/var/lib/grafana/dashboards', foldersFromFilesStructure: false } }],
    });
    expect(dataOf(byPath(outputs, 'prometheus.yaml'))).toEqual({
      apiVersion: 1,
      datasources: [{ name: 'Prometheus', type: 'prometheus', uid: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: true, editable: false, jsonData: { timeInterval: '15s' } }],
    });
  });

  it('reach Prometheus on the machine itself on hosts', () => {
    const hosts: Partial<EnvironmentInput> = { targets: { hosts: { machines: [{ name: 'web-1', address: '10.0.0.5', services: ['api'] }] } } };
    const datasource = dataOf(byPath(grafanaEmitter.emit(environment({}, hosts)).outputs, 'prometheus.yaml')) as { datasources: { url: string }[] };
    expect(datasource.datasources[0]?.url).toBe('http://127.0.0.1:9090');
  });

  it('get nothing from an environment without dashboards, and Kubernetes-only ones no provisioning', () => {
    expect(grafanaEmitter.emit(environment({ dashboards: [] })).outputs).toEqual([]);
    expect(grafanaEmitter.emit(environment({ services: [api({ metrics: undefined })], dashboards: [] })).outputs).toEqual([]);
    expect(grafanaEmitter.emit(environment({}, kubernetes)).outputs.filter((o) => o.path.includes('/provisioning/'))).toEqual([]);
  });
});
