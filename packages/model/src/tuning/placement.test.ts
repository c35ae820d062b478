import { describe, expect, it } from 'vitest';
import type { EnvironmentInput } from '../environment.js';
import { resolveEnvironment } from '../resolve.js';
import type { ServiceInput } from '../service.js';

/** A service with the given tuning. */
const svc = (name: string, tuning: ServiceInput['tuning'], over: Partial<ServiceInput> = {}): ServiceInput => ({ name, image: `acme/${name}:1.0.0`, tuning, ...over });

function resolve(services: ServiceInput[], targets: EnvironmentInput['targets'], extra: Partial<EnvironmentInput> = {}) {
  const input: EnvironmentInput = { name: 'shop', stage: 'development', systems: [{ name: 'shop', services, flows: [] }], targets, ...extra };
  return resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => 'environments/systems/shop.ts' });
}
const codes = (r: ReturnType<typeof resolve>) => r.issues.filter((i) => (i.severity ?? 'error') === 'error').map((i) => i.code);
const k8s = (version: string, more: object = {}) => ({ kubernetes: { cluster: 'c', version, secretStore: { name: 'vault' }, ...more } });
const pool = (more: object = {}) => ({ name: 'tuned', nodeSelector: { pool: 'tuned' }, ...more });

describe('tuning placement: hosts', () => {
  it('puts every sysctl of a machine’s services in its profile (the first service by default), limits in limits.d and the unit', () => {
    const node = svc('node', { sysctls: { 'net.core.rmem_max': { value: 1000000, reason: 'p2p buffers' }, 'net.core.somaxconn': 4096 }, ulimits: { nofile: { soft: 1024, hard: 4096, reason: 'peers' }, nproc: 100 } }, { security: { runAsUser: 1000 } });
    const { environment } = resolve([node], { hosts: { machines: [{ name: 'm1', address: '10.0.0.1', services: ['node'] }, { name: 'm2', address: '10.0.0.2', services: ['node'] }] } });
    const [profile] = environment?.tuning.profiles ?? [];
    expect(profile?.name).toBe('node');
    expect(profile?.appliesTo).toEqual(['machine m1 (10.0.0.1)', 'machine m2 (10.0.0.2)']);
    expect(profile?.sysctls.map((s) => [s.key, s.value, s.needs])).toEqual([
      ['net.core.rmem_max', '1000000', [{ service: 'node', reason: 'p2p buffers' }]],
      ['net.core.somaxconn', '4096', [{ service: 'node' }]],
    ]);
    expect(profile?.limits.map((l) => `${l.domain} ${l.item} ${l.soft}:${l.hard}`)).toEqual(['1000:1000 nofile 1024:4096', '1000:1000 nproc 100:100']);
    expect(environment?.tuning.units).toEqual([
      { unit: 'node.service', service: 'node', root: false, limits: [{ item: 'nofile', soft: 1024, hard: 4096, reason: 'peers' }, { item: 'nproc', soft: 100, hard: 100 }] },
    ]);
  });

  it('marks root services, whose nproc becomes TasksMax', () => {
    const { environment } = resolve([svc('agent', { ulimits: { nproc: 512 } }, { security: { runAsNonRoot: false } })], { hosts: { machines: [{ name: 'm1', address: 'a', services: ['agent'], profile: 'edge' }] } });
    expect(environment?.tuning.units[0]?.root).toBe(true);
    expect(environment?.tuning.profiles[0]).toMatchObject({ name: 'edge', limits: [{ domain: 'root', item: 'nproc' }] });
  });

  it('refuses two services needing different values of one key on one profile, naming both', () => {
    const r = resolve([svc('a', { sysctls: { 'vm.swappiness': 1 } }), svc('b', { sysctls: { 'vm.swappiness': 10 } })], { hosts: { machines: [{ name: 'm1', address: 'x', services: ['a', 'b'] }] } });
    expect(codes(r)).toEqual(['SYSCTL_CONFLICT']);
    expect(r.issues[0]?.message).toMatch(/'a' and 'b'/);
    expect(r.issues[0]?.path).toEqual(['systems', 0, 'services', 1, 'tuning', 'sysctls', 'vm.swappiness']);
  });
});

