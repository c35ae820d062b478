/**
 * Where a sysctl can take effect, from the knowledge base (./sysctl-knowledge). Kubernetes allows "safe"
 * sysctls in a pod by default, depending on the kubelet version and the node's kernel
 * (pkg/kubelet/sysctl/safe_sysctls.go); other namespaced ones need the kubelet's
 * --allowed-unsafe-sysctls; node-level ones only work on the host (/etc/sysctl.d).
 */
import { isSafeSysctl, sysctlNamespace } from './sysctl-knowledge/index.js';
import { ASSUMED_NODE_KERNEL } from './sysctl-knowledge/kernel-version.js';
import type { KernelVersion } from './sysctl-knowledge/kernel-version.js';

export type SysctlScope = 'safe' | 'namespaced' | 'node';

/**
 * Scope of a sysctl for a given Kubernetes minor version (or `undefined` outside Kubernetes), on a node
 * running `kernel` (by default the oldest kernel Kubernetes supports, {@link ASSUMED_NODE_KERNEL}).
 * A key the knowledge base does not know is node-level.
 */
export function sysctlScope(key: string, kubernetesMinor?: number, kernel: KernelVersion = ASSUMED_NODE_KERNEL): SysctlScope {
  if (sysctlNamespace(key, kernel) === undefined) return 'node';
  if (kubernetesMinor !== undefined && isSafeSysctl(key, kubernetesMinor, kernel)) return 'safe';
  return 'namespaced';
}
