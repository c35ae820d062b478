import { validateObject } from '@kiln/core';
import type { Environment, EnvironmentInput, OverrideInput, ServiceInput } from '@kiln/model';
import { resolveEnvironment, secret } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { CLOUDNATIVE_PG_MODELS } from './cloudnative-pg.js';
import { kubernetesEmitter } from './emitter.js';

const BACKUP = {
  destinationPath: 's3://shop-backups/production',
  endpointURL: 'https://minio.storage.example:9000',
  s3Credentials: { accessKeyId: secret('shop-backup-s3', 'access-key-id'), secretAccessKey: secret('shop-backup-s3', 'secret-access-key') },
  retention: '30d',
  schedule: '0 0 3 * * *',
};

const db: ServiceInput = {
  name: 'db',
  description: 'Orders and customers',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  maxConnections: 200,
  resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '50Gi', storageClass: 'fast-ssd' }],
  database: { engine: 'postgresql', name: 'shop', owner: 'shop', password: secret('shop-db-password'), operandImage: 'ghcr.io/cloudnative-pg/postgresql:16.4-system-bookworm', parameters: { shared_buffers: '1GB' } },
};
const api: ServiceInput = {
  name: 'api',
  image: 'acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080 }],
  databaseEnv: { DATABASE_URL: { database: 'db' }, DB_HOST: { database: 'db', setting: 'host' } },
};

