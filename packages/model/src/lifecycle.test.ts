import { describe, expect, it } from 'vitest';
import type { EnvironmentInput, OverrideInput } from './environment.js';
import { configHash, kubernetesStop, restartSecrets } from './lifecycle.js';
import { resolveEnvironment } from './resolve.js';
import { secret } from './define.js';
import type { ServiceInput } from './service.js';

const k8s = (version = '1.31', featureGates: 'ContainerStopSignals'[] = []): EnvironmentInput['targets'] => ({ kubernetes: { cluster: 'c', version, secretStore: { name: 'vault' }, featureGates } });

function resolve(services: ServiceInput[], targets: EnvironmentInput['targets'] = { compose: {} }, overrides: Record<string, OverrideInput> = {}) {
  const input: EnvironmentInput = { name: 'shop', stage: 'development', systems: [{ name: 'shop', services }], targets, overrides };
  return resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
}

const codes = (result: ReturnType<typeof resolve>) => result.issues.map((issue) => issue.code);
const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({ name: 'api', image: 'acme/api:1.0.0', ...over });

describe('stop signals', () => {
  it('lets the runtime stop a service that drains on SIGTERM or declares nothing', () => {
    expect(kubernetesStop({ tools: [] }, { minor: 31, featureGates: [] })).toEqual({ kind: 'runtime' });
    expect(kubernetesStop({ stopSignal: 'SIGTERM', tools: [] }, { minor: 31, featureGates: [] })).toEqual({ kind: 'runtime' });
  });

  it('uses lifecycle.stopSignal only from 1.33 with the ContainerStopSignals gate', () => {
    expect(kubernetesStop({ stopSignal: 'SIGINT', tools: [] }, { minor: 33, featureGates: ['ContainerStopSignals'] })).toEqual({ kind: 'lifecycle', signal: 'SIGINT' });
    expect(kubernetesStop({ stopSignal: 'SIGINT', tools: [] }, { minor: 36, featureGates: [] })).toBeUndefined();
  });

  it('falls back to a preStop hook that signals PID 1 with the tools the image has', () => {
    expect(kubernetesStop({ stopSignal: 'SIGQUIT', tools: ['kill', 'sh'] }, { minor: 31, featureGates: [] })).toMatchObject({ kind: 'preStop', command: ['kill', '-QUIT', '1'] });
    expect(kubernetesStop({ stopSignal: 'SIGINT', tools: ['sh'] }, { minor: 31, featureGates: [] })).toMatchObject({ kind: 'preStop', command: ['/bin/sh', '-c', 'kill -INT 1'] });
  });

  it('refuses a signal the cluster cannot deliver, and only on Kubernetes', () => {
    const drainsOnSigint = api({ stopSignal: 'SIGINT' });
    expect(codes(resolve([drainsOnSigint], k8s()))).toEqual(['STOP_SIGNAL_UNDELIVERABLE']);
    expect(resolve([drainsOnSigint], k8s())?.issues[0]?.path).toEqual(['systems', 0, 'services', 0, 'stopSignal']);
    expect(codes(resolve([drainsOnSigint], k8s('1.33', ['ContainerStopSignals'])))).toEqual([]);
    expect(codes(resolve([drainsOnSigint], { compose: {}, hosts: { machines: [{ name: 'm', address: 'a', services: ['api'] }] } }))).toEqual([]);
  });

  it('refuses the ContainerStopSignals gate on a cluster older than 1.33', () => {
    expect(codes(resolve([api()], k8s('1.32', ['ContainerStopSignals'])))).toEqual(['INVALID_VALUE']);
  });

  it('gives the grace period a margin over the shutdown timeout, and refuses one without', () => {
    expect(resolve([api({ shutdownTimeoutSeconds: 60 })]).environment?.systems[0]?.services[0]?.terminationGracePeriodSeconds).toBe(70);
    expect(resolve([api()]).environment?.systems[0]?.services[0]?.terminationGracePeriodSeconds).toBe(30);
    expect(codes(resolve([api({ shutdownTimeoutSeconds: 60, terminationGracePeriodSeconds: 60 })]))).toEqual(['GRACE_PERIOD_TOO_SHORT']);
    expect(codes(resolve([api({ shutdownTimeoutSeconds: 60, terminationGracePeriodSeconds: 90 })]))).toEqual([]);
  });
});

