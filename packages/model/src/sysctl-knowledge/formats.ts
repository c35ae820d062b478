/** Bounds and formats the entries share. The kernel's limits are C types; these are their values on 64-bit Linux. */
import type { SafeInKubernetes, SysctlValueFormat } from './types.js';

export const INT_MAX = 2147483647n;
export const UINT_MAX = 4294967295n;
export const LONG_MAX = 9223372036854775807n;
export const ULONG_MAX = 18446744073709551615n;
/**
 * Seconds the kernel stores as jiffies (`proc_dointvec_jiffies`): it refuses more than INT_MAX / HZ, and
 * HZ is at most 1000.
 */
export const JIFFY_SECONDS_MAX = 2147483n;
/** IPCMNI: the most IPC identifiers (`shmmni`, `msgmni`, SEMMNI) without the `ipcmni_extend` boot option. */
export const IPCMNI = 32768n;

export function integer(min: bigint, max: bigint, unit?: string): SysctlValueFormat {
  return unit === undefined ? { kind: 'integer', min, max } : { kind: 'integer', min, max, unit };
}

export const BOOLEAN: SysctlValueFormat = { kind: 'boolean' };

/** Three ordered sizes: `tcp_rmem`, `tcp_wmem` (bytes), `tcp_mem`, `udp_mem` (pages). */
export function triple(names: readonly [string, string, string], min: bigint, max: bigint, unit: string): SysctlValueFormat {
  return { kind: 'fields', fields: names.map((name) => ({ name, min, max })), ordered: true, unit };
}

/** `safe` for a key the kubelet has allowed since 1.x, with Pod Security's policy version. */
export function safeSince(since: number, podSecuritySince: number, minKernel?: string): SafeInKubernetes {
  return minKernel === undefined ? { since, podSecuritySince } : { since, podSecuritySince, minKernel };
}

export const KUBELET_SAFE_LIST = 'kubernetes pkg/kubelet/sysctl/safe_sysctls.go, pkg/util/kernel/constants.go; https://kubernetes.io/docs/reference/node/kernel-version-requirements/';
export const IP_SYSCTL = 'https://docs.kernel.org/networking/ip-sysctl.html';
export const NET_CORE = 'https://docs.kernel.org/admin-guide/sysctl/net.html';
export const KERNEL_SYSCTL = 'https://docs.kernel.org/admin-guide/sysctl/kernel.html';
export const VM_SYSCTL = 'https://docs.kernel.org/admin-guide/sysctl/vm.html';
export const FS_SYSCTL = 'https://docs.kernel.org/admin-guide/sysctl/fs.html';
