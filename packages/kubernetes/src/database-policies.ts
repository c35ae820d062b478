/**
 * The NetworkPolicies a CloudNativePG Cluster needs beyond its clients' flows (which select its pods
 * through `selectorLabels`): the operator reaches every instance on 8000 (the instance manager) and
 * 5432 (CloudNativePG's networking docs); instances reach each other on both, for streaming
 * replication and status during failover; Prometheus reaches the exporter.
 *
 * Egress is a policy of its own, beside the egress of the database's flows (edge-policies.ts): all an
 * instance calls, DNS, the API server (the instance manager watches its Cluster), the other
 * instances and the object store. It is complete by itself, whatever the environment's egress default.
 */
import type { Environment, KubernetesTarget, Service } from '@kiln/model';
import { hasMonitoring, servicesOf } from '@kiln/model';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { CLOUDNATIVE_PG_METRICS_PORT, instanceLabels } from './cloudnative-pg.js';
import { DNS_EGRESS } from './edge-policies.js';
import { CLOUDNATIVE_PG_CLUSTER_LABEL } from './labels.js';
import { networkPolicy } from './policies.js';

/** Where the operator runs: the namespace of CloudNativePG's release manifest and Helm chart, and its pods' label. */
export const CLOUDNATIVE_PG_OPERATOR = { namespace: 'cnpg-system', labels: { 'app.kubernetes.io/name': 'cloudnative-pg' } } as const;

/** The instance manager's port: status, backups and failover, for the operator and the other instances. */
const INSTANCE_MANAGER_PORT = 8000;
const POSTGRES = 5432;

export function databasePolicies(env: Environment, target: KubernetesTarget): INetworkPolicy[] {
  return servicesOf(env).flatMap((service) => (service.database ? [...databaseIngress(env, target, service), databaseEgress(env, target, service)] : []));
}

function databaseIngress(env: Environment, target: KubernetesTarget, service: Service): INetworkPolicy[] {
  const instances = { podSelector: { matchLabels: instanceLabels(service) } };
  const cluster = { matchLabels: { [CLOUDNATIVE_PG_CLUSTER_LABEL]: service.name } };
  const ports = [INSTANCE_MANAGER_PORT, POSTGRES].map((port) => ({ port, protocol: 'TCP' as const }));
  const policies = [
    networkPolicy(env, target, `allow-cloudnative-pg-to-${service.name}`, {
      podSelector: cluster,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLOUDNATIVE_PG_OPERATOR.namespace } }, podSelector: { matchLabels: { ...CLOUDNATIVE_PG_OPERATOR.labels } } }], ports }],
    }),
    networkPolicy(env, target, `allow-${service.name}-replication`, { podSelector: cluster, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: cluster }], ports }] }),
  ];
  if (hasMonitoring(env)) {
    policies.push(
      networkPolicy(env, target, `allow-monitoring-to-${service.name}`, {
        podSelector: instances.podSelector,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': target.monitoringNamespace } } }], ports: [{ port: CLOUDNATIVE_PG_METRICS_PORT.port, protocol: 'TCP' }] }],
      }),
    );
  }
  return policies;
}

/**
 * The object store and the API server are outside the cluster's pods, known by name or behind a
 * Service address: a NetworkPolicy cannot select them by name, so their ports are open to any
 * address. The API server listens on 6443 behind the `kubernetes` Service's 443; policies see either,
 * depending on the network plugin.
 */
function databaseEgress(env: Environment, target: KubernetesTarget, service: Service): INetworkPolicy {
  const cluster = { matchLabels: { [CLOUDNATIVE_PG_CLUSTER_LABEL]: service.name } };
  const store = service.database?.backup;
  const storePort = store ? objectStorePort(store.endpointURL) : undefined;
  const anywhere = [443, 6443, ...(storePort === undefined || storePort === 443 ? [] : [storePort])];
  return networkPolicy(env, target, `allow-egress-from-${service.name}`, {
    podSelector: cluster,
    policyTypes: ['Egress'],
    egress: [
      DNS_EGRESS,
      { to: [{ podSelector: cluster }], ports: [INSTANCE_MANAGER_PORT, POSTGRES].map((port) => ({ port, protocol: 'TCP' as const })) },
      { ports: anywhere.map((port) => ({ port, protocol: 'TCP' as const })) },
    ],
  });
}

/** The object store's port: its endpoint's, else HTTPS (AWS S3). */
function objectStorePort(endpointURL: string | undefined): number {
  if (endpointURL === undefined) return 443;
  const url = new URL(endpointURL);
  return url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
}
