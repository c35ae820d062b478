/**
 * The sysctl knowledge base: for every key Kiln knows, whether the kernel keeps it per namespace or per
 * machine, whether the kubelet treats it as safe (from which Kubernetes version, on which kernels), and
 * what its value may be. A key Kiln does not know is refused until declared with a reason.
 */
import { ModelCode } from '../codes.js';
import { IPC_ENTRIES } from './entries-ipc.js';
import { NET_ENTRIES } from './entries-net.js';
import { NODE_ENTRIES } from './entries-node.js';
import { ASSUMED_NODE_KERNEL, kernelAtLeast } from './kernel-version.js';
import type { KernelVersion } from './kernel-version.js';
import type { SysctlEntry, SysctlProblemReason } from './types.js';
import { checkValue, rangeLow } from './values.js';

export { ASSUMED_NODE_KERNEL, kernelAtLeast, parseKernelVersion } from './kernel-version.js';
export type { KernelVersion } from './kernel-version.js';
export type { NamespacedSysctlEntry, NodeSysctlEntry, SafeInKubernetes, SysctlEntry, SysctlField, SysctlProblemReason, SysctlValueFormat } from './types.js';

const ENTRIES: ReadonlyMap<string, SysctlEntry> = new Map(
  [...NET_ENTRIES, ...IPC_ENTRIES, ...NODE_ENTRIES].sort((a, b) => (a.key < b.key ? -1 : 1)).map((entry) => [entry.key, entry]),
);

/** A sysctl or a value Kiln refuses, with the fix. */
export interface SysctlProblem {
  /** `INVALID_SYSCTL` for an unknown key, `INVALID_VALUE` for a value. */
  readonly code: ModelCode;
  readonly reason: SysctlProblemReason;
  readonly key: string;
  readonly message: string;
  readonly hint?: string;
}

/** What Kiln knows about `key`, or `undefined` for a key it does not know. */
export function sysctlInfo(key: string): SysctlEntry | undefined {
  return ENTRIES.get(key);
}

/** Every known key, sorted. */
export function knownSysctls(): readonly SysctlEntry[] {
  return [...ENTRIES.values()];
}

/**
 * The namespace that holds `key` on a node running `kernel` (by default {@link ASSUMED_NODE_KERNEL}),
 * or `undefined` when it is node-level there, or unknown: Kiln treats a declared unknown key as node-level.
 */
export function sysctlNamespace(key: string, kernel: KernelVersion = ASSUMED_NODE_KERNEL): 'net' | 'ipc' | undefined {
  const entry = ENTRIES.get(key);
  if (entry?.scope !== 'namespaced') return undefined;
  if (entry.namespacedSince !== undefined && !kernelAtLeast(kernel, entry.namespacedSince)) return undefined;
  return entry.namespace;
}

/**
 * Whether the kubelet of Kubernetes 1.`kubernetesMinor` allows `key` in a pod without
 * `--allowed-unsafe-sysctls`, on a node running `kernel` (by default {@link ASSUMED_NODE_KERNEL}).
 * Kiln keeps the kubelet's kernel gates even where newer kubelets stopped checking them: below the gate
 * the key is not per-namespace, so the pod would fail to start anyway.
 */
export function isSafeSysctl(key: string, kubernetesMinor: number, kernel: KernelVersion = ASSUMED_NODE_KERNEL): boolean {
  const entry = ENTRIES.get(key);
  if (entry?.scope !== 'namespaced' || entry.safe === undefined) return false;
  if (kubernetesMinor < entry.safe.since) return false;
  return entry.safe.minKernel === undefined || kernelAtLeast(kernel, entry.safe.minKernel);
}

/** The keys the kubelet of Kubernetes 1.`kubernetesMinor` treats as safe on `kernel`, sorted. */
export function safeSysctls(kubernetesMinor: number, kernel: KernelVersion = ASSUMED_NODE_KERNEL): readonly string[] {
  return [...ENTRIES.keys()].filter((key) => isSafeSysctl(key, kubernetesMinor, kernel));
}

/** A problem with `value` for `key`, or `undefined` when Kiln accepts it. An unknown key is a problem. */
export function validateSysctlValue(key: string, value: string): SysctlProblem | undefined {
  const entry = ENTRIES.get(key);
  if (!entry) {
    return {
      code: ModelCode.INVALID_SYSCTL,
      reason: 'unknown',
      key,
      message: `'${key}' is not a sysctl Kiln knows, so it cannot tell where it takes effect`,
      hint: 'check the spelling; to use it anyway, declare it with a reason and Kiln places it as node-level (a host profile)',
    };
  }
  const problem = checkValue(entry.value, value);
  if (!problem) return undefined;
  return { code: ModelCode.INVALID_VALUE, key, ...problem, message: `${key}: ${problem.message}` };
}

const PORT_RANGE = 'net.ipv4.ip_local_port_range';
const UNPRIVILEGED = 'net.ipv4.ip_unprivileged_port_start';

/**
 * Problems between keys set together (one pod, one container or one host profile), for values that
 * each passed {@link validateSysctlValue}. The kernel refuses a local port range that starts below
 * `ip_unprivileged_port_start`, checking whichever of the two is written second against the other's
 * current value; container runtimes write a pod's sysctls in no fixed order (runc ranges over a Go map).
 */
export function validateSysctlSet(values: Readonly<Record<string, string>>): readonly SysctlProblem[] {
  const range = values[PORT_RANGE];
  const unprivileged = values[UNPRIVILEGED];
  if (range === undefined || validateSysctlValue(PORT_RANGE, range)) return [];
  if (unprivileged !== undefined && validateSysctlValue(UNPRIVILEGED, unprivileged)) return [];
  const low = rangeLow(range);
  const start = BigInt(unprivileged ?? kernelDefault(UNPRIVILEGED));
  if (low < start) {
    return [
      {
        code: ModelCode.INVALID_VALUE,
        reason: 'conflict',
        key: PORT_RANGE,
        message: `${PORT_RANGE} starts at ${low}, below ${UNPRIVILEGED} ${start}; the kernel refuses it (EINVAL)`,
        hint: `start the range at ${start} or above, or lower ${UNPRIVILEGED}`,
      },
    ];
  }
  if (unprivileged === undefined) return [];
  // Both are set and the pair is valid; it must also hold against the other key's fresh-namespace value.
  const freshLow = rangeLow(kernelDefault(PORT_RANGE));
  const freshStart = BigInt(kernelDefault(UNPRIVILEGED));
  if (low < freshStart || start > freshLow) {
    const first = low < freshStart ? UNPRIVILEGED : PORT_RANGE;
    return [
      {
        code: ModelCode.INVALID_VALUE,
        reason: 'order-dependent',
        key: PORT_RANGE,
        message: `${PORT_RANGE} '${range}' and ${UNPRIVILEGED} ${start} are accepted only when ${first} is written first, and a container runtime writes them in no fixed order`,
        hint: `keep ${PORT_RANGE} at ${freshStart} or above and ${UNPRIVILEGED} at ${freshLow} or below`,
      },
    ];
  }
  return [];
}

function kernelDefault(key: string): string {
  const value = ENTRIES.get(key)?.kernelDefault;
  if (value === undefined) throw new Error(`no kernel default recorded for ${key}`);
  return value;
}
