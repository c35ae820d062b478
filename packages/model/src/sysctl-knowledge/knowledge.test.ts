import { describe, expect, it } from 'vitest';
import { SYSCTL_KEY } from '../names.js';
import { sysctlScope } from '../sysctl.js';
import { isSafeSysctl, knownSysctls, safeSysctls, sysctlInfo, sysctlNamespace, validateSysctlValue } from './index.js';
import { ASSUMED_NODE_KERNEL, kernelAtLeast, parseKernelVersion } from './kernel-version.js';

/** The kubelet's safe list: key → Kubernetes minor that added it (pkg/kubelet/sysctl/safe_sysctls.go). */
const KUBELET_SAFE: Record<string, number> = {
  'kernel.shm_rmid_forced': 4,
  'net.ipv4.ip_local_port_range': 4,
  'net.ipv4.tcp_syncookies': 4,
  'net.ipv4.ping_group_range': 18,
  'net.ipv4.ip_unprivileged_port_start': 22,
  'net.ipv4.ip_local_reserved_ports': 27,
  'net.ipv4.tcp_keepalive_time': 29,
  'net.ipv4.tcp_keepalive_intvl': 29,
  'net.ipv4.tcp_keepalive_probes': 29,
  'net.ipv4.tcp_fin_timeout': 29,
  'net.ipv4.tcp_rmem': 32,
  'net.ipv4.tcp_wmem': 32,
  'net.ipv4.tcp_slow_start_after_idle': 37,
  'net.ipv4.tcp_notsent_lowat': 37,
};

/** The kubelet's kernel gates (pkg/util/kernel/constants.go). */
const KERNEL_GATES: Record<string, string> = {
  'net.ipv4.ip_local_reserved_ports': '3.16',
  'net.ipv4.tcp_keepalive_time': '4.5',
  'net.ipv4.tcp_keepalive_intvl': '4.5',
  'net.ipv4.tcp_keepalive_probes': '4.5',
  'net.ipv4.tcp_fin_timeout': '4.6',
  'net.ipv4.tcp_rmem': '4.15',
  'net.ipv4.tcp_wmem': '4.15',
  'net.ipv4.tcp_slow_start_after_idle': '4.15',
  'net.ipv4.tcp_notsent_lowat': '4.6',
};

/** Keys the knowledge base must cover beyond the safe list (issue 8). */
const TUNING_KEYS = [
  'net.core.somaxconn', 'net.core.netdev_max_backlog', 'net.core.rmem_max', 'net.core.wmem_max', 'net.core.rmem_default',
  'net.core.wmem_default', 'net.core.optmem_max', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_mem', 'net.ipv4.udp_mem',
  'net.ipv4.tcp_tw_reuse', 'net.ipv4.ip_forward', 'net.netfilter.nf_conntrack_max', 'fs.file-max', 'fs.nr_open',
  'fs.inotify.max_user_watches', 'fs.inotify.max_user_instances', 'fs.aio-max-nr', 'fs.mqueue.queues_max', 'fs.mqueue.msg_max',
  'fs.mqueue.msgsize_max', 'fs.mqueue.msg_default', 'fs.mqueue.msgsize_default', 'vm.max_map_count', 'vm.swappiness',
  'vm.overcommit_memory', 'vm.dirty_ratio', 'vm.dirty_background_ratio', 'kernel.pid_max', 'kernel.threads-max', 'kernel.shmmax',
  'kernel.shmall', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.sem',
];

type Placement = 'safe' | 'namespaced' | 'node';
const VERSIONS = [17, 18, 21, 22, 26, 27, 28, 29, 31, 32, 36, 37] as const;