describe('tuning placement: Compose', () => {
  it('leaves namespaced sysctls on the container and puts node-level ones in the Docker host profile', () => {
    const { environment } = resolve([svc('api', { sysctls: { 'net.core.somaxconn': 4096, 'vm.max_map_count': 262144 } })], { compose: {} });
    expect(environment?.tuning.profiles.map((p) => [p.name, p.sysctls.map((s) => s.key)])).toEqual([['docker-host', ['vm.max_map_count']]]);
  });

  it('raises fs.nr_open in the profile when nofile needs more than the kernel default', () => {
    const { environment } = resolve([svc('api', { ulimits: { nofile: 2000000 } })], { compose: { hostProfile: 'edge' } });
    expect(environment?.tuning.profiles[0]).toMatchObject({ name: 'edge', sysctls: [{ key: 'fs.nr_open', value: '2000000', needs: [] }] });
  });

  it('refuses nofile above an fs.nr_open a service set lower', () => {
    const r = resolve([svc('api', { sysctls: { 'fs.nr_open': 1048576 }, ulimits: { nofile: 2000000 } })], { compose: {} });
    expect(codes(r)).toEqual(['NOFILE_ABOVE_NR_OPEN']);
  });

  it('gives an environment without node-level needs no profile', () => {
    expect(resolve([svc('api', { sysctls: { 'net.core.somaxconn': 4096 } })], { compose: {} }).environment?.tuning.profiles).toEqual([]);
  });
});

describe('tuning placement: Kubernetes, per version', () => {
  it.each([
    ['1.31', 'net.ipv4.tcp_rmem', 'SYSCTL_NOT_SAFE_YET', /Kubernetes 1\.32/],
    ['1.32', 'net.ipv4.tcp_rmem', undefined, undefined],
    ['1.28', 'net.ipv4.tcp_keepalive_time', 'SYSCTL_NOT_SAFE_YET', /Kubernetes 1\.29/],
    ['1.29', 'net.ipv4.tcp_keepalive_time', undefined, undefined],
    ['1.36', 'net.ipv4.tcp_notsent_lowat', 'SYSCTL_NOT_SAFE_YET', /Kubernetes 1\.37/],
    ['1.37', 'net.ipv4.tcp_notsent_lowat', undefined, undefined],
    ['1.20', 'net.ipv4.ip_local_port_range', undefined, undefined],
  ])('on %s, %s', (version, key, code, message) => {
    const value = key === 'net.ipv4.tcp_rmem' ? '4096 87380 6291456' : key === 'net.ipv4.ip_local_port_range' ? '1024 65000' : '600';
    const r = resolve([svc('api', { sysctls: { [key]: value } })], k8s(version));
    if (code === undefined) {
      expect(codes(r)).toEqual([]);
      expect(r.environment?.tuning.pods['api']).toMatchObject({ sysctls: [{ name: key, value }], unsafe: false, nodeSelector: {} });
    } else {
      expect(codes(r)).toEqual([code]);
      expect(r.issues[0]?.message).toMatch(message ?? /./);
      expect(r.issues[0]?.hint).toContain(`--allowed-unsafe-sysctls=${key}`);
    }
  });

  it("treats a key the pool's kernel does not namespace yet as node-level: the pool's profile, not the pod", () => {
    const r = resolve([svc('api', { sysctls: { 'net.ipv4.tcp_rmem': '4096 87380 6291456' } })], k8s('1.32', { nodePools: [pool({ kernel: '4.14' })] }));
    expect(codes(r)).toEqual([]);
    expect(r.environment?.tuning.pods['api']).toMatchObject({ sysctls: [], nodeSelector: { pool: 'tuned' } });
    expect(r.environment?.tuning.profiles[0]?.sysctls.map((s) => s.key)).toEqual(['net.ipv4.tcp_rmem']);
  });

  it('puts an unsafe sysctl on the pod of a pool that allows it, with the pool’s nodeSelector', () => {
    const r = resolve([svc('api', { sysctls: { 'net.core.somaxconn': 65535 } })], k8s('1.31', { nodePools: [pool({ allowedUnsafeSysctls: ['net.core.*'] })] }));
    expect(r.environment?.tuning.pods['api']).toEqual({ pool: 'tuned', sysctls: [{ name: 'net.core.somaxconn', value: '65535' }], unsafe: true, nodeSelector: { pool: 'tuned' } });
  });

  it('refuses an unsafe sysctl the pool does not allow, naming the kubelet flag and the pool', () => {
    const r = resolve([svc('api', { sysctls: { 'net.core.somaxconn': 65535 } })], k8s('1.31', { nodePools: [pool()] }));
    expect(codes(r)).toEqual(['SYSCTL_UNSAFE_NOT_ALLOWED']);
    expect(r.issues[0]?.hint).toContain("--allowed-unsafe-sysctls=net.core.somaxconn");
    expect(r.issues[0]?.hint).toContain("'tuned'");
  });

  it('puts node-level sysctls in the profile of the pool the service runs on, and pins the pod there', () => {
    const pools = [pool(), { name: 'big', nodeSelector: { pool: 'big' }, profile: 'big-nodes' }];
    const r = resolve([svc('api', { sysctls: { 'vm.max_map_count': 262144 } })], k8s('1.31', { nodePools: pools }), { overrides: { api: { nodePool: 'big' } } });
    expect(r.environment?.tuning.profiles.map((p) => [p.name, p.appliesTo, p.sysctls.map((s) => s.key)])).toEqual([['big-nodes', ['node pool big'], ['vm.max_map_count']]]);
    expect(r.environment?.tuning.pods['api']?.nodeSelector).toEqual({ pool: 'big' });
  });

  it('has nowhere for a node-level sysctl on the default pool, unless the environment accepts the gap', () => {
    const api = svc('api', { sysctls: { 'vm.max_map_count': 262144 } });
    expect(codes(resolve([api], k8s('1.31')))).toEqual(['SYSCTL_NOT_PLACED']);
    const accepted = resolve([api], k8s('1.31'), { tuning: { accept: [{ service: 'api', sysctl: 'vm.max_map_count', reason: 'the managed nodes set it' }] } });
    expect(codes(accepted)).toEqual([]);
    expect(accepted.environment?.tuning.accepted).toEqual([{ service: 'api', sysctl: 'vm.max_map_count', reason: 'the managed nodes set it' }]);
  });

  it('refuses an unknown pool and an unknown ulimit', () => {
    expect(codes(resolve([svc('api', {})], k8s('1.31'), { overrides: { api: { nodePool: 'gpu' } } }))).toEqual(['UNKNOWN_NODE_POOL']);
    expect(codes(resolve([svc('api', { ulimits: { nofiles: 10 } })], { compose: {} }))).toEqual(['UNKNOWN_ULIMIT']);
  });
});

