import { describe, expect, it } from 'vitest';
import type { EnvironmentInput } from './environment.js';
import { resolveEnvironment } from './resolve.js';

const sources = { environment: 'environments/e.ts', system: () => 'environments/systems/s.ts' };
const input = (acknowledge: unknown): EnvironmentInput =>
  ({
    name: 'e',
    stage: 'staging',
    systems: [{ name: 's', services: [{ name: 'db', image: 'acme/db:1.0.0', volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }] }] }],
    targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' } } },
    acknowledge,
  }) as EnvironmentInput;

describe('acknowledge', () => {
  it('keeps acknowledgements in the author’s order, and leaves the field out when there are none', () => {
    const acknowledge = [
      { change: 'volume-shrink', object: 'StatefulSet/db', reason: 'moved' },
      { change: 'headless', object: 'Service/db', reason: 'clients use the members' },
    ];
    expect(resolveEnvironment(input(acknowledge), sources).environment?.acknowledge).toEqual(acknowledge);
    expect(resolveEnvironment(input(undefined), sources).environment).not.toHaveProperty('acknowledge');
  });

  it('refuses an unknown change, an object that is not Kind/name, and no reason', () => {
    const { issues } = resolveEnvironment(
      input([
        { change: 'shrink', object: 'StatefulSet/db', reason: 'r' },
        { change: 'selector', object: 'db', reason: 'r' },
        { change: 'selector', object: 'Deployment/db' },
      ]),
      sources,
    );
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['acknowledge.0.change', 'acknowledge.1.object', 'acknowledge.2.reason']);
    expect(issues.find((issue) => issue.path[2] === 'object')?.message).toContain("Kind/name, e.g. 'StatefulSet/postgres'");
  });
});
