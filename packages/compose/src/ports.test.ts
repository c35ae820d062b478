import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';
import { emit, environment, port, service } from './fixtures.js';

describe('ports', () => {
  it('publish public ports under their own number and expose internal ones', () => {
    const edge = service('edge', {
      ports: [port('http', 8080, { expose: 'public' }), port('quic', 8443, { protocol: 'UDP', expose: 'public' }), port('admin', 9000), port('gossip', 7946, { protocol: 'UDP' })],
    });
    const { compose } = emit(environment({ services: [edge] }));
    expect(compose.services['edge']?.ports).toEqual([
      { target: 8080, published: '8080', protocol: 'tcp' },
      { target: 8443, published: '8443', protocol: 'udp' },
    ]);
    expect(compose.services['edge']?.expose).toEqual(['9000', '7946/udp']);
  });

  it('refuse replicas that would publish one host port twice', () => {
    const web = service('web', { ports: [port('http', 80, { expose: 'public' })], scaling: { kind: 'fixed', replicas: 2 } });
    const { diagnostics } = emit(environment({ name: 'shop-dev', services: [web] }));
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: ComposeCode.COMPOSE_PUBLISHED_PORT_REPLICAS, severity: 'error', file: 'environments/shop-dev.ts', path: 'overrides.web.replicas' }),
    ]);
  });

  it('point an autoscaled service at its minimum replica override', () => {
    const web = service('web', { ports: [port('http', 80, { expose: 'public' })], scaling: { kind: 'autoscaled', minReplicas: 2, maxReplicas: 4, podsMetrics: [] } });
    const { diagnostics } = emit(environment({ services: [web] }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: ComposeCode.COMPOSE_PUBLISHED_PORT_REPLICAS, path: 'overrides.web.autoscaling.minReplicas' })]);
  });

  it("point stateful members at the environment's member count", () => {
    const node = service('node', { ports: [port('p2p', 30303, { expose: 'public' })], stateful: { ids: [0, 1], maxUnavailable: 1 } });
    const { diagnostics } = emit(environment({ services: [node] }));
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: ComposeCode.COMPOSE_PUBLISHED_PORT_REPLICAS, file: 'environments/shop-dev.ts', path: 'overrides.node.members' }),
    ]);
  });

  it('allow replicas of a service that publishes nothing', () => {
    const worker = service('worker', { ports: [port('http', 8080)], scaling: { kind: 'fixed', replicas: 4 } });
    expect(emit(environment({ services: [worker] })).diagnostics).toEqual([]);
  });

  it('refuse two services publishing one host port', () => {
    const a = service('a', { ports: [port('http', 8080, { expose: 'public' })] });
    const b = service('b', { ports: [port('web', 8080, { expose: 'public' })] });
    const udp = service('c', { ports: [port('dns', 8080, { protocol: 'UDP', expose: 'public' })] });
    const { diagnostics } = emit(environment({ services: [a, b, udp] }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: ComposeCode.COMPOSE_HOST_PORT_CONFLICT, path: 'services[b].ports[web].port' })]);
  });
});