describe('tuning placement: hosts on a container host', () => {
  const machines = (extra: object = {}) => ({
    hosts: {
      containerHosts: [{ name: 'pve', address: '192.168.11.2' }],
      machines: [
        { name: 'v1', address: '10.0.0.1', services: ['node'], containerHost: 'pve' },
        { name: 'v2', address: '10.0.0.2', services: ['node'], containerHost: 'pve' },
      ],
      ...extra,
    },
  });

  it("puts node-level sysctls (and fs.nr_open) in the container host's profile, namespaced ones in the machine's", () => {
    const node = svc('node', { sysctls: { 'net.core.rmem_max': 134217728, 'net.core.somaxconn': 4096 }, ulimits: { nofile: 2000000 } }, { security: { runAsUser: 1000 } });
    const { environment } = resolve([node], machines());
    expect(environment?.tuning.profiles.map((p) => [p.name, p.appliesTo, p.sysctls.map((s) => s.key), p.limits.map((l) => l.item)])).toEqual([
      ['node', ['machine v1 (10.0.0.1)', 'machine v2 (10.0.0.2)'], ['net.core.somaxconn'], ['nofile']],
      ['pve', ['container host pve (192.168.11.2)'], ['fs.nr_open', 'net.core.rmem_max'], []],
    ]);
  });

  it('refuses a machine on an undeclared container host, and a name used twice', () => {
    const node = svc('node', {});
    expect(codes(resolve([node], machines({ containerHosts: [] })))).toEqual(['UNKNOWN_CONTAINER_HOST', 'UNKNOWN_CONTAINER_HOST']);
    expect(codes(resolve([node], machines({ containerHosts: [{ name: 'v1' }, { name: 'pve' }] })))).toEqual(['DUPLICATE_MACHINE']);
  });
});

