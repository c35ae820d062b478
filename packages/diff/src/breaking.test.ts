import { describe, expect, it } from 'vitest';
import { breakingDiagnostics } from './acknowledgements.js';
import type { Acknowledging } from './acknowledgements.js';
import { breakingChanges } from './breaking.js';
import { deployment, files, persistentVolumeClaim, service, statefulSet, yamlFile } from './builders.js';

const DB = 'shop/kubernetes/statefulset-db.yaml';

/** The breaking changes from one version of a file to another. */
const changesOf = (path: string, before: unknown, after: unknown) => breakingChanges(files({ [path]: yamlFile(before) }), files({ [path]: yamlFile(after) }));
const withSpec = (object: Record<string, unknown>, spec: Record<string, unknown>) => ({ ...object, spec: { ...(object.spec as object), ...spec } });

describe('volumes', () => {
  it('refuses a smaller claim template, naming the volume and both sizes', () => {
    expect(changesOf(DB, statefulSet({ volumes: { data: '10Gi' } }), statefulSet({ volumes: { data: '5Gi' } }))).toEqual([
      {
        environment: 'shop',
        file: DB,
        object: 'StatefulSet/db',
        namespace: 'shop',
        change: 'volume-shrink',
        fields: [{ path: 'spec.volumeClaimTemplates[data].spec.resources.requests.storage', before: '10Gi', after: '5Gi' }],
      },
    ]);
  });

  it('compares sizes as quantities: 10Gi is 10240Mi, 1Gi is more than 1000Mi', () => {
    expect(changesOf(DB, statefulSet({ volumes: { data: '10Gi' } }), statefulSet({ volumes: { data: '10240Mi' } }))).toEqual([]);
    expect(changesOf(DB, statefulSet({ volumes: { data: '1Gi' } }), statefulSet({ volumes: { data: '1000Mi' } })).map((c) => c.change)).toEqual(['volume-shrink']);
    expect(changesOf(DB, statefulSet({ volumes: { data: '1G' } }), statefulSet({ volumes: { data: '1000Mi' } })).map((c) => c.change)).toEqual(['volume-claim-templates']);
  });

  it('takes a default the API server fills in as written: volumeMode, apiVersion, kind', () => {
    const bare = statefulSet();
    const templates = (bare.spec as { volumeClaimTemplates: { spec: object }[] }).volumeClaimTemplates;
    const written = withSpec(bare, { volumeClaimTemplates: templates.map((t) => ({ ...t, spec: { ...t.spec, volumeMode: 'Filesystem' } })) });
    const unwritten = withSpec(bare, { volumeClaimTemplates: templates.map(({ spec }) => ({ metadata: { name: 'data' }, spec })) });
    expect(changesOf(DB, unwritten, written)).toEqual([]);
    expect(changesOf(DB, written, withSpec(bare, { volumeClaimTemplates: templates.map((t) => ({ ...t, spec: { ...t.spec, volumeMode: 'Block' } })) })).map((c) => c.change)).toEqual(['volume-claim-templates']);
  });

  it('refuses any other change of the claim templates: a larger size, a storage class, a new volume', () => {
    const grown = changesOf(DB, statefulSet({ volumes: { data: '10Gi' } }), statefulSet({ volumes: { data: '20Gi' } }));
    expect(grown).toMatchObject([{ change: 'volume-claim-templates', fields: [{ path: 'spec.volumeClaimTemplates[data].spec.resources.requests.storage', before: '10Gi', after: '20Gi' }] }]);
    const classed = changesOf(DB, statefulSet(), statefulSet({ storageClass: 'fast' }));
    expect(classed).toMatchObject([{ change: 'volume-claim-templates', fields: [{ path: 'spec.volumeClaimTemplates[data].spec.storageClassName', after: 'fast' }] }]);
    const added = changesOf(DB, statefulSet(), statefulSet({ volumes: { data: '10Gi', wal: '5Gi' } }));
    expect(added).toMatchObject([{ change: 'volume-claim-templates', fields: [{ path: 'spec.volumeClaimTemplates[wal]' }] }]);
  });

  it('refuses a smaller PersistentVolumeClaim and lets one grow', () => {
    const path = 'shop/kubernetes/persistentvolumeclaim-cache.yaml';
    expect(changesOf(path, persistentVolumeClaim('cache', '2Gi'), persistentVolumeClaim('cache', '1536Mi'))).toMatchObject([
      { object: 'PersistentVolumeClaim/cache', change: 'volume-shrink', fields: [{ path: 'spec.resources.requests.storage', before: '2Gi', after: '1536Mi' }] },
    ]);
    expect(changesOf(path, persistentVolumeClaim('cache', '2Gi'), persistentVolumeClaim('cache', '4Gi'))).toEqual([]);
  });
});

