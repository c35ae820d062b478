import { validateObject } from '@kiln/core';
import type { EnvironmentInput, OverrideInput, ServiceInput } from '@kiln/model';
import { resolveEnvironment, url } from '@kiln/model';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { describe, expect, it } from 'vitest';
import { kubernetesEmitter } from './emitter.js';

const ISSUER = { issuer: { name: 'internal-ca' } };
const GATEWAY = { name: 'public', namespace: 'gateway', sectionName: 'https' };
const cluster = (extra: Record<string, unknown> = {}): EnvironmentInput['targets'] => ({ kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, namespace: 'shop', tls: ISSUER, gateway: GATEWAY, ...extra } });

/** The emitted objects by file name; none may fail its schema. */
function objects(services: ServiceInput[], overrides: Record<string, OverrideInput> = {}, targets = cluster()): Map<string, Record<string, any>> {
  const input: EnvironmentInput = { name: 'shop', stage: 'staging', systems: [{ name: 'shop', services, flows: [{ from: 'gateway', to: 'chat', port: 'ws' }] }], targets, overrides };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  const { outputs, diagnostics } = kubernetesEmitter.emit(environment);
  expect(diagnostics).toEqual([]);
  return new Map(outputs.map((o) => [o.path.replace('shop/kubernetes/', ''), (o as { data: Record<string, any> }).data] as const));
}

const TLS = { certificate: '/certs/server.crt', key: '/certs/server.key', ca: '/certs/ca.crt' };
const chat = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'chat',
  image: 'acme/chat:1.0.0',
  ports: [{ name: 'ws', port: 8082, appProtocol: 'ws', tls: true }],
  tls: TLS,
  probes: { readiness: { http: { path: '/ready', port: 'ws' } } },
  ...over,
});
const gateway: ServiceInput = {
  name: 'gateway',
  image: 'acme/gateway:1.0.0',
  ports: [
    { name: 'http', port: 8080, appProtocol: 'http', expose: 'public' },
    { name: 'p2p', port: 30303, expose: 'public' },
  ],
  env: { CHAT_URL: url('chat', 'ws') },
};

describe('certificates', () => {
  it('issues a Certificate for the Service names from the named issuer, before the pods mount its Secret', () => {
    const map = objects([chat(), gateway]);
    const certificate = map.get('certificate-chat-tls.yaml');
    expect(() => new Certificate(certificate as never).validate()).not.toThrow();
    expect(certificate?.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(certificate?.spec).toEqual({
      secretName: 'chat-tls',
      dnsNames: ['chat', 'chat.shop', 'chat.shop.svc', 'chat.shop.svc.cluster.local'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'internal-ca' },
    });
    const pod = map.get('deployment-chat.yaml')?.spec.template.spec;
    expect(pod.volumes).toEqual([{ name: 'secret-0', secret: { secretName: 'chat-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }, { key: 'tls.crt', path: 'server.crt' }, { key: 'tls.key', path: 'server.key' }] } }]);
    expect(Number(map.get('deployment-chat.yaml')?.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(-1);
    // cert-manager writes the Secret: no ExternalSecret for it.
    expect(map.has('externalsecret-chat-tls.yaml')).toBe(false);
  });

  it('probes a TLS port over HTTPS and builds wss:// URLs to it', () => {
    const map = objects([chat(), gateway]);
    expect(map.get('deployment-chat.yaml')?.spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 8082, scheme: 'HTTPS' });
    expect(map.get('deployment-gateway.yaml')?.spec.template.spec.containers[0].env).toEqual([{ name: 'CHAT_URL', value: 'wss://chat:8082' }]);
  });

  it("names a stateful service's members under its headless Service", () => {
    const map = objects([chat({ stateful: { members: 2, firstId: 1 } }), gateway]);
    expect(map.get('certificate-chat-tls.yaml')?.spec.dnsNames).toEqual([
      'chat',
      'chat.shop',
      'chat.shop.svc',
      'chat.shop.svc.cluster.local',
      'chat-headless',
      'chat-headless.shop',
      'chat-headless.shop.svc',
      'chat-headless.shop.svc.cluster.local',
      'chat-1.chat-headless',
      'chat-1.chat-headless.shop.svc',
      'chat-2.chat-headless',
      'chat-2.chat-headless.shop.svc',
    ]);
  });

  it('reads a certificate the store holds through an ExternalSecret, and issues none', () => {
    const map = objects([chat({ tls: { ...TLS, secret: 'shop-tls' } }), gateway], {}, cluster({ tls: undefined }));
    expect([...map.keys()].filter((file) => file.startsWith('certificate-'))).toEqual([]);
    expect(map.get('externalsecret-shop-tls.yaml')?.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
  });
});

describe('public routes', () => {
  const routed = { gateway: { hostnames: { http: ['api.example.org', 'www.example.org'] }, sourceRanges: ['203.0.113.0/24'] } };

  it('routes a public HTTP port through the Gateway, and keeps only L4 ports on the LoadBalancer', () => {
    const map = objects([chat(), gateway], routed);
    const route = map.get('httproute-gateway-http.yaml');
    expect(() => new HTTPRoute(route as never).validate()).not.toThrow();
    expect(route?.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gateway', name: 'public', sectionName: 'https' }],
      hostnames: ['api.example.org', 'www.example.org'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'gateway', port: 8080, weight: 1 }] }],
    });
    // The route's backend is the ClusterIP Service, which carries every port.
    expect(map.get('service-gateway.yaml')?.spec.ports.map((p: { name: string }) => p.name)).toEqual(['http', 'p2p']);
    const balancer = map.get('service-gateway-public.yaml');
    expect(balancer?.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'] });
    expect(balancer?.spec.ports.map((p: { name: string }) => p.name)).toEqual(['p2p']);
  });

  it("lets the Gateway's proxies reach the routed port, and the public only the balanced ones", () => {
    const map = objects([chat(), gateway], routed);
    expect(map.get('networkpolicy-allow-gateway-to-gateway.yaml')?.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(map.get('networkpolicy-allow-public-to-gateway.yaml')?.spec.ingress).toEqual([{ ports: [{ port: 30303, protocol: 'TCP' }] }]);
    const proxies = objects([chat(), gateway], routed, cluster({ gateway: { ...GATEWAY, proxyNamespace: 'envoy-gateway-system' } }));
    expect(proxies.get('networkpolicy-allow-gateway-to-gateway.yaml')?.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }]);
  });

  it('needs no LoadBalancer when every public port is routed', () => {
    const map = objects([chat(), { ...gateway, ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }] }], { gateway: { hostnames: { http: ['api.example.org'] } } });
    expect(map.has('service-gateway-public.yaml')).toBe(false);
    expect(map.has('networkpolicy-allow-public-to-gateway.yaml')).toBe(false);
  });

  it('validates every object, Certificates and HTTPRoutes with their CRD models', () => {
    const map = objects([chat(), gateway], routed);
    for (const object of map.values()) expect(validateObject(object as never, [Certificate, HTTPRoute] as never)).toEqual([]);
    expect(validateObject({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x' }, spec: { secretName: 'x' } } as never, [Certificate] as never)).not.toEqual([]);
  });
});