/** Where each key lands per Kubernetes minor, on a node with the assumed kernel (4.19). */
const PLACEMENT: [string, Placement[]][] = [
  //                                       1.17   1.18   1.21   1.22   1.26   1.27   1.28   1.29   1.31   1.32   1.36   1.37
  ['kernel.shm_rmid_forced',              ['safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe']],
  ['net.ipv4.ping_group_range',           ['namespaced', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe']],
  ['net.ipv4.ip_unprivileged_port_start', ['namespaced', 'namespaced', 'namespaced', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe']],
  ['net.ipv4.ip_local_reserved_ports',    ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'safe']],
  ['net.ipv4.tcp_keepalive_time',         ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'safe', 'safe', 'safe', 'safe', 'safe']],
  ['net.ipv4.tcp_rmem',                   ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'safe', 'safe', 'safe']],
  ['net.ipv4.tcp_notsent_lowat',          ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'safe']],
  ['net.core.somaxconn',                  ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced']],
  ['kernel.shmmax',                       ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced']],
  ['fs.mqueue.msg_max',                   ['namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced', 'namespaced']],
  ['net.core.rmem_max',                   ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node']],
  ['net.core.optmem_max',                 ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node']],
  ['net.ipv4.tcp_mem',                    ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node']],
  ['fs.file-max',                         ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node']],
  ['vm.max_map_count',                    ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node']],
  ['kernel.pid_max',                      ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node']],
];

describe('placement per Kubernetes version', () => {
  it.each(PLACEMENT)('%s', (key, expected) => {
    expect(VERSIONS.map((minor) => sysctlScope(key, minor))).toEqual(expected);
  });

  it('tcp_rmem and tcp_wmem are namespaced-unsafe on 1.31 and safe on 1.32', () => {
    for (const key of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']) {
      expect(sysctlScope(key, 31)).toBe('namespaced');
      expect(sysctlScope(key, 32)).toBe('safe');
    }
  });

  it('outside Kubernetes a key is only namespaced or node-level', () => {
    expect(sysctlScope('net.ipv4.tcp_keepalive_time')).toBe('namespaced');
    expect(sysctlScope('kernel.shmmax')).toBe('namespaced');
    expect(sysctlScope('vm.swappiness')).toBe('node');
  });

  it('a key the knowledge base does not know is node-level', () => {
    expect(sysctlScope('net.ipv4.tcp_congestion_control', 32)).toBe('node');
    expect(sysctlInfo('net.ipv4.tcp_congestion_control')).toBeUndefined();
  });

  it('safe lists per version grow as the kubelet added keys', () => {
    expect(safeSysctls(26)).toEqual(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies']);
    expect(safeSysctls(37)).toEqual(Object.keys(KUBELET_SAFE).sort());
  });
});

describe('kernel gates', () => {
  it.each(Object.entries(KERNEL_GATES))('the kubelet keeps %s off its safe list below kernel %s', (key, gate) => {
    const [major, minor] = parseKernelVersion(gate) ?? [0, 0];
    const below = minor > 0 ? `${major}.${minor - 1}` : `${major - 1}.99`;
    expect(isSafeSysctl(key, 40, gate)).toBe(true);
    expect(isSafeSysctl(key, 40, below)).toBe(false);
    expect(sysctlScope(key, 40, below)).toBe('node');
  });

  it('a release string counts as its major.minor', () => {
    expect(isSafeSysctl('net.ipv4.tcp_rmem', 32, '4.15.0-213-generic')).toBe(true);
    expect(isSafeSysctl('net.ipv4.tcp_rmem', 32, '4.14.336')).toBe(false);
    expect(isSafeSysctl('net.ipv4.tcp_keepalive_time', 29, '6.18.44-fc-v669')).toBe(true);
  });

  it('net.core.optmem_max is per-namespace from Linux 6.8, node-level before', () => {
    expect(sysctlNamespace('net.core.optmem_max', '6.7')).toBeUndefined();
    expect(sysctlNamespace('net.core.optmem_max', '6.8')).toBe('net');
    expect(sysctlScope('net.core.optmem_max', 32, '6.8.0-45-generic')).toBe('namespaced');
    expect(sysctlScope('net.core.optmem_max', 32)).toBe('node');
  });

  it('compares versions by number, not text', () => {
    expect(kernelAtLeast('4.19', '4.5')).toBe(true);
    expect(kernelAtLeast('4.4', '4.15')).toBe(false);
    expect(kernelAtLeast('10.0', '9.99')).toBe(true);
    expect(parseKernelVersion('linux')).toBeUndefined();
    expect(() => kernelAtLeast('x', '4.5')).toThrow();
    expect(ASSUMED_NODE_KERNEL).toBe('4.19');
  });
});

describe('the entries', () => {
  const entries = knownSysctls();

  it('cover the kubelet safe list and the common tuning keys', () => {
    for (const key of [...Object.keys(KUBELET_SAFE), ...TUNING_KEYS]) expect(sysctlInfo(key), key).toBeDefined();
  });

  it('are sorted, unique and well-formed keys', () => {
    const keys = entries.map((entry) => entry.key);
    expect(keys).toEqual([...new Set(keys)].sort());
    for (const key of keys) expect(key).toMatch(SYSCTL_KEY);
  });

  it('name the kubelet version, gate and Pod Security version of every safe key', () => {
    for (const entry of entries) {
      const safe = entry.scope === 'namespaced' ? entry.safe : undefined;
      expect(safe?.since, entry.key).toBe(KUBELET_SAFE[entry.key]);
      expect(safe?.minKernel, entry.key).toBe(KERNEL_GATES[entry.key]);
      if (safe) expect(safe.podSecuritySince, entry.key).toBeLessThanOrEqual(safe.since);
    }
  });

  it('gate a safe key on the kernel that made it per-namespace', () => {
    for (const entry of entries) {
      if (entry.scope === 'namespaced' && entry.safe?.minKernel) expect(entry.namespacedSince, entry.key).toBe(entry.safe.minKernel);
    }
  });

  it('put each namespaced key under a prefix the kubelet knows to be namespaced', () => {
    // pkg/kubelet/sysctl/namespace.go: kernel.sem, kernel.shm*, kernel.msg*, fs.mqueue.* (ipc); net.* (net).
    for (const entry of entries) {
      if (entry.scope !== 'namespaced') continue;
      const prefix = entry.namespace === 'net' ? /^net\./ : /^(kernel\.sem$|kernel\.shm|kernel\.msg|fs\.mqueue\.)/;
      expect(entry.key, entry.key).toMatch(prefix);
    }
  });

  it('accept their own examples and kernel defaults', () => {
    for (const entry of entries) {
      expect(validateSysctlValue(entry.key, entry.example), `${entry.key} example`).toBeUndefined();
      if (entry.kernelDefault !== undefined) expect(validateSysctlValue(entry.key, entry.kernelDefault), `${entry.key} default`).toBeUndefined();
    }
  });

  it('explain themselves in one line and name a source', () => {
    for (const entry of entries) {
      expect(entry.summary, entry.key).toMatch(/^[A-Z].*\.$/);
      expect(entry.summary, entry.key).not.toContain('\n');
      expect(entry.source, entry.key).toMatch(/https:\/\/|linux |kubernetes /);
    }
  });

  it('say how a container sees node-level keys, and when the read-only view appeared', () => {
    for (const entry of entries) {
      if (entry.scope === 'node' && entry.readOnlySince !== undefined) expect(entry.inNamespace, entry.key).toBe('read-only');
    }
    expect(sysctlInfo('net.core.rmem_max')).toMatchObject({ scope: 'node', inNamespace: 'read-only', readOnlySince: '6.11' });
    expect(sysctlInfo('net.core.netdev_max_backlog')).toMatchObject({ scope: 'node', inNamespace: 'absent' });
    expect(sysctlInfo('fs.file-max')).toMatchObject({ scope: 'node', inNamespace: 'shared' });
  });

  it('know which namespaced keys copy the host value instead of starting from kernel defaults', () => {
    const copied = entries.filter((entry) => entry.scope === 'namespaced' && entry.initialValue === 'copied-from-host').map((entry) => entry.key);
    expect(copied).toEqual(['net.ipv4.ip_forward', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
    const ipc = entries.filter((entry) => entry.scope === 'namespaced' && entry.namespace === 'ipc');
    expect(ipc.every((entry) => entry.scope === 'namespaced' && entry.initialValue === 'kernel-default')).toBe(true);
  });
});