describe('write paths', () => {
  it('must be volumes or scratch space under a read-only root', () => {
    const result = resolve([api({ writes: ['/backup', '/data/db', '/tmp/x/'], scratch: ['/tmp'], volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] })]);
    expect(codes(result)).toEqual(['WRITE_PATH_READ_ONLY']);
    expect(result.issues[0]?.path).toEqual(['systems', 0, 'services', 0, 'writes', 0]);
    // `/backups` is not under `/backup`.
    expect(codes(resolve([api({ writes: ['/backups'], scratch: ['/backup'] })]))).toEqual(['WRITE_PATH_READ_ONLY']);
    expect(codes(resolve([api({ writes: ['/backup'], security: { readOnlyRootFilesystem: false } })]))).toEqual([]);
  });
});

describe('connection pools', () => {
  const db = (maxConnections: number): ServiceInput => ({ name: 'db', image: 'postgres:16.4', ports: [{ name: 'postgres', port: 5432 }], maxConnections });
  const client = (name: string, size: number, over: Partial<ServiceInput> = {}): ServiceInput => ({
    name,
    image: `acme/${name}:1.0.0`,
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
    connectionPools: { db: { size, env: 'DATABASE_POOL_SIZE' } },
    ...over,
  });

  it('sum every client at its most replicas against the server limit', () => {
    const result = resolve([db(500), client('api', 30), client('worker', 30)]);
    expect(codes(result)).toEqual(['CONNECTION_BUDGET_EXCEEDED']);
    expect(result.issues[0]).toMatchObject({ path: ['systems', 0, 'services', 0, 'maxConnections'] });
    expect(result.issues[0]?.message).toContain('600');
    expect(codes(resolve([db(600), client('api', 30), client('worker', 30)]))).toEqual([]);
    // Fixed and member counts count as they are.
    expect(codes(resolve([db(10), client('api', 5, { autoscaling: undefined, replicas: 3 })]))).toEqual(['CONNECTION_BUDGET_EXCEEDED']);
  });

  it('take the environment sizes and replica bounds, and the pool variable follows the size', () => {
    const services = [db(500), client('api', 30), client('worker', 30)];
    const result = resolve(services, { compose: {} }, { api: { connectionPools: { db: 20 } }, worker: { autoscaling: { maxReplicas: 5 } } });
    expect(codes(result)).toEqual([]);
    const api = result.environment?.systems[0]?.services.find((s) => s.name === 'api');
    expect(api?.connectionPools).toEqual([{ server: 'db', size: 20, env: 'DATABASE_POOL_SIZE' }]);
    expect(api?.env).toContainEqual({ name: 'DATABASE_POOL_SIZE', value: '20' });
  });

  it('refuse an unknown server, a pool the service lacks, and a pool variable also set by hand', () => {
    expect(codes(resolve([client('api', 5)]))).toEqual(['UNKNOWN_SERVICE']);
    expect(codes(resolve([db(500), client('api', 5)], { compose: {} }, { api: { connectionPools: { cache: 5 } } }))).toEqual(['INVALID_VALUE']);
    expect(codes(resolve([db(500), client('api', 5, { env: { DATABASE_POOL_SIZE: 5 } })]))).toEqual(['ENV_SET_BY_KILN']);
  });
});

describe('secret rotation', () => {
  const tls = [{ path: '/certs/tls.crt', secret: 'tls', key: 'tls.crt' }];

  it('reloads files, restarts on variables, and names only secrets the service reads', () => {
    expect(codes(resolve([api({ secretFiles: tls, env: { JWT: secret('jwt') }, secretRotation: { tls: 'reload', jwt: 'restart' } })]))).toEqual([]);
    expect(codes(resolve([api({ env: { JWT: secret('jwt') }, secretRotation: { jwt: 'reload' } })]))).toEqual(['ROTATION_NEEDS_RESTART']);
    expect(codes(resolve([api({ secretFiles: tls, secretRotation: { jwt: 'restart' } })]))).toEqual(['UNKNOWN_SECRET']);
  });

  it('lists the secrets a service restarts on', () => {
    expect(restartSecrets({ secretRotation: { tls: 'reload', jwt: 'restart', api: 'restart' } })).toEqual(['api', 'jwt']);
  });
});

describe('config hash', () => {
  it('is a sha256 of the content, whatever the key order', () => {
    const hash = configHash({ 'a.conf': 'x = 1\n', 'b.conf': 'y = 2\n' });
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(configHash({ 'b.conf': 'y = 2\n', 'a.conf': 'x = 1\n' })).toBe(hash);
    expect(configHash({ 'a.conf': 'x = 2\n', 'b.conf': 'y = 2\n' })).not.toBe(hash);
  });
});
