import { describe, expect, it } from 'vitest';
import { url } from './define.js';
import type { EnvironmentInput, OverrideInput } from './environment.js';
import type { Service } from './model.js';
import { resolveEnvironment } from './resolve.js';
import type { ServiceInput } from './service.js';

const ISSUER = { issuer: { name: 'internal-ca' } };
const GATEWAY = { name: 'public', namespace: 'gateway' };
const k8s = (extra: Record<string, unknown> = {}): EnvironmentInput['targets'] => ({ kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, ...extra } });

function resolve(services: ServiceInput[], targets: EnvironmentInput['targets'] = { compose: {} }, overrides: Record<string, OverrideInput> = {}) {
  const input: EnvironmentInput = { name: 'shop', stage: 'development', systems: [{ name: 'shop', services }], targets, overrides };
  return resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
}

const codes = (result: ReturnType<typeof resolve>) => result.issues.map((issue) => issue.code);
const serviceOf = (result: ReturnType<typeof resolve>, name: string): Service | undefined => result.environment?.systems[0]?.services.find((s) => s.name === name);

const TLS = { certificate: '/certs/server.crt', key: '/certs/server.key', ca: '/certs/ca.crt' };
const chat = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'chat',
  image: 'acme/chat:1.0.0',
  ports: [
    { name: 'http', port: 8083, appProtocol: 'http', tls: true },
    { name: 'ws', port: 8082, appProtocol: 'ws', tls: true },
    { name: 'plain', port: 8084, appProtocol: 'http' },
    { name: 'grpc', port: 50052, tls: true },
  ],
  tls: TLS,
  probes: { readiness: { http: { path: '/ready', port: 'http' } }, liveness: { http: { path: '/live', port: 8084 } } },
  ...over,
});
const gateway = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'gateway',
  image: 'acme/gateway:1.0.0',
  ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }, { name: 'admin', port: 9000, expose: 'public' }],
  env: { CHAT_HTTP_URL: url('chat', 'http'), CHAT_WS_URL: url('chat', 'ws', '/socket'), PLAIN_URL: url('chat', 'plain') },
  ...over,
});

describe('TLS ports', () => {
  it('builds https and wss URLs to TLS ports, plain ones to the rest', () => {
    const env = serviceOf(resolve([chat(), gateway()]), 'gateway')?.env;
    expect(env).toEqual([
      { name: 'CHAT_HTTP_URL', value: 'https://chat:8083' },
      { name: 'CHAT_WS_URL', value: 'wss://chat:8082/socket' },
      { name: 'PLAIN_URL', value: 'http://chat:8084' },
    ]);
  });

  it('delivers the certificate as secret files of <service>-tls, or of the secret named', () => {
    const issued = serviceOf(resolve([chat()], k8s({ tls: ISSUER })), 'chat');
    expect(issued?.tls).toEqual({ secret: 'chat-tls', issued: true });
    expect(issued?.secretFiles).toEqual([
      { path: '/certs/ca.crt', secret: { name: 'chat-tls', key: 'ca.crt' } },
      { path: '/certs/server.crt', secret: { name: 'chat-tls', key: 'tls.crt' } },
      { path: '/certs/server.key', secret: { name: 'chat-tls', key: 'tls.key' } },
    ]);
    const stored = serviceOf(resolve([chat({ tls: { ...TLS, secret: 'shop-tls' } })], k8s()), 'chat');
    expect(stored?.tls).toEqual({ secret: 'shop-tls', issued: false });
  });

  it('probes a TLS port over HTTPS', () => {
    const probes = serviceOf(resolve([chat()]), 'chat')?.probes;
    expect(probes?.readiness?.action).toEqual({ kind: 'http', path: '/ready', port: 8083, tls: true });
    expect(probes?.liveness?.action).toEqual({ kind: 'http', path: '/live', port: 8084 });
  });

  it('refuses TLS on a UDP port, TLS without certificate files, and TLS metrics', () => {
    const udp = chat({ ports: [{ name: 'quic', port: 8443, protocol: 'UDP', tls: true }], probes: {} });
    expect(codes(resolve([udp]))).toEqual(['TLS_ON_UDP']);
    expect(resolve([udp]).issues[0]?.path).toEqual(['systems', 0, 'services', 0, 'ports', 0, 'tls']);
    const { tls: _, ...withoutFiles } = chat();
    expect(codes(resolve([withoutFiles]))).toEqual(['TLS_FILES_MISSING', 'TLS_FILES_MISSING', 'TLS_FILES_MISSING']);
    expect(codes(resolve([chat({ metrics: { port: 'http' } })]))).toEqual(['TLS_METRICS_PORT']);
  });

  it('needs an issuer on Kubernetes only for certificates Kiln issues', () => {
    expect(codes(resolve([chat()], k8s()))).toEqual(['TLS_ISSUER_MISSING']);
    expect(resolve([chat()], k8s()).issues[0]?.path).toEqual(['targets', 'kubernetes']);
    expect(codes(resolve([chat()], k8s({ tls: ISSUER })))).toEqual([]);
    expect(codes(resolve([chat({ tls: { ...TLS, secret: 'shop-tls' } })], k8s()))).toEqual([]);
    expect(codes(resolve([chat()], { compose: {} }))).toEqual([]);
  });

  it('lets a TLS file share its directory with nothing else', () => {
    const clash = chat({ secretFiles: [{ path: '/certs/other.pem', secret: 'other' }] });
    expect(codes(resolve([clash]))).toEqual(['MOUNT_PATH_CONFLICT']);
  });

  it('accepts a rotation mode for the certificate secret', () => {
    expect(codes(resolve([chat({ secretRotation: { 'chat-tls': 'restart' } })]))).toEqual([]);
  });

  it('refuses url() to what has no scheme', () => {
    expect(codes(resolve([chat(), gateway({ env: { A: url('chat', 'grpc'), B: url('nobody', 'http'), C: url('chat', 'nope') } })]))).toEqual(['URL_NOT_HTTP', 'UNKNOWN_SERVICE', 'UNKNOWN_PORT']);
  });
});

