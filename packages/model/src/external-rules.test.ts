import { describe, expect, it } from 'vitest';
import { plain } from './define.js';
import type { EnvironmentInput } from './environment.js';
import { resolveEnvironment } from './resolve.js';
import type { ServiceInput } from './service.js';
import type { SystemInput } from './system.js';

const KUBERNETES: EnvironmentInput['targets'] = { kubernetes: { cluster: 'c', version: '1.31', namespace: 'shop', secretStore: { name: 'vault' } } };

/** A key-value store of three members, and an API that calls it and a tracing collector outside. */
function system(api: Partial<ServiceInput> = {}, extra: Partial<SystemInput> = {}): SystemInput {
  return {
    name: 'shop',
    services: [
      { name: 'api', image: 'acme/api:1.0.0', ports: [{ name: 'http', port: 8080 }], ...api },
      { name: 'kv', image: 'acme/kv:1.0.0', ports: [{ name: 'client', port: 2379 }, { name: 'peer', port: 2380 }], stateful: { members: 3, firstId: 1 } },
    ],
    flows: [
      { from: 'api', to: 'kv', port: 'client' },
      { from: 'api', to: 'traces', port: 'otlp' },
      { from: 'kv', to: 'kv', port: 'peer' },
    ],
    externals: [{ name: 'traces', ports: [{ name: 'otlp', port: 4317 }] }],
    ...extra,
  };
}

function resolve(sys: SystemInput, more: Partial<EnvironmentInput> = {}) {
  const input: EnvironmentInput = { name: 'shop', stage: 'development', systems: [sys], targets: KUBERNETES, externals: { traces: { host: 'otel.observability.svc.cluster.local' } }, ...more };
  return resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
}

const issues = (result: ReturnType<typeof resolve>) => result.issues.map(({ code, path }) => ({ code, path: path.join('.') }));
const withEnv = (env: Record<string, string | { plain: string; reason: string }>, more: Partial<EnvironmentInput> = {}) => resolve(system({ env }), more);

