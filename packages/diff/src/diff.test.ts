import { describe, expect, it } from 'vitest';
import { configMap, dashboardFile, deployment, files, runbook, ruleFile, service, yamlFile } from './builders.js';
import { diffTrees } from './diff.js';
import type { ResourceChange } from './report.js';

const only = (resources: readonly ResourceChange[], name: string) => {
  const found = resources.filter((r) => r.name === name);
  expect(found.map((r) => r.name), `exactly one resource named ${name}`).toEqual([name]);
  return found[0] as ResourceChange;
};
const field = (resource: ResourceChange, path: string) => resource.fields.find((f) => f.path === path);

describe('Kubernetes objects', () => {
  it('reports field changes by path, list items by their name', () => {
    const before = files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ replicas: 3 })) });
    const after = files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ replicas: 5, image: 'ghcr.io/acme/api:1.5.0' })) });
    const report = diffTrees(before, after);
    expect(report.resources).toHaveLength(1);
    const api = only(report.resources, 'Deployment shop/api');
    expect(api).toMatchObject({ environment: 'shop', kind: 'kubernetes', type: 'Deployment', id: 'apps/v1/Deployment/shop/api', change: 'changed', file: 'shop/kubernetes/deployment-api.yaml' });
    expect(api.fields).toEqual([
      { path: 'spec.replicas', before: '3', after: '5' },
      { path: 'spec.template.spec.containers[api].image', before: 'ghcr.io/acme/api:1.4.2', after: 'ghcr.io/acme/api:1.5.0' },
    ]);
    expect(report.summary).toEqual([{ environment: 'shop', kind: 'kubernetes', added: 0, changed: 1, removed: 0, renamed: 0 }]);
  });

  it('names added and removed list items and map keys with dots', () => {
    const before = files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ env: { LOG_LEVEL: 'info', MODE: 'a' } })) });
    const after = files({ 'shop/kubernetes/deployment-api.yaml': yamlFile({ ...deployment({ env: { LOG_LEVEL: 'debug', REGION: 'eu' } }), metadata: { name: 'api', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'api', tier: 'web' } } }) });
    const api = only(diffTrees(before, after).resources, 'Deployment shop/api');
    expect(field(api, 'spec.template.spec.containers[api].env[LOG_LEVEL].value')).toEqual({ path: 'spec.template.spec.containers[api].env[LOG_LEVEL].value', before: 'info', after: 'debug' });
    expect(field(api, 'spec.template.spec.containers[api].env[REGION]')).toEqual({ path: 'spec.template.spec.containers[api].env[REGION]', after: '{"name":"REGION","value":"eu"}' });
    expect(field(api, 'spec.template.spec.containers[api].env[MODE]')?.after).toBeUndefined();
    expect(field(api, 'metadata.labels.tier')).toEqual({ path: 'metadata.labels.tier', after: 'web' });
    expect(field(api, 'metadata.labels[app.kubernetes.io/instance]')).toEqual({ path: 'metadata.labels[app.kubernetes.io/instance]', before: 'shop' });
    expect(field(api, 'metadata.annotations')).toEqual({ path: 'metadata.annotations', before: '{"argocd.argoproj.io/sync-wave":"0"}' });
  });

  it('lists an added object’s fields and a removed object by name only', () => {
    const before = files({ 'shop/kubernetes/configmap-old.yaml': yamlFile(configMap('old', { 'a.conf': 'x = 1\n' })) });
    const after = files({ 'shop/kubernetes/service-api.yaml': yamlFile(service('api')) });
    const report = diffTrees(before, after);
    expect(report.resources.map((r) => [r.change, r.name])).toEqual([
      ['removed', 'ConfigMap shop/old'],
      ['added', 'Service shop/api'],
    ]);
    const added = only(report.resources, 'Service shop/api');
    expect(field(added, 'spec.ports[http].port')).toEqual({ path: 'spec.ports[http].port', after: '8080' });
    expect(field(added, 'kind')).toEqual({ path: 'kind', after: 'Service' });
    expect(only(report.resources, 'ConfigMap shop/old').fields).toEqual([]);
    expect(report.totals).toEqual({ added: 1, changed: 0, removed: 1, renamed: 0 });
  });

  it('detects a renamed Deployment by its content, and reports what else changed', () => {
    const before = files({ 'shop/kubernetes/deployment-web.yaml': yamlFile(deployment({ name: 'web' })), 'shop/kubernetes/service-web.yaml': yamlFile(service('web')) });
    const after = files({ 'shop/kubernetes/deployment-storefront.yaml': yamlFile(deployment({ name: 'storefront', replicas: 4 })), 'shop/kubernetes/service-storefront.yaml': yamlFile(service('storefront')) });
    const report = diffTrees(before, after);
    expect(report.totals).toEqual({ added: 0, changed: 0, removed: 0, renamed: 2 });
    const renamed = only(report.resources, 'Deployment shop/storefront');
    expect(renamed).toMatchObject({ change: 'renamed', file: 'shop/kubernetes/deployment-storefront.yaml', previous: { id: 'apps/v1/Deployment/shop/web', name: 'Deployment shop/web', file: 'shop/kubernetes/deployment-web.yaml' } });
    expect(renamed.similarity).toBeGreaterThan(0.9);
    expect(field(renamed, 'metadata.name')).toEqual({ path: 'metadata.name', before: 'web', after: 'storefront' });
    expect(field(renamed, 'spec.replicas')).toEqual({ path: 'spec.replicas', before: '3', after: '4' });
    expect(field(renamed, 'spec.template.spec.containers[storefront].name')).toEqual({ path: 'spec.template.spec.containers[storefront].name', before: 'web', after: 'storefront' });
    expect(only(report.resources, 'Service shop/storefront').previous?.name).toBe('Service shop/web');
  });

  it('does not pair unlike objects or objects of different kinds', () => {
    const before = files({ 'shop/kubernetes/deployment-web.yaml': yamlFile(deployment({ name: 'web' })), 'shop/kubernetes/configmap-a.yaml': yamlFile(configMap('a', { x: '1' })) });
    const after = files({
      'shop/kubernetes/service-web.yaml': yamlFile(service('web')),
      'shop/kubernetes/configmap-b.yaml': yamlFile(configMap('b', { 'nginx.conf': 'worker_processes 4;\nevents {}\n', 'mime.types': 'text/html html\n', other: 'z' })),
    });
    const report = diffTrees(before, after);
    expect(report.totals).toEqual({ added: 2, changed: 0, removed: 2, renamed: 0 });
  });

  it('parses only the files whose bytes differ', () => {
    const broken = 'kind: [unclosed\n';
    const report = diffTrees(files({ 'shop/kubernetes/broken.yaml': broken, 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment()) }), files({ 'shop/kubernetes/broken.yaml': broken, 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment()) }));
    expect(report.resources).toEqual([]);
  });

  it('compares what does not parse line by line', () => {
    const report = diffTrees(files({ 'shop/kubernetes/broken.yaml': 'kind: [unclosed\nname: a\n' }), files({ 'shop/kubernetes/broken.yaml': 'kind: [unclosed\nname: b\n' }));
    expect(report.resources).toMatchObject([{ change: 'changed', type: 'file', fields: [{ path: '', lines: ['@@ -1,2 +1,2 @@', ' kind: [unclosed', '-name: a', '+name: b'] }] }]);
  });

  it('reports a change of the header alone as a change of the file', () => {
    const object = deployment();
    const report = diffTrees(files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(object, '# from environments/a.ts\n') }), files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(object, '# from environments/b.ts\n') }));
    expect(report.resources).toMatchObject([{ change: 'changed', type: 'file', name: 'kubernetes/deployment-api.yaml', fields: [{ path: '', lines: ['@@ -1,3 +1,3 @@', '-# from environments/a.ts', '+# from environments/b.ts', ' apiVersion: apps/v1', ' kind: Deployment'] }] }]);
  });

  it('reads a dashboard inside a ConfigMap as JSON', () => {
    const board = (threshold: number) => dashboardFile('shop', [{ title: 'Errors', threshold }]);
    const report = diffTrees(files({ 'shop/kubernetes/configmap-dashboard-shop.yaml': yamlFile(configMap('dashboard-shop', { 'shop.json': board(0.05) })) }), files({ 'shop/kubernetes/configmap-dashboard-shop.yaml': yamlFile(configMap('dashboard-shop', { 'shop.json': board(0.1) })) }));
    expect(report.resources[0]?.fields).toEqual([{ path: 'data[shop.json].panels[Errors].fieldConfig.defaults.thresholds.steps[1].value', before: '0.05', after: '0.1' }]);
  });
});

