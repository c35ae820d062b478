import type { Environment, EnvironmentInput, ServiceInput } from '@kiln/model';
import { peersOf, resolveEnvironment } from '@kiln/model';
import { validateObject } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { kubernetesEmitter } from './emitter.js';

/** A validator set whose members each mount their own key and read their own config, and a client given their peer list. */
function environment(members = 3): Environment {
  const validator: ServiceInput = {
    name: 'validator',
    image: 'acme/node:1.0.0',
    ports: [{ name: 'p2p', port: 30303 }],
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    stateful: { members: 5, firstId: 1, idEnv: 'NODE_ID', peers: { env: 'PEERS', port: 'p2p' } },
    volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }],
    secretFiles: [
      { path: '/keys/validator-{id}/key.pem', secret: 'validator-keys', key: 'validator-{id}', member: 'each' },
      { path: '/etc/tls/ca.crt', secret: 'ca' },
    ],
    config: { mountPath: '/etc/node', files: { 'genesis.json': '{}' }, memberFiles: { 'node.toml': 'key="/keys/validator-{id}/key.pem"\n' } },
  };
  const client: ServiceInput = { name: 'client', image: 'acme/client:1.0.0', env: { SEEDS: peersOf('validator') } };
  const input: EnvironmentInput = {
    name: 'chain',
    stage: 'development',
    systems: [{ name: 'chain', services: [validator, client], flows: [{ from: 'client', to: 'validator', port: 'p2p' }, { from: 'validator', to: 'validator', port: 'p2p' }] }],
    targets: { kubernetes: { cluster: 'dev', version: '1.31', secretStore: { name: 'vault' } } },
    overrides: { validator: { members } },
  };
  const { environment: resolved, issues } = resolveEnvironment(input, { environment: 'environments/chain.ts', system: () => 'environments/systems/chain.ts' });
  if (!resolved) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return resolved;
}

function emit(env: Environment) {
  const result = kubernetesEmitter.emit(env);
  const objects = new Map(result.outputs.map((o) => [o.path.replace(`${env.name}/kubernetes/`, ''), (o as { data: Record<string, any> }).data]));
  return { objects, diagnostics: result.diagnostics };
}

describe('members with files of their own', () => {
  it('run as a StatefulSet each, of one pod, under the shared headless Service', () => {
    const { objects, diagnostics } = emit(environment());
    expect(diagnostics).toEqual([]);
    expect([...objects.keys()].filter((name) => name.startsWith('statefulset-'))).toEqual(['statefulset-validator-1.yaml', 'statefulset-validator-2.yaml', 'statefulset-validator-3.yaml']);
    const second = objects.get('statefulset-validator-2.yaml');
    expect(second?.spec).toMatchObject({ replicas: 1, serviceName: 'validator-headless' });
    expect(second?.spec).not.toHaveProperty('ordinals');
    // Selectors never overlap; every pod still carries the service's labels, which Services, the PDB and NetworkPolicies select.
    expect(second?.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'validator', 'app.kubernetes.io/instance': 'chain', 'kiln.dev/member': '2' });
    expect(second?.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'validator', 'kiln.dev/member': '2' });
    expect(objects.get('poddisruptionbudget-validator.yaml')?.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'validator', 'app.kubernetes.io/instance': 'chain' });
    for (const object of objects.values()) expect(validateObject(object as never)).toEqual([]);
  });

  it("mount only their own secret files and read their own ConfigMap, and know their id without the pod's ordinal", () => {
    const { objects } = emit(environment());
    const pod = objects.get('statefulset-validator-2.yaml')?.spec.template.spec;
    const secrets = pod.volumes.filter((volume: any) => volume.secret).map((volume: any) => volume.secret);
    expect(secrets).toEqual([
      { secretName: 'ca', items: [{ key: 'value', path: 'ca.crt' }] },
      { secretName: 'validator-keys', items: [{ key: 'validator-2', path: 'key.pem' }] },
    ]);
    expect(pod.volumes.find((volume: any) => volume.name === 'config')).toEqual({ name: 'config', configMap: { name: 'validator-2-config' } });
    expect(objects.get('configmap-validator-2-config.yaml')?.data).toEqual({ 'genesis.json': '{}', 'node.toml': 'key="/keys/validator-2/key.pem"\n' });
    expect(objects.has('configmap-validator-config.yaml')).toBe(false);
    expect(pod.containers[0].env).toContainEqual({ name: 'NODE_ID', value: '2' });
    // The ExternalSecret reads every member's key; each pod mounts one.
    expect(objects.get('externalsecret-validator-keys.yaml')?.spec.data.map((d: any) => d.secretKey)).toEqual(['validator-1', 'validator-2', 'validator-3']);
  });

  it("list members by their pods' stable names, in their own peer list and in another service's peersOf()", () => {
    const { objects } = emit(environment(2));
    const hosts = 'validator-1-0.validator-headless.chain.svc:30303,validator-2-0.validator-headless.chain.svc:30303';
    expect(objects.get('statefulset-validator-1.yaml')?.spec.template.spec.containers[0].env).toContainEqual({ name: 'PEERS', value: hosts });
    expect(objects.get('deployment-client.yaml')?.spec.template.spec.containers[0].env).toEqual([{ name: 'SEEDS', value: hosts }]);
    expect(objects.has('statefulset-validator-3.yaml')).toBe(false);
  });
});
