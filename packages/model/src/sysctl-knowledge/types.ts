/** The shape of one entry of the sysctl knowledge base. */
import type { KernelVersion } from './kernel-version.js';

/**
 * What a value must look like. Values are the decimal text the kernel reads from `/proc/sys` (and what
 * Kubernetes carries as strings); fields of a multi-field value are separated by spaces or tabs.
 */
export type SysctlValueFormat =
  /** One decimal integer, `min` ≤ value ≤ `max`. */
  | { readonly kind: 'integer'; readonly min: bigint; readonly max: bigint; readonly unit?: string }
  /** `0` or `1`. */
  | { readonly kind: 'boolean' }
  /** One of a few integers, each with its meaning. */
  | { readonly kind: 'choice'; readonly choices: Readonly<Record<string, string>> }
  /**
   * `low high` with `min` ≤ low ≤ high ≤ `max`; `disabled`, when given, is the one value allowed with
   * low > high (`net.ipv4.ping_group_range` '1 0': nobody).
   */
  | { readonly kind: 'range'; readonly min: bigint; readonly max: bigint; readonly disabled?: string }
  /** Fixed fields (`tcp_rmem`: min default max); `ordered` asks each field to be ≤ the next. */
  | { readonly kind: 'fields'; readonly fields: readonly SysctlField[]; readonly ordered: boolean; readonly unit?: string }
  /** Comma-separated ports and `low-high` port ranges (0–65535), or empty. */
  | { readonly kind: 'port-list' };

export interface SysctlField {
  readonly name: string;
  readonly min: bigint;
  readonly max: bigint;
}

/** The kubelet's safe list and Pod Security Admission's baseline policy, for one key. */
export interface SafeInKubernetes {
  /** Kubernetes minor version from which the kubelet allows it without `--allowed-unsafe-sysctls`. */
  readonly since: number;
  /**
   * Pod Security Admission (baseline and restricted) policy version that allows it. Usually `since`; the
   * first policy (1.0) already named `ping_group_range` and `ip_unprivileged_port_start`.
   */
  readonly podSecuritySince: number;
  /** Node kernel below which the kubelet drops it from its safe list (`pkg/util/kernel/constants.go`). */
  readonly minKernel?: KernelVersion;
}

interface SysctlEntryBase {
  /** The dotted key, as `sysctl -w` and Kubernetes write it. */
  readonly key: string;
  /** One line: what it controls. */
  readonly summary: string;
  readonly value: SysctlValueFormat;
  /** A realistic value that Kiln accepts; the kernel test sets it (namespaced keys) in a fresh namespace. */
  readonly example: string;
  /** The kernel's own default where it is a constant (memory-sized defaults are left out). */
  readonly kernelDefault?: string;
  /** Why the key may be missing from `/proc/sys` (a module that is not loaded): it is not an error then. */
  readonly requires?: string;
  /** What surprises people about it, briefly. */
  readonly note?: string;
  /** Where the facts come from: a URL or a source path. */
  readonly source: string;
}

/** A key whose value belongs to a network or IPC namespace: a pod or container can have its own. */
export interface NamespacedSysctlEntry extends SysctlEntryBase {
  readonly scope: 'namespaced';
  readonly namespace: 'net' | 'ipc';
  /**
   * What a new namespace starts with: the kernel's compiled default (host `sysctl.d` values never reach
   * it, kubernetes#71358), or a copy of the host's value taken when the namespace is created.
   */
  readonly initialValue: 'kernel-default' | 'copied-from-host';
  /**
   * First kernel on which the key is per-namespace; on older kernels it is node-level (one host-wide
   * value, or no key in the namespace). Absent: per-namespace on every kernel Kubernetes supports.
   */
  readonly namespacedSince?: KernelVersion;
  /** Present when the kubelet treats it as safe from some Kubernetes version on. */
  readonly safe?: SafeInKubernetes;
}

/** A key with one value for the whole machine: it belongs in a host profile, never in a pod. */
export interface NodeSysctlEntry extends SysctlEntryBase {
  readonly scope: 'node';
  /**
   * How a fresh network and IPC namespace sees it on current kernels: `shared` is the host's own file
   * (root in the namespace would change the host; runtimes refuse it), `read-only` a read-only view of
   * the host's value, `absent` no file at all.
   */
  readonly inNamespace: 'shared' | 'read-only' | 'absent';
  /** For `read-only`: the kernel that added the read-only view; older kernels have no file. */
  readonly readOnlySince?: KernelVersion;
}

export type SysctlEntry = NamespacedSysctlEntry | NodeSysctlEntry;

/** Why a sysctl or its value is refused. */
export type SysctlProblemReason =
  /** Not in the knowledge base. */
  | 'unknown'
  /** Not the shape the format asks for (not decimal, wrong number of fields). */
  | 'malformed'
  /** A number outside the key's bounds. */
  | 'out-of-range'
  /** Fields that must be ordered are not (min > max). */
  | 'unordered'
  /** Two keys whose values the kernel refuses together. */
  | 'conflict'
  /** Two keys whose values the kernel accepts only in one order; runtimes apply pod sysctls in no fixed order. */
  | 'order-dependent';
