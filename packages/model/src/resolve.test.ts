import { describe, expect, it } from 'vitest';
import { secret } from './define.js';
import type { EnvironmentInput } from './environment.js';
import { resolveEnvironment } from './resolve.js';
import type { ServiceInput } from './service.js';

const sources = { environment: 'environments/e.ts', system: () => 'environments/systems/s.ts' };
const worker: ServiceInput = {
  name: 'worker',
  image: 'acme/worker:1.0.0',
  ports: [{ name: 'rpc', port: 8081 }],
  env: { B: 'x', A: 1, TOKEN: secret('worker-token') },
  resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70 },
  volumes: [{ name: 'cache', mountPath: '/cache', size: '10Gi' }],
};
const input = (overrides: EnvironmentInput['overrides'] = {}): EnvironmentInput => ({
  name: 'e',
  stage: 'production',
  region: 'eu-west-1',
  systems: [{ name: 's', services: [worker] }],
  targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' } } },
  overrides,
});

describe('resolveEnvironment', () => {
  it('fills defaults and sorts what has no order', () => {
    const { environment, issues } = resolveEnvironment(input(), sources);
    expect(issues).toEqual([]);
    const service = environment?.systems[0]?.services[0];
    expect(service?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'x' },
      { name: 'TOKEN', secret: { name: 'worker-token', key: 'value' } },
    ]);
    expect(service?.security).toEqual({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(service?.terminationGracePeriodSeconds).toBe(30);
    expect(service?.ports).toEqual([{ name: 'rpc', port: 8081, protocol: 'TCP', expose: 'internal' }]);
    expect(environment?.labels).toEqual({ 'kiln.dev/region': 'eu-west-1' });
    expect(environment?.targets.kubernetes).toMatchObject({ namespace: 'e', secretStore: { kind: 'ClusterSecretStore', keyPrefix: 'e/' }, version: { major: 1, minor: 31 } });
    expect(environment?.systems[0]?.source).toBe('environments/systems/s.ts');
  });

  it('applies typed overrides over the system', () => {
    const { environment } = resolveEnvironment(
      { ...input({ worker: { autoscaling: { maxReplicas: 30 }, resources: { limits: { memory: '1Gi' } }, env: { B: 'y' }, volumeSizes: { cache: '20Gi' } } }), images: { worker: '1.0.1' } },
      sources,
    );
    const service = environment?.systems[0]?.services[0];
    expect(service?.image).toBe('acme/worker:1.0.1');
    expect(service?.scaling).toEqual({ kind: 'autoscaled', minReplicas: 3, maxReplicas: 30, cpuUtilization: 70, podsMetrics: [] });
    expect(service?.resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(service?.env.find((v) => v.name === 'B')).toEqual({ name: 'B', value: 'y' });
    expect(service?.volumes[0]?.size).toBe('20Gi');
  });

  it('takes image versions from images: a tag on the system repository, or a whole reference', () => {
    const image = (images: Record<string, string>) => resolveEnvironment({ ...input(), images }, sources);
    const digest = `ghcr.io/acme/worker@sha256:${'a'.repeat(64)}`;
    expect(image({ worker: digest }).environment?.systems[0]?.services[0]?.image).toBe(digest);
    // Pinning is a stage policy (policies.test.ts), run when a date is given.
    const latest = resolveEnvironment({ ...input(), images: { worker: 'latest' } }, sources, { date: '2026-06-01' }).issues.filter((i) => i.code === 'IMAGE_TAG_REQUIRED');
    expect(latest.map((i) => [i.code, i.path.join('.')])).toEqual([['IMAGE_TAG_REQUIRED', 'images.worker']]);
    expect(image({ wroker: '1.0.1' }).issues.map((i) => [i.code, i.path.join('.')])).toEqual([['UNKNOWN_SERVICE', 'images.wroker']]);
    expect(image({ worker: 'Not A Tag' }).issues.map((i) => i.code)).toEqual(['INVALID_IMAGE']);
  });

  it('checks overrides as strictly as the system', () => {
    const { environment, issues } = resolveEnvironment(input({ worker: { replicas: 2, resources: { requests: { memory: '2Gi' } } } }), sources);
    expect(environment).toBeUndefined();
    expect(issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['REPLICAS_CONFLICT', 'overrides.worker.replicas'],
      ['LIMIT_BELOW_REQUEST', 'overrides.worker.resources.limits.memory'],
    ]);
  });

  it('flags credentials by whole words and URLs with passwords, not settings that merely mention them', () => {
    const env = (vars: Record<string, string | number | boolean>) =>
      resolveEnvironment({ ...input(), systems: [{ name: 's', services: [{ ...worker, env: vars }] }] }, sources)
        .issues.filter((i) => i.code === 'SECRET_AS_PLAIN_VALUE')
        .map((i) => i.path.at(-1));
    expect(env({ MAX_TOKENS: 4096, SECRETARY_EMAIL: 'a@b.c', TOKEN_TTL: 3600, SECRET_ROTATION: true, PASSWORD_MIN_LENGTH: 12 })).toEqual([]);
    expect(env({ DB_PASS: 'x', GITHUB_TOKEN: 'ghp', APIKEY: 'k', REDIS_URL: 'redis://:hunter2@redis:6379', DSN: 'postgresql://veza:pw@db/veza' })).toEqual([
      'DB_PASS',
      'GITHUB_TOKEN',
      'APIKEY',
      'REDIS_URL',
      'DSN',
    ]);
  });

  it('suggests the closest service for an unknown one', () => {
    const hints = (value: EnvironmentInput) => resolveEnvironment(value, sources).issues.map((i) => [i.code, i.path.join('.'), i.hint]);
    expect(hints(input({ wroker: { replicas: 2 } }))).toEqual([['UNKNOWN_SERVICE', 'overrides.wroker', "did you mean 'worker'? services: worker"]]);
    const flows = { ...input(), systems: [{ name: 's', services: [worker, { ...worker, name: 'api', dependsOn: ['wrker'] }], flows: [{ from: 'api', to: 'workr', port: 'rcp' }] }] };
    expect(hints(flows)).toEqual([
      ['UNKNOWN_SERVICE', 'systems.0.flows.0.to', "did you mean 'worker'? services: api, worker"],
      ['UNKNOWN_SERVICE', 'systems.0.services.1.dependsOn.0', "did you mean 'worker'? services: api, worker"],
    ]);
    // Nothing close: the list alone.
    expect(hints(input({ zzz: { replicas: 2 } }))[0]?.[2]).toBe('services: worker');
  });
});
