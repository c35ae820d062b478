/** The namespace and what workloads read: ServiceAccounts, ConfigMaps and ExternalSecrets. */
import type { Environment, KubernetesTarget, Service } from '@kiln/model';
import { configFilesOf, own, SECRET_REFRESH_INTERVAL, secretsOf, servicesOf } from '@kiln/model';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { issuedSecrets } from './certificates.js';
import { environmentLabels, metadata, serviceLabels, SyncWave } from './labels.js';
import { configMapName } from './workload.js';

export function namespace(env: Environment, target: KubernetesTarget): INamespace {
  // Enforce the restricted Pod Security Standard when every pod meets it; unsafe sysctls and root
  // containers do not, and then it only warns.
  const restricted = servicesOf(env).every(
    (s) =>
      s.security.runAsNonRoot &&
      !s.security.allowPrivilegeEscalation &&
      !own(env.tuning.pods, s.name)?.unsafe,
  );
  const mode = restricted ? 'enforce' : 'warn';
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: metadata(target.namespace, undefined, { ...environmentLabels(env, target.namespace), [`pod-security.kubernetes.io/${mode}`]: 'restricted' }, SyncWave.namespace),
  };
}

export function serviceAccount(env: Environment, target: KubernetesTarget, service: Service): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(service.name, target.namespace, serviceLabels(env, service), SyncWave.configuration),
    automountServiceAccountToken: false,
  };
}

/** The service's configuration files; where members have files of their own, a ConfigMap per member with the shared files and its own. */
export function configMaps(env: Environment, target: KubernetesTarget, service: Service): IConfigMap[] {
  const config = service.config;
  if (!config) return [];
  const configMap = (name: string, data: Record<string, string>): IConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(name, target.namespace, serviceLabels(env, service), SyncWave.configuration),
    data,
  });
  if (config.memberFiles === undefined || !service.stateful) return [configMap(configMapName(service), { ...config.files })];
  return service.stateful.ids.map((id) => configMap(configMapName(service, id), configFilesOf(service, id)));
}

/**
 * Secrets never reach git: an ExternalSecret tells the External Secrets operator which remote key
 * to read, and the operator creates the Secret in the cluster.
 */
export function externalSecrets(env: Environment, target: KubernetesTarget): IExternalSecret[] {
  const store = target.secretStore;
  // cert-manager writes the Secrets of the certificates Kiln issues.
  const issued = issuedSecrets(servicesOf(env));
  return secretsOf(env).filter(({ name }) => !issued.has(name)).map(({ name, keys }) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: metadata(name, target.namespace, environmentLabels(env, name), SyncWave.configuration),
    spec: {
      refreshInterval: SECRET_REFRESH_INTERVAL,
      secretStoreRef: { kind: store.kind, name: store.name },
      target: { name, creationPolicy: 'Owner' },
      data: keys.map((key) => ({ secretKey: key, remoteRef: { key: `${store.keyPrefix}${name}`, property: key } })),
    },
  }));
}