describe('tuning placement: Kubernetes ulimits', () => {
  const nofile = { nofile: { soft: 65536, hard: 1048576, reason: 'connections' } };

  it('refuses a ulimit no mechanism gives, unless the environment accepts it', () => {
    const api = svc('api', { ulimits: nofile });
    const r = resolve([api], k8s('1.31'));
    expect(codes(r)).toEqual(['ULIMIT_NOT_PLACED']);
    expect(r.issues[0]?.hint).toContain('targets.kubernetes.ulimits');
    const accepted = resolve([api], k8s('1.31'), { tuning: { accept: [{ service: 'api', ulimit: 'nofile', reason: 'the runtime default suffices' }] } });
    expect(accepted.issues).toEqual([]);
  });

  it("puts `runtime` limits in the pool's profile for its container runtime, and pins the pod there", () => {
    const r = resolve([svc('api', { ulimits: nofile })], k8s('1.31', { nodePools: [pool({ ulimits: 'runtime', containerRuntime: 'cri-o' })] }));
    expect(codes(r)).toEqual([]);
    expect(r.environment?.tuning.profiles[0]).toMatchObject({ name: 'tuned', runtimes: ['cri-o'], runtimeLimits: [{ item: 'nofile', soft: 65536, hard: 1048576, needs: [{ service: 'api', reason: 'connections' }] }] });
    expect(r.environment?.tuning.pods['api']).toMatchObject({ ulimits: 'runtime', nodeSelector: { pool: 'tuned' } });
    expect(r.environment?.tuning.pods['api']?.command).toBeUndefined();
  });

  it('refuses `runtime` on the default pool, an item the runtime has no default for, and two services disagreeing', () => {
    expect(codes(resolve([svc('api', { ulimits: nofile })], k8s('1.31', { ulimits: 'runtime' })))).toEqual(['ULIMIT_NOT_PLACED']);
    expect(codes(resolve([svc('api', { ulimits: { as: 1 << 30 } })], k8s('1.31', { nodePools: [pool({ ulimits: 'runtime', containerRuntime: 'cri-o' })] })))).toEqual(['ULIMIT_NOT_PLACED']);
    const two = [svc('api', { ulimits: { nofile: 1000 } }), svc('web', { ulimits: { nofile: 2000 } })];
    const r = resolve(two, k8s('1.31', { nodePools: [pool({ ulimits: 'runtime' })] }));
    expect(codes(r)).toEqual(['LIMIT_CONFLICT']);
    expect(r.issues[0]?.message).toMatch(/'api' and 'web'/);
  });

  it('wraps the command for `entrypoint` (the target’s choice reaches the default pool), leaving args alone', () => {
    const api = svc('api', { ulimits: { ...nofile, stack: 8388608 } }, { command: ['/app/api', '--serve'], args: ['--port', '8080'] });
    const r = resolve([api], k8s('1.31', { ulimits: 'entrypoint' }));
    expect(codes(r)).toEqual([]);
    expect(r.environment?.tuning.pods['api']).toMatchObject({
      ulimits: 'entrypoint',
      nodeSelector: {},
      command: ['/bin/sh', '-c', 'ulimit -S -n 65536 && ulimit -H -n 1048576 && ulimit -S -s 8192 && ulimit -H -s 8192 && exec "$@"', 'kiln-ulimits', '/app/api', '--serve'],
    });
  });

  it('refuses `entrypoint` without a command, and an item the shells share no flag for', () => {
    expect(codes(resolve([svc('api', { ulimits: nofile })], k8s('1.31', { ulimits: 'entrypoint' })))).toEqual(['ULIMIT_ENTRYPOINT_UNKNOWN']);
    const r = resolve([svc('api', { ulimits: { ...nofile, nproc: 4096 } }, { command: ['/app/api'] })], k8s('1.31', { ulimits: 'entrypoint' }));
    expect(codes(r)).toEqual(['ULIMIT_NOT_PLACED']);
    expect(r.issues[0]?.path).toEqual(['systems', 0, 'services', 0, 'tuning', 'ulimits', 'nproc']);
    // The pool's own choice wins over the target's.
    expect(codes(resolve([svc('api', { ulimits: nofile })], k8s('1.31', { ulimits: 'entrypoint', nodePools: [pool({ ulimits: 'runtime' })] })))).toEqual([]);
  });
});
