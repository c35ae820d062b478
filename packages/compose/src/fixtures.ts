/**
 * Builders for resolved environments in tests: each returns a minimal valid value, and a test
 * overrides only the parts it is about. Not part of the build (see tsconfig.build.json).
 */
import { resolveEnvironment, url } from '@kiln/model';
import type { Environment, EnvironmentInput, Flow, Port, Probe, ProbeAction, Service, System } from '@kiln/model';
import type { Diagnostic } from '@kiln/model';
import type { Output } from '@kiln/core';
import type { ComposeFile } from './compose-file.js';
import { composeEmitter } from './emitter.js';

export const SYSTEM = 'shop';
export const SYSTEM_SOURCE = 'environments/systems/shop.ts';

export function service(name: string, parts: Partial<Service> = {}): Service {
  return {
    name,
    system: SYSTEM,
    image: `ghcr.io/acme/${name}:1.0.0`,
    ports: [],
    env: [],
    resources: { requests: {}, limits: {} },
    probes: {},
    scaling: { kind: 'fixed', replicas: 1 },
    terminationGracePeriodSeconds: 30,
    tools: [],
    writes: [],
    connectionPools: [],
    secretRotation: {},
    security: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    volumes: [],
    scratch: [],
    secretFiles: [],
    dependsOn: [],
    sysctls: {},
    sysctlReasons: {},
    ulimits: {},
    publishNotReadyAddresses: false,
    ...parts,
  };
}

export function port(name: string, number: number, parts: Partial<Port> = {}): Port {
  return { name, port: number, protocol: 'TCP', expose: 'internal', ...parts };
}

export function probe(action: ProbeAction, parts: Partial<Probe> = {}): Probe {
  return { action, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, ...parts };
}

/** A flow to `to` on its port named `portName`. */
export function flow(from: string, to: Service, portName: string): Flow {
  const target = to.ports.find((p) => p.name === portName);
  if (!target) throw new Error(`fixture: ${to.name} has no port ${portName}`);
  return { from, to: to.name, port: target };
}

export interface EnvironmentParts {
  readonly name?: string;
  readonly services?: readonly Service[];
  readonly flows?: readonly Flow[];
  readonly targets?: Environment['targets'];
  readonly systems?: readonly System[];
}

/** One system with the given services, and a Compose target with the default secrets directory. */
export function environment(parts: EnvironmentParts = {}): Environment {
  const name = parts.name ?? 'shop-dev';
  const system: System = { name: SYSTEM, source: SYSTEM_SOURCE, services: parts.services ?? [service('api')], flows: parts.flows ?? [], externals: [], externalFlows: [], alerts: [], recordingRules: [], slos: [], dashboards: [], procedures: [] };
  return {
    name,
    stage: 'development',
    source: `environments/${name}.ts`,
    labels: {},
    targets: parts.targets ?? { compose: { secretsDir: './secrets', hostProfile: 'docker-host' } },
    systems: parts.systems ?? [system],
    monitoring: { scrapeInterval: '30s', evaluationInterval: '30s', platform: [], labels: {} },
    tuning: { profiles: [], pods: {}, units: [], accepted: [], daemonSets: [] },
  };
}

