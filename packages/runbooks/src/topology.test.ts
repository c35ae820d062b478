import { parse } from '@mermaid-js/parser';
import { describe, expect, it } from 'vitest';
import { environment, shop } from './fixtures.js';
import { parseArchitecture } from './markdown-check.js';
import { architectureDiagram, diagramLabel } from './topology.js';

const node = (name: string, ports: { name: string; port: number; expose?: 'public' }[]) => ({ name, image: `acme/${name}:1.0.0`, ports });

describe('the topology diagram', () => {
  it('parses with Mermaid even when services are named like the grammar\'s keywords', async () => {
    const env = environment(
      shop({
        name: 'group',
        services: [node('service', [{ name: 'http', port: 80, expose: 'public' }]), node('in', [{ name: 'grpc-api', port: 9000 }]), node('true', [{ name: 'x', port: 1 }])],
        flows: [
          { from: 'service', to: 'in', port: 'grpc-api' },
          { from: 'in', to: 'true', port: 'x' },
        ],
        alerts: [],
        slos: [],
        dashboards: [],
        procedures: [],
      }),
    );
    const diagram = architectureDiagram(env);
    await expect(parseArchitecture(diagram)).resolves.toBeUndefined();
    const ast = await parse('architecture', diagram);
    expect(ast.services.map((s) => [s.id, s.title, s.in])).toEqual([
      ['public_internet', 'Internet', undefined],
      ['svc_in', 'in 9000', 'sys_group'],
      ['svc_service', 'service 80', 'sys_group'],
      ['svc_true', 'true 1', 'sys_group'],
    ]);
    expect(ast.edges.map((e) => [e.lhsId, e.title, e.rhsId])).toEqual([
      ['public_internet', 'http 80', 'svc_service'],
      ['svc_service', 'grpc api 9000', 'svc_in'],
      ['svc_in', 'x 1', 'svc_true'],
    ]);
  });

  it('draws one edge per pair of services, arrows the way calls go, and a service\'s calls to itself in its label', async () => {
    const env = environment(
      shop({
        services: [node('a', [{ name: 'p', port: 1 }]), node('b', [{ name: 'q', port: 2 }])],
        flows: [
          { from: 'a', to: 'b', port: 'q' },
          { from: 'b', to: 'a', port: 'p' },
          { from: 'a', to: 'a', port: 'p' },
        ],
        alerts: [],
        slos: [],
        dashboards: [],
        procedures: [],
      }),
    );
    const ast = await parse('architecture', architectureDiagram(env));
    expect(ast.edges.map((e) => [e.lhsId, e.lhsInto, e.title, e.rhsInto, e.rhsId])).toEqual([['svc_b', true, 'p 1 q 2', true, 'svc_a']]);
    expect(ast.services.find((s) => s.id === 'svc_a')?.title).toBe('a 1 peers on p');
  });

  it('gives every edge of a service its own pair of sides, so Mermaid places each neighbour', async () => {
    const hub = node('hub', [{ name: 'h', port: 1 }]);
    const spokes = ['s1', 's2', 's3', 's4', 's5'].map((name) => node(name, [{ name: 'x', port: 2 }]));
    const env = environment(shop({ services: [hub, ...spokes], flows: spokes.map((s) => ({ from: s.name, to: 'hub', port: 'h' })), alerts: [], slos: [], dashboards: [], procedures: [] }));
    const ast = await parse('architecture', architectureDiagram(env));
    const atHub = ast.edges.map((e) => `${e.rhsDir}${e.lhsDir}`);
    expect(new Set(atHub).size).toBe(spokes.length);
  });

  it('keeps labels to what the grammar accepts', () => {
    expect(diagramLabel('rpc-http: 8545/TCP (public)')).toBe('rpc http 8545 TCP public');
    expect(diagramLabel('---')).toBe('_');
  });
});