describe('public routes', () => {
  const routed = { gateway: { hostnames: { http: ['api.example.org'] } } };

  it('carries host names to the port and source ranges to the service', () => {
    const result = resolve([chat(), gateway()], k8s({ tls: ISSUER, gateway: GATEWAY }), { gateway: { hostnames: { http: ['api.example.org'] }, sourceRanges: ['203.0.113.0/24', '198.51.100.7/32'] } });
    expect(codes(result)).toEqual([]);
    const service = serviceOf(result, 'gateway');
    expect(service?.ports.find((p) => p.name === 'http')?.hostnames).toEqual(['api.example.org']);
    expect(service?.sourceRanges).toEqual(['198.51.100.7/32', '203.0.113.0/24']);
    expect(result.environment?.targets.kubernetes?.gateway).toEqual({ name: 'public', namespace: 'gateway', proxyNamespace: 'gateway' });
  });

  it('routes only public plain-HTTP ports, through a named Gateway', () => {
    const targets = k8s({ tls: ISSUER, gateway: GATEWAY });
    expect(codes(resolve([chat(), gateway()], targets, { gateway: { hostnames: { admin: ['admin.example.org'] } } }))).toEqual(['ROUTE_NOT_HTTP']);
    expect(codes(resolve([chat(), gateway()], targets, { chat: { hostnames: { http: ['chat.example.org'] } } }))).toEqual(['ROUTE_NOT_HTTP', 'ROUTE_NOT_PUBLIC']);
    expect(codes(resolve([chat(), gateway()], targets, { chat: { hostnames: { plain: ['chat.example.org'] } } }))).toEqual(['ROUTE_NOT_PUBLIC']);
    expect(codes(resolve([chat(), gateway()], targets, { gateway: { hostnames: { nope: ['x.example.org'] } } }))).toEqual(['UNKNOWN_PORT']);
    expect(codes(resolve([chat(), gateway()], k8s({ tls: ISSUER }), routed))).toEqual(['GATEWAY_MISSING']);
    expect(codes(resolve([chat(), gateway()], { compose: {} }, routed))).toEqual(['GATEWAY_MISSING']);
  });

  it('checks host names as the Gateway API does', () => {
    const targets = k8s({ tls: ISSUER, gateway: GATEWAY });
    expect(codes(resolve([chat(), gateway()], targets, { gateway: { hostnames: { http: ['*.example.org'] } } }))).toEqual([]);
    expect(codes(resolve([chat(), gateway()], targets, { gateway: { hostnames: { http: ['API.example.org'] } } }))).toEqual(['INVALID_VALUE']);
  });

  it('refuses source ranges nothing enforces', () => {
    const ranges = { sourceRanges: ['203.0.113.0/24'] };
    expect(codes(resolve([chat(), gateway()], { compose: {} }, { gateway: ranges }))).toEqual(['SOURCE_RANGES_UNUSED']);
    expect(codes(resolve([chat(), gateway()], k8s({ tls: ISSUER }), { chat: ranges }))).toEqual(['SOURCE_RANGES_UNUSED']);
    expect(codes(resolve([chat(), gateway()], k8s({ tls: ISSUER }), { gateway: { sourceRanges: ['203.0.113.0/33'] } }))).toEqual(['INVALID_VALUE']);
  });
});
