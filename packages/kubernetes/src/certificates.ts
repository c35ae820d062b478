/**
 * Certificates for ports that serve TLS: a cert-manager Certificate per service whose certificate
 * Kiln issues, from the issuer the environment names, for the names clients reach it by. cert-manager
 * writes the Secret (`tls.crt`, `tls.key`, `ca.crt`) the pods mount; it renews it before it expires.
 */
import { hasMemberFiles, memberPodName } from '@kiln/model';
import type { Environment, KubernetesTarget, Service } from '@kiln/model';
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { metadata, serviceLabels, SyncWave } from './labels.js';
import { headlessServiceName } from './services.js';
import { isStatefulSet } from './workload.js';

/** The Secrets cert-manager writes for an environment's services: no ExternalSecret for them. */
export function issuedSecrets(services: readonly Service[]): Set<string> {
  return new Set(services.flatMap((service) => (service.tls?.issued ? [service.tls.secret] : [])));
}

export function certificate(env: Environment, target: KubernetesTarget, service: Service): ICertificate | undefined {
  const issuer = target.tls?.issuer;
  if (!service.tls?.issued) return undefined;
  // The rules require an issuer wherever Kiln issues a certificate.
  if (!issuer) throw new Error(`certificate: '${service.name}' needs targets.kubernetes.tls, which the rules check`);
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    // Configuration wave: Argo CD waits for the Certificate to be Ready, so the Secret exists before the pods mount it.
    metadata: metadata(service.tls.secret, target.namespace, serviceLabels(env, service), SyncWave.configuration),
    spec: {
      secretName: service.tls.secret,
      dnsNames: dnsNames(target.namespace, service),
      issuerRef: { group: 'cert-manager.io', kind: issuer.kind, name: issuer.name },
    },
  };
}

/**
 * Every name a client in the cluster reaches the service by: the Service's, short to fully
 * qualified, and for a StatefulSet its headless Service's and each member's stable name under it
 * (peer lists use those).
 */
export function dnsNames(namespace: string, service: Service): string[] {
  const qualified = (name: string) => [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
  if (!isStatefulSet(service)) return qualified(service.name);
  const headless = headlessServiceName(service);
  const members = service.stateful?.ids ?? [];
  const pod = (id: number) => memberPodName(service.name, id, hasMemberFiles(service));
  return [...qualified(service.name), ...qualified(headless), ...members.flatMap((id) => [`${pod(id)}.${headless}`, `${pod(id)}.${headless}.${namespace}.svc`])];
}
