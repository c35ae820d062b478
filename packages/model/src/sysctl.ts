/**
 * Where a sysctl can take effect. Kubernetes allows "safe" sysctls in a pod by default, depending on
 * the kubelet version (pkg/kubelet/sysctl/safe_sysctls.go); other namespaced ones need the kubelet's
 * --allowed-unsafe-sysctls; node-level ones only work on the host (/etc/sysctl.d).
 */
export type SysctlScope = 'safe' | 'namespaced' | 'node';

/** Safe sysctls with the Kubernetes minor version that made each one safe. */
const SAFE_SINCE: Record<string, number> = {
  'kernel.shm_rmid_forced': 0,
  'net.ipv4.ip_local_port_range': 0,
  'net.ipv4.tcp_syncookies': 0,
  'net.ipv4.ping_group_range': 18,
  'net.ipv4.ip_unprivileged_port_start': 22,
  'net.ipv4.ip_local_reserved_ports': 27,
  'net.ipv4.tcp_keepalive_time': 29,
  'net.ipv4.tcp_keepalive_intvl': 29,
  'net.ipv4.tcp_keepalive_probes': 29,
  'net.ipv4.tcp_fin_timeout': 29,
  'net.ipv4.tcp_rmem': 32,
  'net.ipv4.tcp_wmem': 32,
};

/** Node-level keys under otherwise namespaced prefixes. */
const NODE_LEVEL = [/^net\.core\.(rmem_max|wmem_max|rmem_default|wmem_default|netdev_max_backlog|optmem_max)$/, /^net\.ipv4\.tcp_mem$/, /^net\.ipv4\.udp_mem$/];

/** Docker's and runc's namespaced prefixes: the only sysctls a container can set. */
const NAMESPACED = [/^kernel\.msg/, /^kernel\.sem$/, /^kernel\.shm/, /^fs\.mqueue\./, /^net\./];

/** Scope of a sysctl for a given Kubernetes minor version (or `undefined` outside Kubernetes). */
export function sysctlScope(key: string, kubernetesMinor?: number): SysctlScope {
  if (NODE_LEVEL.some((pattern) => pattern.test(key)) || !NAMESPACED.some((pattern) => pattern.test(key))) return 'node';
  const since = SAFE_SINCE[key];
  if (kubernetesMinor !== undefined && since !== undefined && kubernetesMinor >= since) return 'safe';
  return 'namespaced';
}
