import { describe, expect, it } from 'vitest';
import { api, db, environment, shop, TARGETS, worker } from './fixtures.js';
import { rich } from './markdown.js';
import { indexContext } from './readme.js';

/** The shop with an API that serves TLS behind a public route, and a worker whose public port only some networks reach. */
const secured = shop({
  services: [
    { ...api, ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }, { name: 'metrics', port: 9090 }, { name: 'grpc', port: 9000, tls: true }], tls: { certificate: '/tls/tls.crt', key: '/tls/tls.key' }, secretRotation: { 'api-tls': 'restart' } },
    db,
    { ...worker, ports: [{ name: 'http', port: 8081, expose: 'public' }] },
  ],
});
const kubernetes = { kubernetes: { ...TARGETS.kubernetes.kubernetes, tls: { issuer: { name: 'internal-ca' } }, gateway: { name: 'public', namespace: 'gateway' } } };
const overrides = { api: { hostnames: { http: ['api.example.org'] } }, worker: { sourceRanges: ['203.0.113.0/24'] } };

describe('the index on TLS and public routes', () => {
  const context = indexContext(environment(secured, { targets: kubernetes, overrides }));

  it('marks the ports that serve TLS', () => {
    expect(context.services.find((row) => row.name === 'api')?.ports).toBe('http 8080/TCP (public), metrics 9090/TCP, grpc 9000/TCP (TLS)');
  });

  it('names the host names a Gateway routes, and the networks a load balancer admits', () => {
    expect(context.entryPoints).toEqual([
      { service: 'api', port: 'https://api.example.org through the Gateway, which ends TLS, to http 8080/TCP' },
      { service: 'worker', port: 'http 8081/TCP, from 203.0.113.0/24 only' },
    ]);
  });

  it('says cert-manager renews the certificates Kiln issues', () => {
    const how = rich(context.rotations.find((row) => row.secret === 'api-tls')?.how ?? []);
    expect(how).toContain('cert-manager renews the certificate before it expires');
    expect(how).toContain('Stakater Reloader');
  });
});