describe('external endpoints', () => {
  it('resolve to where the environment binds them, with their flows apart from the flows between services', () => {
    const { environment, issues: found } = resolve(system());
    expect(found).toEqual([]);
    const shop = environment?.systems[0];
    expect(shop?.externals).toEqual([{ name: 'traces', address: { host: 'otel.observability.svc.cluster.local' }, ports: [{ name: 'otlp', port: 4317, protocol: 'TCP', expose: 'internal' }] }]);
    expect(shop?.externalFlows.map((flow) => [flow.from, flow.to, flow.port.port])).toEqual([['api', 'traces', 4317]]);
    expect(shop?.flows.map((flow) => flow.to)).toEqual(['kv', 'kv']);
  });

  it('must each be bound, once, to a host or a block; a binding must name a declared one', () => {
    expect(issues(resolve(system(), { externals: {} }))).toEqual([{ code: 'EXTERNAL_NOT_BOUND', path: 'externals.traces' }]);
    expect(issues(resolve(system(), { externals: { traces: { host: 'otel', cidr: '10.0.0.0/8' } } }))).toEqual([{ code: 'INVALID_VALUE', path: 'externals.traces' }]);
    expect(issues(resolve(system(), { externals: { traces: { host: 'otel' }, tracing: { host: 'otel' } } }))).toEqual([{ code: 'UNKNOWN_EXTERNAL', path: 'externals.tracing' }]);
    expect(issues(resolve(system(), { externals: { traces: { cidr: '10.0.0.0/33' } } })).map((i) => i.code)).toEqual(['INVALID_VALUE']);
    expect(issues(resolve(system(), { externals: { traces: { host: 'Not A Host' } } })).map((i) => i.code)).toEqual(['INVALID_VALUE']);
  });

  it('take part in flows on their own ports, with a service at the other end', () => {
    const flows = (list: SystemInput['flows']) => issues(resolve(system({}, { flows: list, externals: [{ name: 'traces', ports: [{ name: 'otlp', port: 4317 }] }, { name: 'clients' }] }), { externals: { traces: { host: 'otel' }, clients: { cidr: '10.20.0.0/16' } } }));
    expect(flows([{ from: 'api', to: 'traces', port: 'grpc' }])).toEqual([{ code: 'UNKNOWN_PORT', path: 'systems.0.flows.0.port' }]);
    expect(flows([{ from: 'clients', to: 'traces', port: 'otlp' }])).toEqual([{ code: 'INVALID_VALUE', path: 'systems.0.flows.0' }]);
    expect(flows([{ from: 'clients', to: 'api', port: 'http' }])).toEqual([]);
    expect(flows([{ from: 'clients', to: 'api', port: 'grpc' }])).toEqual([{ code: 'UNKNOWN_PORT', path: 'systems.0.flows.0.port' }]);
    expect(flows([{ from: 'api', to: 'tracing', port: 'otlp' }])).toEqual([{ code: 'UNKNOWN_SERVICE', path: 'systems.0.flows.0.to' }]);
  });

  it('admit clients that call in by address or cluster namespace only, on Kubernetes', () => {
    const inbound = system({}, { flows: [{ from: 'clients', to: 'api', port: 'http' }], externals: [{ name: 'clients' }] });
    expect(issues(resolve(inbound, { externals: { clients: { host: 'office.example.org' } } }))).toEqual([{ code: 'INVALID_VALUE', path: 'externals.clients' }]);
    expect(issues(resolve(inbound, { externals: { clients: { host: '192.0.2.10' } } }))).toEqual([]);
    expect(issues(resolve(inbound, { externals: { clients: { host: 'web.storefront.svc.cluster.local' } } }))).toEqual([]);
    expect(issues(resolve(inbound, { targets: { compose: {} }, externals: { clients: { host: 'office.example.org' } } }))).toEqual([]);
  });

  it('take names no service or other external has', () => {
    const clash = system({}, { externals: [{ name: 'kv', ports: [{ name: 'x', port: 1 }] }, { name: 'traces', ports: [{ name: 'otlp', port: 4317 }] }] });
    expect(issues(resolve(clash, { externals: { kv: { host: 'kv.example.org' }, traces: { host: 'otel' } } }))).toContainEqual({ code: 'DUPLICATE_NAME', path: 'systems.0.externals.0.name' });
  });
});