function environment(overrides: Record<string, OverrideInput> = { db: { database: { instances: 3, backup: BACKUP } } }, extra: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = {
    name: 'shop-prod',
    stage: 'production',
    systems: [{ name: 'shop', services: [db, api], flows: [{ from: 'api', to: 'db', port: 'postgres' }] }],
    targets: { kubernetes: { cluster: 'prod-eu', version: '1.31', secretStore: { name: 'vault' } } },
    overrides,
    ...extra,
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop-prod.ts', system: () => 'environments/systems/shop.ts' });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return environment;
}

function emit(env: Environment) {
  const result = kubernetesEmitter.emit(env);
  const objects = new Map(result.outputs.map((o) => [o.path.replace(`${env.name}/kubernetes/`, ''), (o as { data: Record<string, any> }).data]));
  return { objects, diagnostics: result.diagnostics };
}

/** Prometheus scrapes the environment: a service declares metrics. */
const monitored: Partial<EnvironmentInput> = {
  systems: [{ name: 'shop', services: [db, { ...api, ports: [...(api.ports ?? []), { name: 'metrics', port: 9090 }], metrics: { port: 'metrics' } }], flows: [{ from: 'api', to: 'db', port: 'postgres' }] }],
};

describe('a managed database on Kubernetes', () => {
  it('is a CloudNativePG Cluster, valid against the operator’s CRD, instead of Kiln’s workload objects', () => {
    const { objects, diagnostics } = emit(environment());
    expect(diagnostics).toEqual([]);
    for (const name of ['statefulset-db.yaml', 'service-db.yaml', 'service-db-headless.yaml', 'serviceaccount-db.yaml', 'poddisruptionbudget-db.yaml']) expect(objects.has(name), name).toBe(false);
    const cluster = objects.get('cluster-db.yaml');
    expect(cluster?.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(cluster?.spec).toEqual({
      description: 'Orders and customers',
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4-system-bookworm',
      postgresql: { parameters: { max_connections: '200', shared_buffers: '1GB' } },
      bootstrap: { initdb: { database: 'shop', owner: 'shop' } },
      storage: { size: '50Gi', storageClass: 'fast-ssd' },
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } } }],
      backup: {
        barmanObjectStore: {
          destinationPath: 's3://shop-backups/production',
          endpointURL: 'https://minio.storage.example:9000',
          s3Credentials: { accessKeyId: { name: 'shop-backup-s3', key: 'access-key-id' }, secretAccessKey: { name: 'shop-backup-s3', key: 'secret-access-key' } },
          wal: { compression: 'gzip' },
          data: { compression: 'gzip' },
        },
        retentionPolicy: '30d',
      },
    });
    expect(objects.get('scheduledbackup-db.yaml')?.spec).toEqual({ schedule: '0 0 3 * * *', cluster: { name: 'db' }, method: 'barmanObjectStore', immediate: true, backupOwnerReference: 'self' });
    for (const object of objects.values()) expect(validateObject(object as never, CLOUDNATIVE_PG_MODELS), `${object.kind} ${object.metadata.name}`).toEqual([]);
  });

  it('is checked against the CRD: a Cluster the API server would refuse is an error', () => {
    const cluster = emit(environment()).objects.get('cluster-db.yaml') as Record<string, any>;
    const check = (object: Record<string, unknown>) => validateObject(object as never, CLOUDNATIVE_PG_MODELS)[0];
    expect(check({ ...cluster, spec: { ...cluster.spec, instances: 0 } })).toMatch(/instances must be >= 1/);
    expect(check({ ...cluster, spec: { ...cluster.spec, backup: { ...cluster.spec.backup, retentionPolicy: '30 days' } } })).toMatch(/retentionPolicy/);
    expect(check({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'x' }, spec: { cluster: { name: 'db' } } })).toMatch(/schedule/);
  });

  it('gives clients their settings from the secret CloudNativePG writes, after the Cluster', () => {
    const { objects } = emit(environment());
    const deployment = objects.get('deployment-api.yaml');
    expect(deployment?.spec.template.spec.containers[0].env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-app', key: 'uri' } } },
      { name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'db-app', key: 'host' } } },
    ]);
    expect(Number(deployment?.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(Number(objects.get('cluster-db.yaml')?.metadata.annotations['argocd.argoproj.io/sync-wave']));
  });

  it('reads the object store’s credentials from the secret store, and not the password CloudNativePG generates', () => {
    const { objects } = emit(environment());
    expect([...objects.keys()].filter((name) => name.startsWith('externalsecret-'))).toEqual(['externalsecret-shop-backup-s3.yaml']);
    expect(objects.get('externalsecret-shop-backup-s3.yaml')?.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['access-key-id', 'secret-access-key']);
  });

  it('admits its clients’ flows, the operator, its own instances and Prometheus, and lets its instances reach what they call', () => {
    const { objects } = emit(environment(undefined, monitored));
    expect(objects.get('networkpolicy-allow-api-to-db-postgres.yaml')?.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'db' } });
    const operator = objects.get('networkpolicy-allow-cloudnative-pg-to-db.yaml')?.spec;
    expect(operator.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } } }],
        ports: [{ port: 8000, protocol: 'TCP' }, { port: 5432, protocol: 'TCP' }],
      },
    ]);
    expect(objects.get('networkpolicy-allow-db-replication.yaml')?.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'db' } } }]);
    expect(objects.get('networkpolicy-allow-monitoring-to-db.yaml')?.spec.ingress[0].ports).toEqual([{ port: 9187, protocol: 'TCP' }]);
    const egress = objects.get('networkpolicy-allow-egress-from-db.yaml')?.spec;
    expect(egress.policyTypes).toEqual(['Egress']);
    expect(egress.egress.at(-1)).toEqual({ ports: [443, 6443, 9000].map((port) => ({ port, protocol: 'TCP' })) });
  });

  it('is scraped through a PodMonitor of its instances when the environment is monitored', () => {
    expect(emit(environment()).objects.has('podmonitor-db.yaml')).toBe(false);
    const monitor = emit(environment(undefined, monitored)).objects.get('podmonitor-db.yaml');
    expect(monitor?.spec.selector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } });
    expect(monitor?.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'metrics', relabelings: [{ targetLabel: 'job', replacement: 'db' }, { targetLabel: 'instance' }] });
  });

  it('runs one instance without backups outside production, with no ScheduledBackup and no zone spread', () => {
    const { objects, diagnostics } = emit(environment({}, { stage: 'staging' }));
    expect(diagnostics).toEqual([]);
    expect(objects.get('cluster-db.yaml')?.spec).toMatchObject({ instances: 1 });
    expect(objects.get('cluster-db.yaml')?.spec.backup).toBeUndefined();
    expect(objects.get('cluster-db.yaml')?.spec.topologySpreadConstraints).toBeUndefined();
    expect(objects.has('scheduledbackup-db.yaml')).toBe(false);
    expect(objects.get('networkpolicy-allow-egress-from-db.yaml')?.spec.egress.at(-1)).toEqual({ ports: [443, 6443].map((port) => ({ port, protocol: 'TCP' })) });
  });
});
