/**
 * What a Kubernetes node pool accepts: the pool a service runs on (the default pool when none is
 * declared for it), the kubelet's `--allowed-unsafe-sysctls` matching, and the error that says which
 * flag, version or kernel a refused sysctl needs.
 */
import { ModelCode } from '../codes.js';
import type { Issue } from '../diagnostic.js';
import type { Environment, KubernetesTarget, NodePool, Service } from '../model.js';
import { sysctlInfo } from '../sysctl-knowledge/index.js';
import { kernelAtLeast } from '../sysctl-knowledge/kernel-version.js';

type Path = readonly (string | number)[];

/** The default pool of a Kubernetes target: the target's own allow-list, no labels, no profile. */
const DEFAULT_POOL = 'default';

/** The pool a service runs on: the one its override names, the only one declared, or the default pool. */
export function poolOf(target: KubernetesTarget, service: Service): { pool: NodePool; declared: boolean } {
  const named = service.nodePool === undefined ? undefined : target.nodePools.find((pool) => pool.name === service.nodePool);
  if (named) return { pool: named, declared: true };
  if (target.nodePools.length === 1 && target.nodePools[0]) return { pool: target.nodePools[0], declared: true };
  const pool: NodePool = { name: DEFAULT_POOL, nodeSelector: {}, allowedUnsafeSysctls: target.allowedUnsafeSysctls, profile: DEFAULT_POOL, nodeSysctls: 'sysctl.d', containerRuntime: 'containerd' };
  return { pool: target.ulimits === undefined ? pool : { ...pool, ulimits: target.ulimits }, declared: false };
}

/** The kubelet's `--allowed-unsafe-sysctls` matching: exact names, or a prefix ending in `*`. */
export function allows(pool: NodePool, key: string): boolean {
  return pool.allowedUnsafeSysctls.some((pattern) => (pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : pattern === key));
}

export function unsafeIssue(env: Environment, target: KubernetesTarget, pool: NodePool, kernel: string, key: string, path: Path): Issue {
  const entry = sysctlInfo(key);
  const safe = entry?.scope === 'namespaced' ? entry.safe : undefined;
  const minor = target.version.minor;
  const flag = `--allowed-unsafe-sysctls=${key}`;
  const where = pool.name === DEFAULT_POOL ? "the default node pool (list it in targets.kubernetes.allowedUnsafeSysctls)" : `node pool '${pool.name}' (list it in its allowedUnsafeSysctls)`;
  if (safe) {
    const needs = [
      ...(minor < safe.since ? [`Kubernetes 1.${safe.since}`] : []),
      ...(safe.minKernel !== undefined && !kernelAtLeast(kernel, safe.minKernel) ? [`a node kernel of ${safe.minKernel} or later (pool '${pool.name}' has ${kernel})`] : []),
    ];
    return {
      code: ModelCode.SYSCTL_NOT_SAFE_YET,
      path,
      message: `${key} is a safe sysctl only from ${needs.join(' on ')}; '${env.name}' targets Kubernetes 1.${minor}, whose kubelet refuses it unless allowed, so the pod would be scheduled and fail to start`,
      hint: `${minor < safe.since ? `target Kubernetes '1.${safe.since}' or later` : `run the pool on kernel ${safe.minKernel ?? ''} or later`}, or start the kubelets of ${where} with ${flag}`,
    };
  }
  return {
    code: ModelCode.SYSCTL_UNSAFE_NOT_ALLOWED,
    path,
    message: `${key} is a namespaced sysctl the kubelet treats as unsafe, and ${pool.name === DEFAULT_POOL ? 'the default node pool' : `node pool '${pool.name}'`} of '${env.name}' does not allow it: the pod would be scheduled and fail to start`,
    hint: `start the kubelets of ${where} with ${flag}${pool.name === DEFAULT_POOL ? ', or declare a pool that allows it under targets.kubernetes.nodePools' : ''}`,
  };
}
