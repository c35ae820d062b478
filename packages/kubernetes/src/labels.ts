/** Labels and annotations every object carries: the recommended app.kubernetes.io set and sync waves. */
import type { Environment, Service } from '@kiln/model';
import { parseImage } from '@kiln/model';

/**
 * Argo CD applies lower waves first and waits for each to be healthy: node tuning first (its own
 * namespace, then its DaemonSets and their policy: nodes before pods), then the environment's
 * namespace, configuration (accounts, config, secrets and certificates, policies), workloads and their
 * Services, and what acts on workloads (HPA, PDB, HTTPRoutes).
 */
export const SyncWave = { nodeTuningNamespace: -4, nodeTuning: -3, namespace: -2, configuration: -1, workload: 0, workloadPolicy: 1 } as const;

export const MANAGED_BY = 'kiln';

/** The label CloudNativePG puts on every pod of a Cluster, with the Cluster's name. */
export const CLOUDNATIVE_PG_CLUSTER_LABEL = 'cnpg.io/cluster';

/**
 * The labels a selector matches on: stable for the life of the workload (no version). A managed
 * database's pods are CloudNativePG's, labelled with their Cluster's name (the service's), which
 * the policies of its flows select.
 */
export function selectorLabels(env: Environment, service: Service): Record<string, string> {
  if (service.database) return { [CLOUDNATIVE_PG_CLUSTER_LABEL]: service.name };
  return kilnSelectorLabels(env, service);
}

function kilnSelectorLabels(env: Environment, service: Service): Record<string, string> {
  return { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/instance': env.name };
}

/** A label value: at most 63 characters, alphanumeric at both ends, `-_.` inside. */
const LABEL_VALUE = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function serviceLabels(env: Environment, service: Service): Record<string, string> {
  // Image tags may run to 128 characters; a tag that is no valid label value is left off the label.
  const tag = parseImage(service.image)?.tag;
  const version = tag !== undefined && LABEL_VALUE.test(tag) ? tag : undefined;
  return {
    ...env.labels,
    ...kilnSelectorLabels(env, service),
    'app.kubernetes.io/component': service.name,
    'app.kubernetes.io/part-of': service.system,
    ...(version === undefined ? {} : { 'app.kubernetes.io/version': version }),
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Labels of objects that belong to the environment rather than one service (namespace, policies, secrets). */
export function environmentLabels(env: Environment, name: string): Record<string, string> {
  const systems = env.systems.map((system) => system.name);
  return {
    ...env.labels,
    // Object names may run to 253 characters (a policy named after two services and a port); a
    // label value stops at 63.
    ...(LABEL_VALUE.test(name) ? { 'app.kubernetes.io/name': name } : {}),
    'app.kubernetes.io/instance': env.name,
    ...(systems.length === 1 ? { 'app.kubernetes.io/part-of': systems[0] ?? '' } : {}),
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

export function metadata(name: string, namespace: string | undefined, labels: Record<string, string>, wave: number, annotations: Record<string, string> = {}) {
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    labels,
    annotations: { 'argocd.argoproj.io/sync-wave': String(wave), ...annotations },
  };
}
