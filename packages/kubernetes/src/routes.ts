/**
 * Public HTTP routes: an HTTPRoute per port with host names, attached to the environment's Gateway,
 * which terminates TLS and forwards plain HTTP to the port through the ClusterIP Service; and the
 * NetworkPolicy that lets the Gateway's proxies reach those ports.
 */
import type { Environment, KubernetesTarget, Service } from '@kiln/model';
import { isRouted, servicesOf } from '@kiln/model';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { metadata, selectorLabels, serviceLabels, SyncWave } from './labels.js';
import { networkPolicy } from './policies.js';

export function httpRoutes(env: Environment, target: KubernetesTarget, service: Service): IHTTPRoute[] {
  const gateway = target.gateway;
  const routed = service.ports.filter(isRouted);
  if (!gateway || routed.length === 0) return [];
  // Written out as the API server stores them, defaults included (group, kind, the "/" prefix match,
  // weight): what the CRD fills in would otherwise show as drift in Argo CD's diff.
  return routed.map((port) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    // After the workload: a route the Gateway does not accept yet must not hold the pods back.
    metadata: metadata(`${service.name}-${port.name}`, target.namespace, serviceLabels(env, service), SyncWave.workloadPolicy),
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace, name: gateway.name, ...(gateway.sectionName === undefined ? {} : { sectionName: gateway.sectionName }) }],
      hostnames: [...(port.hostnames ?? [])],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: service.name, port: port.port, weight: 1 }] }],
    },
  }));
}

/** Ingress from the namespace the Gateway's proxies run in, to each service's routed ports. */
export function gatewayIngressPolicies(env: Environment, target: KubernetesTarget): INetworkPolicy[] {
  const gateway = target.gateway;
  if (!gateway) return [];
  return servicesOf(env).flatMap((service) => {
    const routed = service.ports.filter(isRouted);
    if (routed.length === 0) return [];
    return [
      networkPolicy(env, target, `allow-gateway-to-${service.name}`, {
        podSelector: { matchLabels: selectorLabels(env, service) },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gateway.proxyNamespace } } }],
            ports: routed.map((port) => ({ port: port.port, protocol: port.protocol })),
          },
        ],
      }),
    ];
  });
}
