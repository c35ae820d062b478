import { describe, expect, it } from 'vitest';
import { emit, environment, flow, port, probe, service } from './fixtures.js';

const raft = port('raft', 7000);
const kv = service('kv', {
  ports: [port('client', 9000), raft],
  env: [{ name: 'LOG_LEVEL', value: 'info' }],
  stateful: { ids: [1, 2, 3], idEnv: 'NODE_ID', peers: { env: 'PEERS', port: raft, format: '{id}@{host}:{port}', separator: ',' }, maxUnavailable: 1 },
  volumes: [{ name: 'data', mountPath: '/var/lib/kv', size: '10Gi' }],
  probes: { readiness: probe({ kind: 'tcp', port: 9000 }) },
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

  it('share one network named after the service, which flows attach to', () => {
    const api = service('api');
    const { compose } = emit(environment({ services: [api, kv], flows: [flow('api', kv, 'client'), flow('kv', kv, 'raft')] }));
    for (const member of ['kv-1', 'kv-2', 'kv-3']) expect(Object.keys(compose.services[member]?.networks ?? {})).toEqual(['kv']);
    expect(compose.services['api']?.networks).toEqual(['api', 'kv']);
  });

  it('answer to the service name on every network they join, as clients connect to kv:9000', () => {
    const db = service('db', { ports: [port('postgres', 5432)] });
    const { compose } = emit(environment({ services: [db, kv], flows: [flow('kv', db, 'postgres')] }));
    for (const member of ['kv-1', 'kv-2', 'kv-3']) {
      expect(compose.services[member]?.networks).toEqual({ db: { aliases: ['kv'] }, kv: { aliases: ['kv'] } });
    }
    expect(compose.services['db']?.networks).toEqual(['db']);
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
