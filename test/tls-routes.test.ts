/**
 * TLS between services and public routes, across packages: the committed veza production issues its
 * modules' certificates with cert-manager, calls them over https:// and wss://, and routes its API
 * through the Gateway; Services with source ranges and the Gateway's NetworkPolicies pass the strict
 * Kubernetes 1.31 and 1.36 schemas; Certificates and HTTPRoutes validate with their CRD models (the
 * shared schemas hold no cert-manager or Gateway API CRDs).
 */
import { emitters, repositoryEmitters } from '@kiln/cli';
import { compile } from '@kiln/core';
import { kubernetesEmitter } from '@kiln/kubernetes';
import { resolveEnvironment } from '@kiln/model';
import type { EnvironmentInput } from '@kiln/model';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_VERSIONS, strictSchemas } from './support/kubernetes-schemas.js';

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; spec: any };
const root = join(import.meta.dirname, '..');
let veza: Map<string, K8sObject>;

beforeAll(async () => {
  const compiled = await compile({ root, emitters, repositoryEmitters });
  veza = new Map(
    [...compiled.files]
      .filter(([path]) => path.startsWith('veza-production/kubernetes/'))
      .map(([path, content]) => [path.replace('veza-production/kubernetes/', ''), parse(content, { version: '1.1' }) as K8sObject]),
  );
}, 120_000);

/** A gateway with a routed HTTP port and an L4 port limited to a network, on a cluster with a Gateway. */
function routedObjects(): K8sObject[] {
  const input: EnvironmentInput = {
    name: 'shop',
    stage: 'development',
    systems: [{ name: 'shop', services: [{ name: 'edge', image: 'acme/edge:1.0.0', ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }, { name: 'p2p', port: 30303, expose: 'public' }] }] }],
    targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, gateway: { name: 'public', namespace: 'gateway' } } },
    overrides: { edge: { hostnames: { http: ['edge.example.org'] }, sourceRanges: ['203.0.113.0/24', '2001:db8::/32'] } },
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
  if (!environment) throw new Error(JSON.stringify(issues));
  return kubernetesEmitter.emit(environment).outputs.map((output) => (output as { data: K8sObject }).data);
}

describe('veza production', () => {
  it('issues a certificate per service that reads one, from the internal CA, and reads none from the store', () => {
    const certificates = [...veza.values()].filter((o) => o.kind === 'Certificate');
    expect(certificates.map((c) => c.metadata.name).sort()).toEqual(['api-gateway-tls', 'chat-server-tls', 'stream-server-tls']);
    for (const certificate of certificates) {
      expect(() => new Certificate(certificate as never).validate()).not.toThrow();
      expect(certificate.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'internal-ca' });
      expect(veza.has(`externalsecret-${certificate.spec.secretName}.yaml`)).toBe(false);
    }
    expect(veza.get('certificate-chat-server-tls.yaml')?.spec.dnsNames).toContain('chat-server.veza-production.svc');
  });

  it('has the gateway call the modules over TLS, and probes the modules over HTTPS', () => {
    const env = veza.get('deployment-api-gateway.yaml')?.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    expect(Object.fromEntries(env.filter((v) => v.name.endsWith('_URL')).map((v) => [v.name, v.value]))).toEqual({
      CHAT_HTTP_URL: 'https://chat-server:8083',
      CHAT_WS_URL: 'wss://chat-server:8082',
      STREAM_HTTP_URL: 'https://stream-server:8080',
      STREAM_WS_URL: 'wss://stream-server:8081',
    });
    expect(veza.get('deployment-stream-server.yaml')?.spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 8080, scheme: 'HTTPS' });
  });

  it('routes the API through the Gateway, with no LoadBalancer of its own', () => {
    const route = veza.get('httproute-api-gateway-http.yaml');
    expect(() => new HTTPRoute(route as never).validate()).not.toThrow();
    expect(route?.spec.hostnames).toEqual(['api.veza.live']);
    expect(veza.has('service-api-gateway-public.yaml')).toBe(false);
    expect(veza.get('networkpolicy-allow-gateway-to-api-gateway.yaml')?.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });
});

describe.each(STRICT_VERSIONS)('the strict Kubernetes %s schemas', (version) => {
  const schemas = strictSchemas(version);

  it.skipIf(!schemas.present)('accept a LoadBalancer with source ranges and the Gateway NetworkPolicy', () => {
    const objects = routedObjects();
    const balancer = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'edge-public');
    expect(balancer?.spec.loadBalancerSourceRanges).toEqual(['2001:db8::/32', '203.0.113.0/24']);
    for (const object of objects.filter((o) => o.kind === 'Service' || o.kind === 'NetworkPolicy')) expect(schemas.errors(object), `${object.kind} ${object.metadata.name}`).toBe('');
    // And refuse what they should, so the check means something.
    expect(schemas.errors({ ...balancer, spec: { ...balancer?.spec, loadBalancerSourceRange: ['203.0.113.0/24'] } } as K8sObject)).not.toBe('');
  });
});
