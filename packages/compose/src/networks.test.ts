import { describe, expect, it } from 'vitest';
import type { ComposeFile } from './compose-file.js';
import { emit, environment, flow, port, service } from './fixtures.js';
import { networksByService } from './networks.js';

const db = service('db', { ports: [port('postgres', 5432)] });
const api = service('api', { ports: [port('http', 8080)] });
const web = service('web', { ports: [port('http', 80, { expose: 'public' })] });
const batch = service('batch');
const cron = service('cron');

/** The networks a Compose service joins, in either form. */
function joined(compose: ComposeFile, name: string): string[] {
  const networks = compose.services[name]?.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

describe('networks', () => {
  const env = environment({ services: [api, batch, cron, db, web], flows: [flow('api', db, 'postgres'), flow('web', api, 'http'), flow('batch', db, 'postgres')] });

  it('give each pair with a flow a network of its own, <client>.<server>, named <env>_<network> in Docker', () => {
    const { compose } = emit(env);
    expect(compose.networks).toEqual({
      'api.db': { name: 'shop-dev_api.db' },
      'batch.db': { name: 'shop-dev_batch.db' },
      cron: { name: 'shop-dev_cron' },
      'web.api': { name: 'shop-dev_web.api' },
    });
    expect(compose.services['api']?.networks).toEqual(['api.db', 'web.api']);
    expect(compose.services['db']?.networks).toEqual(['api.db', 'batch.db']);
    expect(compose.services['web']?.networks).toEqual(['web.api']);
  });

  it('keep two clients of one server apart: api and batch both call db, and share no network', () => {
    const { compose } = emit(env);
    expect(joined(compose, 'api').filter((name) => joined(compose, 'batch').includes(name))).toEqual([]);
    expect(joined(compose, 'web').filter((name) => joined(compose, 'db').includes(name))).toEqual([]);
  });

  it('give a service without flows a network of its own, so none is left on the shared default network', () => {
    expect(emit(env).compose.services['cron']?.networks).toEqual(['cron']);
  });

  it('get different Docker names in two environments, though both files sit in a compose/ folder', () => {
    const other = environment({ name: 'shop-prod', services: [api, db], flows: [flow('api', db, 'postgres')] });
    expect(emit(other).compose.networks?.['api.db']?.name).toBe('shop-prod_api.db');
    expect(emit(env).compose.networks?.['api.db']?.name).toBe('shop-dev_api.db');
  });

  it('give a pair one network when flows go both ways, named in code-point order', () => {
    const networks = networksByService(['a', 'b'], [{ client: 'b', server: 'a' }, { client: 'a', server: 'b' }, { client: 'b', server: 'a' }]);
    expect(networks).toEqual(new Map([['a', ['a.b']], ['b', ['a.b']]]));
    expect(networksByService(['a', 'b'], [{ client: 'b', server: 'a' }, { client: 'b', server: 'a' }]).get('a')).toEqual(['b.a']);
  });

  it('give a service with a flow to itself its own network besides its pairs', () => {
    const networks = networksByService(['kv', 'api'], [{ client: 'kv', server: 'kv' }, { client: 'api', server: 'kv' }]);
    expect(networks.get('kv')).toEqual(['api.kv', 'kv']);
    expect(networks.get('api')).toEqual(['api.kv']);
  });

  it('never collide: no service name holds a `.`, so the pairs a-b → c and a → b-c get two networks', () => {
    const networks = networksByService(['a', 'a-b', 'b', 'b-c', 'c'], [
      { client: 'a-b', server: 'c' },
      { client: 'a', server: 'b-c' },
    ]);
    expect(networks.get('a-b')).toEqual(['a-b.c']);
    expect(networks.get('a')).toEqual(['a.b-c']);
    expect(networks.get('b')).toEqual(['b']);
  });

  it('leave out a link to a service that is not in the environment', () => {
    expect(networksByService(['api'], [{ client: 'api', server: 'elsewhere' }])).toEqual(new Map([['api', ['api']]]));
  });
});
