import { describe, expect, it } from 'vitest';
import { emit, environment, flow, port, service } from './fixtures.js';

const db = service('db', { ports: [port('postgres', 5432)] });
const api = service('api', { ports: [port('http', 8080)] });
const web = service('web', { ports: [port('http', 80, { expose: 'public' })] });
const batch = service('batch');

describe('networks', () => {
  const env = environment({ services: [api, batch, db, web], flows: [flow('api', db, 'postgres'), flow('web', api, 'http'), flow('batch', db, 'postgres')] });

  it('give every service a network of its own, named <env>_<network> in Docker', () => {
    const { compose } = emit(env);
    expect(compose.networks).toEqual({ api: { name: 'shop-dev_api' }, batch: { name: 'shop-dev_batch' }, db: { name: 'shop-dev_db' }, web: { name: 'shop-dev_web' } });
  });

  it('get different Docker names in two environments, though both files sit in a compose/ folder', () => {
    const other = environment({ name: 'shop-prod', services: [db] });
    expect(emit(other).compose.networks?.['db']?.name).toBe('shop-prod_db');
    expect(emit(env).compose.networks?.['db']?.name).toBe('shop-dev_db');
  });

  it('attach the caller of a flow to the network of the service it calls', () => {
    const { compose } = emit(env);
    expect(compose.services['web']?.networks).toEqual(['api', 'web']);
    expect(compose.services['api']?.networks).toEqual(['api', 'db']);
    expect(compose.services['batch']?.networks).toEqual(['batch', 'db']);
    expect(compose.services['db']?.networks).toEqual(['db']);
  });

  it('keep services without a flow apart: web cannot reach db', () => {
    const { compose } = emit(env);
    const webNetworks = compose.services['web']?.networks as string[];
    const dbNetworks = compose.services['db']?.networks as string[];
    const shared = webNetworks.filter((name) => dbNetworks.includes(name));
    expect(shared).toEqual([]);
  });
});
