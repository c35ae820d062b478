/**
 * Kubernetes node pools seen whole: the DaemonSets that write a pool's node-level sysctls, and the
 * check across environments that share a cluster. A pool is a set of nodes, not an environment's:
 * two environments that name one pool on one cluster tune the same machines, so their profiles must
 * agree on every value, or whichever sysctl.d file or DaemonSet comes last would silently win.
 */
import { ModelCode } from '../codes.js';
import type { Diagnostic } from '../diagnostic.js';
import { compareText } from '../model.js';
import type { Environment, KubernetesTarget } from '../model.js';
import type { HostProfile, NodeSysctlDaemonSet } from './plan.js';

/** The node tuning DaemonSets' init container: writes the keys, so it needs `/bin/sh`, `cat` and `tr` (busybox has them). Pinned. */
export const NODE_TUNING_IMAGE = 'docker.io/library/busybox:1.37.0';
/** Keeps a node tuning pod running after its init container; runs as its built-in user 65535. Pinned. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** The environment's namespace for node tuning: its DaemonSets need Pod Security's privileged level, which the workloads' namespace must not have. */
export function nodeTuningNamespace(target: KubernetesTarget): string {
  return `${target.namespace}-node-tuning`;
}

/** One DaemonSet per pool with `nodeSysctls: 'daemonset'` whose profile sets anything. */
export function nodeSysctlDaemonSets(target: KubernetesTarget, profiles: readonly HostProfile[]): NodeSysctlDaemonSet[] {
  return target.nodePools
    .filter((pool) => pool.nodeSysctls === 'daemonset')
    .flatMap((pool): NodeSysctlDaemonSet[] => {
      const sysctls = (profiles.find((profile) => profile.name === pool.profile)?.sysctls ?? []).map(({ key, value }) => ({ key, value }));
      if (sysctls.length === 0) return [];
      return [{ pool: pool.name, profile: pool.profile, name: `node-sysctls-${pool.name}`, namespace: nodeTuningNamespace(target), nodeSelector: pool.nodeSelector, sysctls, hostNetwork: sysctls.some((s) => s.key.startsWith('net.')) }];
    })
    .sort((a, b) => compareText(a.name, b.name));
}

/** Where a target's objects really go: the destination Argo CD resolves (as the Argo CD checks use it). */
function clusterOf(target: KubernetesTarget): string {
  return target.destination.server ?? `name:${target.destination.name ?? target.cluster}`;
}

/**
 * Two environments on one cluster with a node pool of one name: every sysctl and runtime default
 * both profiles set must have one value. Reported on the later environment (by name), naming both.
 */
export function checkNodePools(environments: readonly Environment[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  /** By cluster and pool: each setting's value and the environment that set it first. */
  const pools = new Map<string, Map<string, { value: string; environment: string }>>();
  for (const environment of [...environments].sort((a, b) => compareText(a.name, b.name))) {
    const target = environment.targets.kubernetes;
    if (!target) continue;
    for (const pool of target.nodePools) {
      const profile = environment.tuning.profiles.find((p) => p.name === pool.profile);
      const values: [string, string][] = [
        ...(profile?.sysctls ?? []).map((s): [string, string] => [s.key, s.value]),
        ...(profile?.runtimeLimits ?? []).map((l): [string, string] => [`the container runtime's ${l.item} limit`, `${l.soft}:${l.hard}`]),
      ];
      const place = `${clusterOf(target)}/${pool.name}`;
      const set = pools.get(place) ?? new Map<string, { value: string; environment: string }>();
      pools.set(place, set);
      for (const [setting, value] of values) {
        const first = set.get(setting);
        if (!first) {
          set.set(setting, { value, environment: environment.name });
        } else if (first.value !== value) {
          diagnostics.push({
            code: ModelCode.NODE_POOL_CONFLICT,
            severity: 'error',
            file: environment.source,
            path: `targets.kubernetes.nodePools[${pool.name}]`,
            message: `environments '${first.environment}' and '${environment.name}' both run on node pool '${pool.name}' of cluster '${target.cluster}' and need different values of ${setting} ('${first.value}' and '${value}'): the pool's nodes can have only one, and the last file or DaemonSet applied would silently win`,
            hint: `agree on one value in both environments' services, or give '${environment.name}' a node pool of its own`,
          });
        }
      }
    }
  }
  return diagnostics;
}
