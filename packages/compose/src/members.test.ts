import { describe, expect, it } from 'vitest';
import { emit, environment, flow, port, probe, service } from './fixtures.js';

const raft = port('raft', 7000);
const kv = service('kv', {
  ports: [port('client', 9000), raft],
  env: [{ name: 'LOG_LEVEL', value: 'info' }],
  stateful: { ids: [1, 2, 3], idEnv: 'NODE_ID', peers: { env: 'PEERS', port: raft, format: '{id}@{host}:{port}', separator: ',' }, maxUnavailable: 1 },
  volumes: [{ name: 'data', mountPath: '/var/lib/kv', size: '10Gi' }],
  probes: { readiness: probe({ kind: 'tcp', port: 9000 }) },
  tools: ['bash'],
});

describe('stateful services', () => {
  it('become one Compose service per member, in id order', () => {
    const { compose } = emit(environment({ services: [kv] }));
    expect(Object.keys(compose.services)).toEqual(['kv-1', 'kv-2', 'kv-3']);
  });

  it('tell each member its id, hostname and peers', () => {
    const { compose } = emit(environment({ services: [kv] }));
    const second = compose.services['kv-2'];
    expect(second?.hostname).toBe('kv-2');
    expect(second?.environment).toEqual({ LOG_LEVEL: 'info', NODE_ID: '2', PEERS: '1@kv-1:7000,2@kv-2:7000,3@kv-3:7000' });
    expect(compose.services['kv-1']?.environment?.['PEERS']).toBe(second?.environment?.['PEERS']);
  });

  it('give each member its own named volumes', () => {
    const { compose } = emit(environment({ services: [kv] }));
    expect(compose.services['kv-3']?.volumes).toEqual([{ type: 'volume', source: 'kv-3-data', target: '/var/lib/kv' }]);
    expect(Object.keys(compose.volumes ?? {})).toEqual(['kv-1-data', 'kv-2-data', 'kv-3-data']);
  });

  it('keep their volumes apart from another environment’s: Docker names are <env>_<volume>', () => {
    expect(emit(environment({ name: 'chain-mainnet', services: [kv] })).compose.volumes?.['kv-1-data']).toEqual({ name: 'chain-mainnet_kv-1-data' });
    expect(emit(environment({ name: 'chain-testnet', services: [kv] })).compose.volumes?.['kv-1-data']).toEqual({ name: 'chain-testnet_kv-1-data' });
  });

  it('never set deploy.replicas', () => {
    const { compose } = emit(environment({ services: [kv] }));
    expect(compose.services['kv-1']).not.toHaveProperty('deploy');
  });

  it('are depended on member by member', () => {
    const api = service('api', { dependsOn: ['kv'] });
    const { compose } = emit(environment({ services: [api, kv] }));
    expect(compose.services['api']?.depends_on).toEqual({
      'kv-1': { condition: 'service_healthy' },
      'kv-2': { condition: 'service_healthy' },
      'kv-3': { condition: 'service_healthy' },
    });
  });

  it('share the networks of their service: their own for a flow to itself, and one per client', () => {
    const api = service('api');
    const { compose } = emit(environment({ services: [api, kv], flows: [flow('api', kv, 'client'), flow('kv', kv, 'raft')] }));
    for (const member of ['kv-1', 'kv-2', 'kv-3']) expect(Object.keys(compose.services[member]?.networks ?? {})).toEqual(['api.kv', 'kv']);
    expect(compose.services['api']?.networks).toEqual(['api.kv']);
  });

  it('answer to the service name on every network they join, as clients connect to kv:9000', () => {
    const db = service('db', { ports: [port('postgres', 5432)] });
    const api = service('api');
    const { compose } = emit(environment({ services: [api, db, kv], flows: [flow('kv', db, 'postgres'), flow('api', kv, 'client')] }));
    for (const member of ['kv-1', 'kv-2', 'kv-3']) {
      expect(compose.services[member]?.networks).toEqual({ 'api.kv': { aliases: ['kv'] }, 'kv.db': { aliases: ['kv'] } });
    }
    expect(compose.services['db']?.networks).toEqual(['kv.db']);
  });
});

describe("members' own files", () => {
  const validators = service('validator', {
    ports: [raft],
    stateful: { ids: [1, 2], maxUnavailable: 1 },
    secretFiles: [
      { path: '/keys/validator-1/key.pem', secret: { name: 'validator-keys', key: 'validator-1' }, member: 1 },
      { path: '/keys/validator-2/key.pem', secret: { name: 'validator-keys', key: 'validator-2' }, member: 2 },
      { path: '/etc/tls/ca.crt', secret: { name: 'ca', key: 'value' } },
    ],
    config: { mountPath: '/etc/node', files: { 'genesis.json': '{}' }, memberFiles: { '1': { 'node.toml': 'id=1\n' }, '2': { 'node.toml': 'id=2\n' } } },
  });

  it('are mounted by their member alone, the shared ones by every member', () => {
    const { compose } = emit(environment({ services: [validators] }));
    expect(compose.services['validator-2']?.secrets).toEqual([
      { source: 'validator-keys.validator-2', target: '/keys/validator-2/key.pem' },
      { source: 'ca', target: '/etc/tls/ca.crt' },
    ]);
    expect(Object.keys(compose.secrets ?? {})).toEqual(['ca', 'validator-keys.validator-1', 'validator-keys.validator-2']);
    const binds = (name: string) => compose.services[name]?.volumes?.map((mount) => [mount.source, mount.target]);
    expect(binds('validator-1')).toEqual([
      ['./config/validator/genesis.json', '/etc/node/genesis.json'],
      ['./config/validator-1/node.toml', '/etc/node/node.toml'],
    ]);
    expect(binds('validator-2')?.[1]).toEqual(['./config/validator-2/node.toml', '/etc/node/node.toml']);
  });

  it("are written once each, and each member's hash covers its own", () => {
    const { compose, outputs } = emit(environment({ services: [validators] }));
    expect(outputs.filter((output) => output.format === 'raw').map((output) => [output.path, output.format === 'raw' ? output.text : ''])).toEqual([
      ['shop-dev/compose/config/validator-1/node.toml', 'id=1\n'],
      ['shop-dev/compose/config/validator-2/node.toml', 'id=2\n'],
      ['shop-dev/compose/config/validator/genesis.json', '{}'],
    ]);
    const hash = (name: string) => compose.services[name]?.labels?.['kiln.dev/config-hash'];
    expect(hash('validator-1')).not.toBe(hash('validator-2'));
  });
});

describe('peer lists of other services', () => {
  it("fill peersOf() with the other service's members, by their Compose names", () => {
    const client = service('client', { peerEnv: [{ name: 'SEEDS', service: 'kv' }] });
    const { compose } = emit(environment({ services: [client, kv] }));
    expect(compose.services['client']?.environment).toEqual({ SEEDS: '1@kv-1:7000,2@kv-2:7000,3@kv-3:7000' });
  });
});

describe('services without members', () => {
  it('have no hostname and volumes named <service>-<volume>', () => {
    const api = service('api', { volumes: [{ name: 'cache', mountPath: '/cache', size: '1Gi' }] });
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']).not.toHaveProperty('hostname');
    expect(compose.services['api']?.volumes).toEqual([{ type: 'volume', source: 'api-cache', target: '/cache' }]);
  });
});
