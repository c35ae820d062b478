import { validateObject } from '@kiln/core';
import type { EnvironmentInput, ServiceInput } from '@kiln/model';
import { configHash, resolveEnvironment, secret } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { kubernetesEmitter } from './emitter.js';

const cluster = (version: string, featureGates: 'ContainerStopSignals'[] = []): EnvironmentInput['targets'] => ({ kubernetes: { cluster: 'c', version, secretStore: { name: 'vault' }, featureGates } });

/** The emitted objects by file name, each checked against its schema. */
function objects(services: ServiceInput[], targets = cluster('1.31')): Map<string, Record<string, any>> {
  const input: EnvironmentInput = { name: 'shop', stage: 'staging', systems: [{ name: 'shop', services }], targets };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  const { outputs, diagnostics } = kubernetesEmitter.emit(environment);
  expect(diagnostics).toEqual([]);
  const data = outputs.map((o) => [o.path.replace('shop/kubernetes/', ''), (o as { data: Record<string, any> }).data] as const);
  for (const [, object] of data) expect(validateObject(object as never)).toEqual([]);
  return new Map(data);
}

const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({ name: 'api', image: 'acme/api:1.4.2', ...over });
const pod = (map: Map<string, Record<string, any>>, file = 'deployment-api.yaml') => map.get(file)?.spec.template;

describe('stop signals on Kubernetes', () => {
  it('signals PID 1 from a preStop hook where the cluster has no lifecycle.stopSignal', () => {
    const template = pod(objects([api({ stopSignal: 'SIGINT', shutdownTimeoutSeconds: 30, tools: ['sh'] })]));
    expect(template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'kill -INT 1'] } } });
    expect(template.spec.terminationGracePeriodSeconds).toBe(40);
    expect(template.spec.os).toBeUndefined();
  });

  it('sets lifecycle.stopSignal, and the pod OS it needs, where ContainerStopSignals is on', () => {
    const template = pod(objects([api({ stopSignal: 'SIGINT', tools: ['sh'] })], cluster('1.33', ['ContainerStopSignals'])));
    expect(template.spec.containers[0].lifecycle).toEqual({ stopSignal: 'SIGINT' });
    expect(template.spec.os).toEqual({ name: 'linux' });
  });

  it('leaves SIGTERM to the runtime', () => {
    for (const service of [api(), api({ stopSignal: 'SIGTERM' })]) expect(pod(objects([service])).spec.containers[0].lifecycle).toBeUndefined();
  });
});

describe('rollouts on change', () => {
  it('rolls the pods when the ConfigMap content changes', () => {
    const files = (text: string) => ({ mountPath: '/etc/api', files: { 'api.toml': text } });
    const first = objects([api({ config: files('a = 1\n') })]);
    const hash = pod(first).metadata.annotations['kiln.dev/config-hash'];
    expect(hash).toBe(configHash(first.get('configmap-api-config.yaml')?.data));
    expect(pod(objects([api({ config: files('a = 2\n') })])).metadata.annotations['kiln.dev/config-hash']).not.toBe(hash);
  });

  it("has Reloader roll a workload when a secret it restarts on changes, and only then", () => {
    const rotated = api({
      env: { JWT_SECRET: secret('jwt'), API_KEY: secret('api-key') },
      secretFiles: [{ path: '/certs/tls.crt', secret: 'tls', key: 'tls.crt' }],
      secretRotation: { jwt: 'restart', 'api-key': 'restart', tls: 'reload' },
    });
    expect(objects([rotated]).get('deployment-api.yaml')?.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('api-key,jwt');
    const db = { name: 'db', image: 'postgres:16.4', env: { PASSWORD: secret('db') }, stateful: { members: 1 }, secretRotation: { db: 'restart' as const } };
    expect(objects([db]).get('statefulset-db.yaml')?.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('db');
    expect(objects([api()]).get('deployment-api.yaml')?.metadata.annotations['secret.reloader.stakater.com/reload']).toBeUndefined();
  });
});