describe('hosts named in values', () => {
  it('resolve to services by name, in every Kubernetes DNS form, and to members by their stable names', () => {
    for (const url of [
      'http://kv:2379',
      'http://kv.shop:2379',
      'http://kv.shop.svc:2379',
      'http://kv.shop.svc.cluster.local:2379',
      'http://kv-headless.shop.svc:2379',
      'kv-1.kv-headless:2379,kv-3.kv-headless.shop.svc.cluster.local:2379',
    ]) {
      expect(issues(withEnv({ KV: url })), url).toEqual([]);
    }
    // Compose names members <service>-<id>; the Kubernetes forms resolve on Kubernetes only.
    expect(issues(withEnv({ KV: 'kv-2:2379' }, { targets: { compose: {} } }))).toEqual([]);
    expect(issues(withEnv({ KV: 'kv.shop.svc:2379' }, { targets: { compose: {} } }))).toEqual([{ code: 'UNKNOWN_HOST', path: 'systems.0.services.0.env.KV' }]);
    expect(issues(withEnv({ KV: 'kv-4.kv-headless:2379' }))).toEqual([{ code: 'UNKNOWN_HOST', path: 'systems.0.services.0.env.KV' }]);
  });

  it('resolve to bound externals by host, or by an address inside their block', () => {
    expect(issues(withEnv({ OTEL: 'http://otel.observability.svc.cluster.local:4317' }))).toEqual([]);
    const byBlock = { externals: { traces: { cidr: '10.8.0.0/16' } } };
    expect(issues(withEnv({ OTEL: '10.8.3.4:4317' }, byBlock))).toEqual([]);
    expect(issues(withEnv({ OTEL: '10.9.3.4:4317' }, byBlock))).toEqual([{ code: 'UNKNOWN_HOST', path: 'systems.0.services.0.env.OTEL' }]);
  });

  it('resolve to the machines of a hosts target, and leave loopback and listen addresses alone', () => {
    const hosts: EnvironmentInput['targets'] = { hosts: { machines: [{ name: 'kv-a', address: '192.168.1.11', services: ['kv'] }, { name: 'kv-b', address: '192.168.1.12', services: ['kv'] }, { name: 'kv-c', address: '192.168.1.13', services: ['kv'] }, { name: 'app', address: '192.168.1.20', services: ['api'] }] } };
    expect(issues(withEnv({ KV: '192.168.1.11:2379,kv-b:2379' }, { targets: hosts }))).toEqual([]);
    expect(issues(withEnv({ LISTEN: '0.0.0.0:8080', SELF: 'http://localhost:8080/health', ME: 'http://api:8080' }))).toEqual([]);
  });

  it('report an unknown host where the author wrote it: the system, an override, an argument, a configuration file', () => {
    const api: Partial<ServiceInput> = {
      env: { JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces' },
      args: ['--upstream', 'http://search.example.org:9200'],
      config: { mountPath: '/etc/api', files: { 'api.conf': 'port = 8080\nbroker = amqp://rabbitmq:5672\n' } },
    };
    const result = resolve(system(api), { overrides: { api: { env: { CACHE: 'redis://cache:6379' } } } });
    expect(issues(result)).toEqual([
      { code: 'UNKNOWN_HOST', path: 'systems.0.services.0.env.JAEGER_ENDPOINT' },
      { code: 'UNKNOWN_HOST', path: 'overrides.api.env.CACHE' },
      { code: 'UNKNOWN_HOST', path: 'systems.0.services.0.args.1' },
      { code: 'UNKNOWN_HOST', path: 'systems.0.services.0.config.files.api.conf' },
    ]);
    expect(result.issues[0]?.message).toContain("names host 'jaeger'");
    expect(result.issues[0]?.hint).toContain("externals: { <name>: { host: 'jaeger' } }");
    expect(result.issues[3]?.message).toContain('(line 2)');
  });

  it('are read from what the environment runs: its arguments, files and member count over the system\'s', () => {
    const api: Partial<ServiceInput> = { args: ['--kv=http://etcd:2379'], config: { mountPath: '/etc/api', files: { 'api.conf': 'kv = http://etcd:2379\n' } } };
    const overrides: EnvironmentInput['overrides'] = { api: { args: ['--kv=http://kv:2379', '--cache=redis://cache:6379'], configFiles: { 'api.conf': 'kv = http://kv-4.kv-headless:2379\n' } }, kv: { members: 4 } };
    expect(issues(resolve(system(api), { overrides }))).toEqual([{ code: 'UNKNOWN_HOST', path: 'overrides.api.args.1' }]);
    expect(issues(resolve(system(api), { overrides: { ...overrides, kv: {} } }))).toEqual([
      { code: 'UNKNOWN_HOST', path: 'overrides.api.args.1' },
      { code: 'UNKNOWN_HOST', path: 'overrides.api.configFiles.api.conf' },
    ]);
  });

  it('are not read from values the author marks plain, nor from a value an override replaces', () => {
    expect(issues(withEnv({ ALLOWED_ORIGINS: plain('https://shop.example.org', { reason: 'CORS origins' }) }))).toEqual([]);
    expect(issues(withEnv({ KV: 'http://etcd:2379' }, { overrides: { api: { env: { KV: 'http://kv:2379' } } } }))).toEqual([]);
  });

  it('need a flow from the value\'s service, on the port the value names', () => {
    expect(issues(withEnv({ KV: 'kv:2380' }))).toEqual([{ code: 'HOST_WITHOUT_FLOW', path: 'systems.0.services.0.env.KV' }]);
    const noFlow = resolve(system({ env: { OTEL: 'otel.observability.svc.cluster.local:4317' } }, { flows: [] }));
    expect(issues(noFlow)).toEqual([{ code: 'HOST_WITHOUT_FLOW', path: 'systems.0.services.0.env.OTEL' }]);
    expect(noFlow.issues[0]?.hint).toContain("{ from: 'api', to: 'traces', port: '<port name>' }");
  });
});