describe('grouping and order', () => {
  it('groups by environment and kind, argocd and the index on their own, in a fixed order', () => {
    const after = files({
      'README.md': '# Index\n\n## Environments\n\n- shop\n',
      'argocd/applicationset-kiln.yaml': yamlFile({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'kiln', namespace: 'argocd' }, spec: {} }),
      'zeta/runbooks/README.md': '# Runbooks\n',
      'alpha/prometheus/rules/shop.yml': ruleFile([{}]),
      'alpha/kubernetes/service-api.yaml': yamlFile(service()),
      'alpha/host/sysctl.d/60-shop.conf': 'net.core.rmem_max = 1\n',
      'alpha/compose/docker-compose.yml': yamlFile({ services: { api: { image: 'a' } } }),
    });
    const report = diffTrees(new Map(), after);
    expect(report.summary.map((r) => `${r.environment}/${r.kind}`)).toEqual(['alpha/kubernetes', 'alpha/compose', 'alpha/prometheus', 'alpha/host', 'zeta/runbooks', 'argocd/kubernetes', '(index)/other']);
    const shuffled = diffTrees(new Map(), new Map([...after].reverse()));
    expect(shuffled).toEqual(report);
  });
});

describe('Prometheus rules', () => {
  it('summarizes by alert and recording rule: expression, for, labels', () => {
    const before = files({ 'shop/prometheus/rules/shop.yml': ruleFile([{ threshold: 0.05 }, { alert: 'Slow', for: '5m', severity: 'warning' }], ['job:http_requests:rate5m']) });
    const after = files({ 'shop/prometheus/rules/shop.yml': ruleFile([{ threshold: 0.1 }, { alert: 'Slow', for: '10m', severity: 'warning' }], ['job:http_requests:rate5m', 'job:http_requests:rate1h']) });
    const report = diffTrees(before, after);
    expect(report.resources.map((r) => [r.change, r.name])).toEqual([
      ['changed', 'alert HighErrorRate (critical)'],
      ['changed', 'alert Slow (warning)'],
      ['added', 'record job:http_requests:rate1h'],
    ]);
    expect(only(report.resources, 'alert HighErrorRate (critical)').fields).toEqual([
      {
        path: 'expr',
        before: 'sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
        after: 'sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.1',
      },
    ]);
    expect(only(report.resources, 'alert Slow (warning)').fields).toEqual([{ path: 'for', before: '5m', after: '10m' }]);
    expect(field(only(report.resources, 'record job:http_requests:rate1h'), 'expr')?.after).toBe('sum by (job) (rate(http_requests_total[5m]))');
  });

  it('renames an alert whose rule stays the same', () => {
    const report = diffTrees(files({ 'shop/prometheus/rules/shop.yml': ruleFile([{ alert: 'HighErrorRate' }]) }), files({ 'shop/prometheus/rules/shop.yml': ruleFile([{ alert: 'ApiErrors' }]) }));
    expect(report.resources).toMatchObject([{ change: 'renamed', name: 'alert ApiErrors (critical)', previous: { name: 'alert HighErrorRate (critical)' }, fields: [{ path: 'alert', before: 'HighErrorRate', after: 'ApiErrors' }] }]);
  });
});