describe('immutable fields', () => {
  it("refuses a StatefulSet's serviceName and podManagementPolicy, and lets replicas and the template change", () => {
    expect(changesOf(DB, statefulSet(), statefulSet({ serviceName: 'db-members' }))).toMatchObject([{ change: 'service-name', fields: [{ path: 'spec.serviceName', before: 'db-headless', after: 'db-members' }] }]);
    expect(changesOf(DB, statefulSet(), statefulSet({ podManagementPolicy: 'Parallel' }))).toMatchObject([{ change: 'pod-management-policy', fields: [{ path: 'spec.podManagementPolicy', before: 'OrderedReady', after: 'Parallel' }] }]);
    // Absent is the API server's default: writing it out changes nothing.
    expect(changesOf(DB, statefulSet(), statefulSet({ podManagementPolicy: 'OrderedReady' }))).toEqual([]);
    const before = statefulSet();
    const after = withSpec(statefulSet({ replicas: 5 }), { template: { metadata: { labels: { 'app.kubernetes.io/name': 'db' } }, spec: { containers: [{ name: 'db', image: 'ghcr.io/acme/db:2.0.0' }] } } });
    expect(changesOf(DB, before, after)).toEqual([]);
  });

  it("refuses a workload's selector, and not its labels elsewhere", () => {
    const path = 'shop/kubernetes/deployment-api.yaml';
    const before = deployment();
    const after = withSpec(deployment(), { selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop', tier: 'web' } } });
    expect(changesOf(path, before, after)).toMatchObject([{ object: 'Deployment/api', change: 'selector', fields: [{ path: 'spec.selector.matchLabels.tier', after: 'web' }] }]);
    expect(changesOf(DB, statefulSet(), statefulSet({ selector: { app: 'db' } })).map((c) => c.change)).toEqual(['selector']);
    expect(changesOf(path, before, deployment({ replicas: 7, image: 'ghcr.io/acme/api:2.0.0' }))).toEqual([]);
  });

  it('refuses a Service switching between headless and not, either way; a type change is no breaking change', () => {
    const path = 'shop/kubernetes/service-api.yaml';
    const clusterIp = withSpec(service(), { type: 'ClusterIP' });
    const headless = withSpec(service(), { clusterIP: 'None' });
    expect(changesOf(path, clusterIp, headless)).toMatchObject([{ object: 'Service/api', change: 'headless', fields: [{ path: 'spec.clusterIP', after: 'None' }] }]);
    expect(changesOf(path, headless, clusterIp)).toMatchObject([{ change: 'headless', fields: [{ path: 'spec.clusterIP', before: 'None' }] }]);
    expect(changesOf(path, clusterIp, withSpec(service(), { type: 'LoadBalancer' }))).toEqual([]);
    expect(changesOf(path, withSpec(service(), { type: 'ExternalName', externalName: 'db.example.com' }), headless)).toEqual([]);
  });

  it('compares an object only with itself: same environment, kind, namespace and name', () => {
    const before = files({ [DB]: yamlFile(statefulSet({ volumes: { data: '10Gi' } })) });
    expect(breakingChanges(before, files({ [DB]: yamlFile(statefulSet({ namespace: 'other', volumes: { data: '1Gi' } })) }))).toEqual([]);
    expect(breakingChanges(before, files({ 'other/kubernetes/statefulset-db.yaml': yamlFile(statefulSet({ volumes: { data: '1Gi' } })) }))).toEqual([]);
    expect(breakingChanges(files({}), files({ [DB]: yamlFile(statefulSet()) }))).toEqual([]);
    expect(breakingChanges(before, files({}))).toEqual([]);
  });
});

describe('acknowledgements', () => {
  const shrink = changesOf(DB, statefulSet({ volumes: { data: '10Gi' } }), statefulSet({ volumes: { data: '5Gi' } }));
  const templates = changesOf(DB, statefulSet(), statefulSet({ storageClass: 'fast' }));
  const shop = (acknowledge: Acknowledging['acknowledge'] = []): Acknowledging => ({ name: 'shop', source: 'environments/shop.ts', acknowledge });

  it('makes an unacknowledged change an error naming the object, the fields and the procedure', () => {
    const [error, ...rest] = breakingDiagnostics([...shrink, ...templates], [shop()], { stale: false });
    expect(error).toMatchObject({ code: 'VOLUME_SHRINK', severity: 'error', file: 'environments/shop.ts' });
    expect(error?.message).toContain(`StatefulSet/db (generated/${DB}) changes spec.volumeClaimTemplates[data].spec.resources.requests.storage: 10Gi → 5Gi`);
    expect(error?.hint).toContain("acknowledge: [{ change: 'volume-shrink', object: 'StatefulSet/db', reason: '…' }]");
    expect(rest).toMatchObject([{ code: 'IMMUTABLE_FIELD_CHANGED', severity: 'error' }]);
    expect(rest[0]?.hint).toContain('kubectl -n shop delete statefulset db --cascade=orphan');
  });

  it('lets an acknowledged change through, and only that change of that object', () => {
    const acknowledged = shop([{ change: 'volume-shrink', object: 'StatefulSet/db', reason: 'data moved to the new cluster' }]);
    expect(breakingDiagnostics(shrink, [acknowledged], { stale: true })).toEqual([]);
    expect(breakingDiagnostics(templates, [acknowledged], { stale: false }).map((d) => d.code)).toEqual(['IMMUTABLE_FIELD_CHANGED']);
    expect(breakingDiagnostics(shrink, [shop([{ change: 'volume-shrink', object: 'StatefulSet/cache', reason: 'r' }])], { stale: false }).map((d) => d.code)).toEqual(['VOLUME_SHRINK']);
  });

  it('names the acknowledgement that misspells the object it meant', () => {
    const [error] = breakingDiagnostics(shrink, [shop([{ change: 'volume-shrink', object: 'StatefulSet/bd', reason: 'r' }])], { stale: false });
    expect(error?.hint).toMatch(/^acknowledge\[0\] names 'StatefulSet\/bd': did you mean 'StatefulSet\/db'\? /);
  });

  it('warns about an acknowledgement that matches no change, against a base only', () => {
    const environment = shop([
      { change: 'volume-shrink', object: 'StatefulSet/db', reason: 'r' },
      { change: 'selector', object: 'Deployment/api', reason: 'r' },
    ]);
    expect(breakingDiagnostics(shrink, [environment], { stale: true })).toEqual([expect.objectContaining({ code: 'ACKNOWLEDGEMENT_STALE', severity: 'warning', file: 'environments/shop.ts', path: 'acknowledge[1]' })]);
    expect(breakingDiagnostics(shrink, [environment], { stale: false })).toEqual([]);
  });
});
