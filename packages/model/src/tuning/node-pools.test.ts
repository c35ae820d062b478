import { describe, expect, it } from 'vitest';
import type { EnvironmentInput } from '../environment.js';
import type { Environment } from '../model.js';
import { resolveEnvironment } from '../resolve.js';
import type { ServiceInput } from '../service.js';
import { checkNodePools } from './node-pools.js';

const tuned = (sysctls: Record<string, number>): ServiceInput => ({ name: 'api', image: 'acme/api:1.0.0', tuning: { sysctls } });

function environment(name: string, services: ServiceInput[], kubernetes: object = {}): Environment {
  const input: EnvironmentInput = {
    name,
    stage: 'production',
    systems: [{ name: 'shop', services, flows: [] }],
    targets: { kubernetes: { cluster: 'prod', version: '1.31', secretStore: { name: 'vault' }, nodePools: [{ name: 'tuned', nodeSelector: { pool: 'tuned' }, nodeSysctls: 'daemonset' }], ...kubernetes } },
  };
  const { environment, issues } = resolveEnvironment(input, { environment: `environments/${name}.ts`, system: () => undefined });
  if (!environment) throw new Error(JSON.stringify(issues));
  return environment;
}

describe('node tuning DaemonSets', () => {
  it("are planned per opted-in pool with the profile's sysctls, in the environment's node tuning namespace", () => {
    const env = environment('shop', [tuned({ 'net.core.netdev_max_backlog': 5000, 'vm.max_map_count': 262144 })]);
    expect(env.tuning.daemonSets).toEqual([
      {
        pool: 'tuned',
        profile: 'tuned',
        name: 'node-sysctls-tuned',
        namespace: 'shop-node-tuning',
        nodeSelector: { pool: 'tuned' },
        sysctls: [{ key: 'net.core.netdev_max_backlog', value: '5000' }, { key: 'vm.max_map_count', value: '262144' }],
        hostNetwork: true,
      },
    ]);
  });

  it('join the node network namespace only for net.* keys, and are absent when the profile sets nothing', () => {
    expect(environment('shop', [tuned({ 'vm.max_map_count': 262144 })]).tuning.daemonSets[0]?.hostNetwork).toBe(false);
    expect(environment('shop', [tuned({})]).tuning.daemonSets).toEqual([]);
  });

  it('refuse a namespace too long to carry the -node-tuning suffix', () => {
    const input: EnvironmentInput = {
      name: 'shop',
      stage: 'production',
      systems: [{ name: 'shop', services: [tuned({ 'vm.max_map_count': 262144 })], flows: [] }],
      targets: { kubernetes: { cluster: 'prod', version: '1.31', namespace: 'n'.repeat(60), secretStore: { name: 'vault' }, nodePools: [{ name: 'tuned', nodeSelector: {}, nodeSysctls: 'daemonset' }] } },
    };
    const { issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
    expect(issues.map((i) => [i.code, i.path])).toEqual([['INVALID_NAME', ['targets', 'kubernetes', 'namespace']]]);
  });
});

describe('node pools across environments', () => {
  it('refuse two environments on one cluster with different values on a pool they share, naming both', () => {
    const a = environment('shop-a', [tuned({ 'vm.max_map_count': 262144 })]);
    const b = environment('shop-b', [tuned({ 'vm.max_map_count': 65530 })]);
    const diagnostics = checkNodePools([b, a]);
    expect(diagnostics.map((d) => [d.code, d.file, d.path])).toEqual([['NODE_POOL_CONFLICT', 'environments/shop-b.ts', 'targets.kubernetes.nodePools[tuned]']]);
    expect(diagnostics[0]?.message).toMatch(/'shop-a' and 'shop-b'.*'262144' and '65530'/);
  });

  it('accept equal values, other clusters and other pools', () => {
    const a = environment('shop-a', [tuned({ 'vm.max_map_count': 262144 })]);
    expect(checkNodePools([a, environment('shop-b', [tuned({ 'vm.max_map_count': 262144, 'vm.swappiness': 1 })])])).toEqual([]);
    expect(checkNodePools([a, environment('shop-b', [tuned({ 'vm.max_map_count': 1 })], { cluster: 'other' })])).toEqual([]);
    const elsewhere = { nodePools: [{ name: 'big', nodeSelector: { pool: 'big' } }] };
    expect(checkNodePools([a, environment('shop-b', [tuned({ 'vm.max_map_count': 1 })], elsewhere)])).toEqual([]);
  });

  it("compare the container runtime's default limits too", () => {
    const limits = (nofile: number) => ({ name: 'api', image: 'acme/api:1.0.0', tuning: { ulimits: { nofile } } });
    const runtime = { nodePools: [{ name: 'tuned', nodeSelector: { pool: 'tuned' }, ulimits: 'runtime' }] };
    const diagnostics = checkNodePools([environment('shop-a', [limits(1024)], runtime), environment('shop-b', [limits(4096)], runtime)]);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("the container runtime's nofile limit ('1024:1024' and '4096:4096')")]);
  });
});
