/**
 * A managed database on Kubernetes: a CloudNativePG Cluster instead of Kiln's own workload, Services,
 * account and budget (the operator makes its pods, the `-rw`, `-ro` and `-r` Services, its accounts
 * and PodDisruptionBudgets), a ScheduledBackup for its base backups, and a PodMonitor for the
 * exporter every instance runs. Validated against CloudNativePG 1.30's own CRDs, through the model
 * generated from them (src/generated/cloudnative-pg/).
 *
 * Backups use the Cluster's in-core `backup.barmanObjectStore`: CloudNativePG 1.26 deprecated it for
 * the Barman Cloud plugin, whose ObjectStore resource belongs to another project and CRD, and 1.31
 * removes it. It is what 1.30, the operator these CRDs come from, still runs; the database runbook
 * says so, and that the operator must not move past 1.30 before Kiln emits the plugin's objects.
 */
import type { Environment, KubernetesTarget, Service } from '@kiln/model';
import { cloudNativePgAppSecret, hasMonitoring } from '@kiln/model';
import type { ModelClass } from '@kiln/core';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { Cluster } from './generated/cloudnative-pg/postgresql.cnpg.io/v1/Cluster.js';
import type { ICluster } from './generated/cloudnative-pg/postgresql.cnpg.io/v1/Cluster.js';
import { ScheduledBackup } from './generated/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup.js';
import type { IScheduledBackup } from './generated/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup.js';
import { CLOUDNATIVE_PG_CLUSTER_LABEL, metadata, serviceLabels, SyncWave } from './labels.js';
import { nonEmpty, resourceList } from './workload.js';

/** The models the emitter validates CloudNativePG's objects with. */
export const CLOUDNATIVE_PG_MODELS: readonly ModelClass[] = [Cluster, ScheduledBackup] as unknown as ModelClass[];

/** The port of the exporter in every instance, named `metrics` in its pod. */
export const CLOUDNATIVE_PG_METRICS_PORT = { name: 'metrics', port: 9187 } as const;

/** The labels of a Cluster's PostgreSQL instances, without its other pods (jobs, poolers). */
export function instanceLabels(service: Service): Record<string, string> {
  return { [CLOUDNATIVE_PG_CLUSTER_LABEL]: service.name, 'cnpg.io/podRole': 'instance' };
}

/** The objects of a managed database: its Cluster, the ScheduledBackup when it backs up, the PodMonitor when the environment is monitored. */
export function databaseObjects(env: Environment, target: KubernetesTarget, service: Service): (ICluster | IScheduledBackup | IPodMonitor)[] {
  const backup = service.database?.backup;
  return [cluster(env, target, service), ...(backup ? [scheduledBackup(env, target, service, backup.schedule)] : []), ...(hasMonitoring(env) ? [podMonitor(env, target, service)] : [])];
}

function cluster(env: Environment, target: KubernetesTarget, service: Service): ICluster {
  const database = service.database;
  const [volume] = service.volumes;
  if (!database || !volume) throw new Error(`cloudnative-pg: '${service.name}' should have been checked as a database with one volume`);
  const backup = database.backup;
  // Like Kiln's own production workloads: instances spread over zones, so a zone's loss leaves a
  // replica to promote.
  const spread = env.stage === 'production' && database.instances > 1;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    // Before the clients (wave 0): Argo CD waits for the Cluster to be healthy, by which time the
    // operator has written the `-app` secret their variables read.
    metadata: metadata(service.name, target.namespace, serviceLabels(env, service), SyncWave.configuration),
    spec: {
      ...(service.description === undefined ? {} : { description: service.description }),
      instances: database.instances,
      imageName: database.operandImage,
      postgresql: { parameters: { ...database.parameters } },
      // The operator generates the owner's password into `<service>-app`, beside the settings clients read.
      bootstrap: { initdb: { database: database.name, owner: database.owner } },
      storage: { size: volume.size, ...(volume.storageClass === undefined ? {} : { storageClass: volume.storageClass }) },
      resources: { ...nonEmpty('requests', resourceList(service.resources.requests)), ...nonEmpty('limits', resourceList(service.resources.limits)) },
      ...(spread && {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: instanceLabels(service) } }],
      }),
      ...(backup && {
        backup: {
          barmanObjectStore: {
            destinationPath: backup.destinationPath,
            ...(backup.endpointURL === undefined ? {} : { endpointURL: backup.endpointURL }),
            s3Credentials: {
              accessKeyId: { name: backup.s3Credentials.accessKeyId.name, key: backup.s3Credentials.accessKeyId.key },
              secretAccessKey: { name: backup.s3Credentials.secretAccessKey.name, key: backup.s3Credentials.secretAccessKey.key },
            },
            // WAL segments compress several times over; base backups too, at some CPU on the instance that takes them.
            wal: { compression: 'gzip' },
            data: { compression: 'gzip' },
          },
          retentionPolicy: backup.retention,
        },
      }),
    },
  };
}

function scheduledBackup(env: Environment, target: KubernetesTarget, service: Service, schedule: string): IScheduledBackup {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: metadata(service.name, target.namespace, serviceLabels(env, service), SyncWave.workloadPolicy),
    spec: {
      schedule,
      cluster: { name: service.name },
      method: 'barmanObjectStore',
      // The first base backup right away: recovery to a point in time needs one taken before it.
      immediate: true,
      backupOwnerReference: 'self',
    },
  };
}

/**
 * The exporter of every instance, scraped as the prometheus emitter scrapes services: job the
 * service's name, instance the pod's. CloudNativePG's own `monitoring.enablePodMonitor` is deprecated.
 */
function podMonitor(env: Environment, target: KubernetesTarget, service: Service): IPodMonitor {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    // The environment's monitoring labels, as on the prometheus emitter's PodMonitors: Prometheus selects by them.
    metadata: metadata(service.name, target.namespace, { ...serviceLabels(env, service), ...env.monitoring.labels }, SyncWave.workloadPolicy),
    spec: {
      namespaceSelector: { matchNames: [target.namespace] },
      selector: { matchLabels: instanceLabels(service) },
      podMetricsEndpoints: [
        {
          port: CLOUDNATIVE_PG_METRICS_PORT.name,
          interval: env.monitoring.scrapeInterval,
          relabelings: [
            { targetLabel: 'job', replacement: service.name, action: 'replace' },
            { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'instance', action: 'replace' },
          ],
        },
      ],
    },
  };
}

/** A client's variables from managed databases: keys of the secret CloudNativePG writes for each. */
export function databaseClientEnv(service: Service): IEnvVar[] {
  return (service.databaseEnv ?? []).map((variable) => ({ name: variable.name, valueFrom: { secretKeyRef: { name: cloudNativePgAppSecret(variable.database), key: variable.setting } } }));
}
