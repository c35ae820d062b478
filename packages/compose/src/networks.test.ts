import { describe, expect, it } from 'vitest';
import { emit, environment, flow, port, service } from './fixtures.js';

const db = service('db', { ports: [port('postgres', 5432)] });
const api = service('api', { ports: [port('http', 8080)] });
const web = service('web', { ports: [port('http', 80, { expose: 'public' })] });
const batch = service('batch');

describe('networks', () => {
  const env = environment({ services: [api, batch, db, web], flows: [flow('api', db, 'postgres'), flow('web', api, 'http'), flow('batch', db, 'postgres')] });

  it('give every service a network of its own', () => {
    const { compose } = emit(env);
    expect(compose.networks).toEqual({ api: {}, batch: {}, db: {}, web: {} });
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
    const shared = compose.services['web']?.networks?.filter((name) => compose.services['db']?.networks?.includes(name));
    expect(shared).toEqual([]);
  });
});