export interface Emitted {
  readonly compose: ComposeFile;
  readonly outputs: readonly Output[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs the emitter and picks out the Compose document. */
export function emit(env: Environment): Emitted {
  const { outputs, diagnostics } = composeEmitter.emit(env);
  const file = outputs.find((output) => output.path.endsWith('/docker-compose.yml'));
  if (!file || file.format !== 'yaml') throw new Error('fixture: no docker-compose.yml emitted');
  return { compose: file.data as ComposeFile, outputs, diagnostics };
}

/**
 * A realistic environment: a Raft key-value store of three members with peers, volumes, a config
 * file, sysctls of both kinds and ulimits; a gateway with public TCP and UDP ports, secret variables,
 * a secret file and scratch space; a database with an exec probe.
 */
export function realisticEnvironment(): Environment {
  const raftPort = port('raft', 7000);
  const kv = service('kv', {
    image: 'ghcr.io/acme/raft-kv:2.3.1',
    command: ['/usr/bin/raft-kv'],
    args: ['--data', '/var/lib/kv', '--config', '/etc/kv/kv.toml'],
    ports: [port('client', 9000), raftPort, port('metrics', 9100)],
    env: [{ name: 'LOG_LEVEL', value: 'info' }],
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1500m', memory: '1536Mi' } },
    probes: { readiness: probe({ kind: 'tcp', port: 9000 }, { initialDelaySeconds: 5 }), liveness: probe({ kind: 'http', path: '/healthz', port: 9100 }) },
    tools: ['bash', 'sh'],
    scaling: { kind: 'fixed', replicas: 3 },
    stateful: { ids: [1, 2, 3], idEnv: 'NODE_ID', peers: { env: 'RAFT_PEERS', port: raftPort, format: '{id}@{host}:{port}', separator: ',' }, maxUnavailable: 1 },
    security: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    volumes: [{ name: 'data', mountPath: '/var/lib/kv', size: '20Gi' }],
    scratch: ['/tmp'],
    config: { mountPath: '/etc/kv', files: { 'kv.toml': 'election_timeout_ms = 1000\n' } },
    stopSignal: 'SIGINT',
    shutdownTimeoutSeconds: 20,
    sysctls: { 'net.core.rmem_max': '26214400', 'net.core.somaxconn': '4096', 'net.ipv4.tcp_keepalive_time': '60' },
    ulimits: { nofile: { soft: 65536, hard: 1048576 } },
  });
  const db = service('db', {
    image: 'postgres:16.4',
    ports: [port('postgres', 5432)],
    env: [{ name: 'POSTGRES_PASSWORD', secret: { name: 'db-password', key: 'value' } }],
    probes: { readiness: probe({ kind: 'exec', command: ['pg_isready', '-U', 'postgres'] }) },
    security: { runAsNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false },
    volumes: [{ name: 'pgdata', mountPath: '/var/lib/postgresql/data', size: '50Gi' }],
    scratch: ['/run/postgresql', '/tmp'],
    terminationGracePeriodSeconds: 60,
  });
  const gateway = service('gateway', {
    ports: [port('http', 8080, { expose: 'public' }), port('quic', 8443, { protocol: 'UDP', expose: 'public' }), port('gossip', 7946, { protocol: 'UDP' })],
    env: [
      { name: 'API_TOKEN', secret: { name: 'gateway', key: 'token' } },
      { name: 'DB_PASSWORD', secret: { name: 'db-password', key: 'value' } },
      { name: 'GREETING', value: 'costs $5' },
      { name: 'KV_ENDPOINTS', value: 'kv-1:9000,kv-2:9000,kv-3:9000' },
    ],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '1G' } },
    probes: {
      readiness: probe({ kind: 'http', path: '/ready', port: 8080 }, { periodSeconds: 5, timeoutSeconds: 2 }),
      startup: probe({ kind: 'http', path: '/ready', port: 8080 }, { failureThreshold: 30, periodSeconds: 2 }),
    },
    tools: ['curl'],
    scratch: ['/tmp'],
    secretFiles: [{ path: '/etc/gateway/tls.key', secret: { name: 'gateway-tls', key: 'tls.key' } }],
    dependsOn: ['db', 'kv'],
    sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000', 'fs.file-max': '2097152' },
    ulimits: { nofile: { soft: 65536, hard: 65536 } },
    terminationGracePeriodSeconds: 15,
  });
  return environment({
    name: 'shop-local',
    services: [db, gateway, kv],
    flows: [flow('gateway', db, 'postgres'), flow('gateway', kv, 'client'), flow('kv', kv, 'raft')],
  });
}

/** A chat module serving TLS and a gateway that calls it by url(), resolved from input as an environment file would be. */
export function tlsEnvironment(): Environment {
  const input: EnvironmentInput = {
    name: 'chat-dev',
    stage: 'development',
    systems: [
      {
        name: 'chat',
        services: [
          {
            name: 'chat',
            image: 'acme/chat:1.0.0',
            ports: [{ name: 'ws', port: 8082, appProtocol: 'ws', tls: true }],
            tls: { certificate: '/certs/server.crt', key: '/certs/server.key' },
            probes: { readiness: { http: { path: '/ready', port: 'ws' } } },
            tools: ['curl'],
          },
          { name: 'gateway', image: 'acme/gateway:1.0.0', env: { CHAT_URL: url('chat', 'ws') }, tls: { certificate: '/certs/server.crt', key: '/certs/server.key', ca: '/certs/ca.crt' } },
        ],
        flows: [{ from: 'gateway', to: 'chat', port: 'ws' }],
      },
    ],
    targets: { compose: {} },
  };
  const { environment: resolved, issues } = resolveEnvironment(input, { environment: 'environments/chat-dev.ts', system: () => undefined });
  if (!resolved) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return resolved;
}