describe('dashboards, host profiles, runbooks, Compose and other files', () => {
  it('reports dashboards by panel title', () => {
    const before = files({ 'shop/grafana/dashboards/shop.json': dashboardFile('shop', [{ title: 'Requests' }, { title: 'Error ratio', threshold: 0.05 }]) });
    const after = files({ 'shop/grafana/dashboards/shop.json': dashboardFile('shop', [{ title: 'Requests', unit: 'reqps' }, { title: 'Error ratio', threshold: 0.1 }, { title: 'Latency' }]) });
    const board = only(diffTrees(before, after).resources, 'dashboard "Shop overview" (shop)');
    expect(board.fields.map((f) => [f.path, f.before, f.after])).toEqual([
      ['panels[Requests].fieldConfig.defaults.unit', 'short', 'reqps'],
      ['panels[Error ratio].fieldConfig.defaults.thresholds.steps[1].value', '0.05', '0.1'],
      ['panels[Latency]', undefined, expect.stringContaining('"title":"Latency"')],
    ]);
  });

  it('reports host profiles by key', () => {
    const report = diffTrees(
      files({ 'shop/host/sysctl.d/60-shop.conf': '# Generated by Kiln\nnet.core.rmem_max = 4194304\nfs.file-max = 100\n', 'shop/host/limits.d/60-shop.conf': 'shop soft nofile 1024\n' }),
      files({ 'shop/host/sysctl.d/60-shop.conf': '# Generated by Kiln\nnet.core.rmem_max = 8388608\nvm.swappiness = 10\n', 'shop/host/limits.d/60-shop.conf': 'shop soft nofile 65536\n' }),
    );
    expect(only(report.resources, 'host/sysctl.d/60-shop.conf').fields).toEqual([
      { path: 'net.core.rmem_max', before: '4194304', after: '8388608' },
      { path: 'vm.swappiness', after: '10' },
      { path: 'fs.file-max', before: '100' },
    ]);
    expect(only(report.resources, 'host/limits.d/60-shop.conf').fields).toEqual([{ path: 'shop soft nofile', before: '1024', after: '65536' }]);
  });

  it('reports runbooks by section', () => {
    const before = files({ 'shop/runbooks/high-error-rate.md': runbook({ Impact: 'Clients get errors.', Mitigation: '1. Roll back.\n2. Page the owner.' }) });
    const after = files({ 'shop/runbooks/high-error-rate.md': runbook({ Impact: 'Clients get errors.', Mitigation: '1. Roll back.\n2. Scale up.', Escalation: 'Call Ann.' }) });
    const book = only(diffTrees(before, after).resources, 'runbook high-error-rate.md');
    expect(book.fields).toEqual([
      { path: '## Mitigation', lines: ['@@ -1,2 +1,2 @@', ' 1. Roll back.', '-2. Page the owner.', '+2. Scale up.'] },
      { path: '## Escalation', lines: ['@@ -0,0 +1,1 @@', '+Call Ann.'] },
    ]);
  });

  it('reports Compose files by service, and finds a renamed service', () => {
    const compose = (name: string, level: string) => yamlFile({ services: { [name]: { image: 'ghcr.io/acme/web:2.0.1', environment: { LOG_LEVEL: level, UPSTREAM: 'http://api:8080' }, networks: [name] } }, networks: { [name]: { name: `shop_${name}` } } });
    const report = diffTrees(files({ 'shop/compose/docker-compose.yml': compose('web', 'info') }), files({ 'shop/compose/docker-compose.yml': compose('storefront', 'debug') }));
    expect(report.resources.map((r) => [r.change, r.name])).toEqual([
      ['changed', 'networks'],
      ['renamed', 'service storefront'],
    ]);
    expect(only(report.resources, 'service storefront').fields).toContainEqual({ path: 'environment.LOG_LEVEL', before: 'info', after: 'debug' });
  });

  it('names Compose mounts by their path in the container, so one added mount is one change', () => {
    const mount = (target: string) => ({ type: 'volume', source: target.slice(1).replace(/\//g, '-'), target });
    const compose = (volumes: unknown[]) => yamlFile({ services: { node: { image: 'ghcr.io/acme/node:1.0.0', volumes } } });
    const report = diffTrees(files({ 'e/compose/docker-compose.yml': compose([mount('/var/lib/node')]) }), files({ 'e/compose/docker-compose.yml': compose([mount('/tmp/cache'), mount('/var/lib/node')]) }));
    expect(only(report.resources, 'service node').fields).toEqual([{ path: 'volumes[/tmp/cache]', before: undefined, after: '{"type":"volume","source":"tmp-cache","target":"/tmp/cache"}' }]);
  });

  it('compares any other file line by line', () => {
    const report = diffTrees(files({ 'shop/compose/config/api/app.toml': 'a = 1\nb = 2\nc = 3\n' }), files({ 'shop/compose/config/api/app.toml': 'a = 1\nb = 20\nc = 3\n' }));
    expect(report.resources).toMatchObject([{ environment: 'shop', kind: 'compose', type: 'file', change: 'changed', fields: [{ path: '', lines: ['@@ -1,3 +1,3 @@', ' a = 1', '-b = 2', '+b = 20', ' c = 3'] }] }]);
  });
});
