/**
 * The placement of tuning needs, per target:
 * - hosts: a service runs in the machine's own namespaces, so every sysctl goes to the machine
 *   profile's sysctl.d; ulimits go to limits.d (PAM logins) and to the unit's systemd drop-in.
 * - Compose: namespaced sysctls stay on the container; node-level ones go to the Docker host's profile.
 * - Kubernetes: safe sysctls go on the pod; unsafe namespaced ones too where the pool's kubelet allows
 *   them (and the pod is pinned to the pool); node-level ones go to the pool's profile. The default
 *   pool (no `nodePools` apply) has no profile: a node-level need there has nowhere to go.
 * A need that cannot be met is an error unless the environment accepts it (`tuning.accept`).
 * Profiles are checked as a whole: one key with two values, nofile above `fs.nr_open`.
 */
import { ModelCode } from '../codes.js';
import type { Issue } from '../diagnostic.js';
import { compareText, servicesOf } from '../model.js';
import type { Environment, KubernetesTarget, NodePool, Service } from '../model.js';
import { isSafeSysctl, sysctlInfo, sysctlNamespace } from '../sysctl-knowledge/index.js';
import { ASSUMED_NODE_KERNEL, kernelAtLeast } from '../sysctl-knowledge/kernel-version.js';
import type { AcceptedGap, HostProfile, PodTuning, ProfileLimit, ProfileSysctl, TuningNeed, TuningPlan, UnitTuning } from './plan.js';
import { DEFAULT_NR_OPEN } from './ulimits.js';

type Path = readonly (string | number)[];

export interface TuningInput {
  /** Path of a service in the input (`['systems', 0, 'services', 2]`). */
  readonly servicePath: (name: string) => Path;
  /** The environment's accepted gaps, as written. */
  readonly accept: readonly { readonly service: string; readonly sysctl?: string | undefined; readonly ulimit?: string | undefined; readonly reason: string }[];
}

/** The default pool of a Kubernetes target: the target's own allow-list, no labels, no profile. */
const DEFAULT_POOL = 'default';

interface ProfileDraft {
  readonly appliesTo: Set<string>;
  readonly sysctls: Map<string, { value: string; needs: TuningNeed[]; service: string; note?: string }>;
  readonly limits: Map<string, ProfileLimit>;
  /** nofile hard limits that must fit under fs.nr_open. */
  readonly nofile: { service: string; hard: number; path: Path }[];
}

export function placeTuning(env: Environment, input: TuningInput): { plan: TuningPlan; issues: Issue[] } {
  const issues: Issue[] = [];
  const profiles = new Map<string, ProfileDraft>();
  const pods: Record<string, PodTuning> = {};
  const units = new Map<string, UnitTuning>();
  const used = new Set<number>();
  const services = new Map(servicesOf(env).map((service) => [service.name, service]));
  const sysctlPath = (service: Service, key: string): Path => [...input.servicePath(service.name), 'tuning', 'sysctls', key];
  const ulimitPath = (service: Service, name: string): Path => [...input.servicePath(service.name), 'tuning', 'ulimits', name];
  const need = (service: Service, key: string): TuningNeed => {
    const reason = service.sysctlReasons[key];
    return reason === undefined ? { service: service.name } : { service: service.name, reason };
  };

  const profile = (name: string, appliesTo: string): ProfileDraft => {
    const draft = profiles.get(name) ?? { appliesTo: new Set<string>(), sysctls: new Map(), limits: new Map(), nofile: [] };
    draft.appliesTo.add(appliesTo);
    profiles.set(name, draft);
    return draft;
  };
  const addSysctl = (name: string, draft: ProfileDraft, service: Service, key: string, value: string) => {
    const seen = draft.sysctls.get(key);
    if (!seen) {
      draft.sysctls.set(key, { value, needs: [need(service, key)], service: service.name });
    } else if (seen.value !== value) {
      issues.push({
        code: ModelCode.SYSCTL_CONFLICT,
        path: sysctlPath(service, key),
        message: `services '${seen.service}' and '${service.name}' need different values of ${key} on host profile '${name}' ('${seen.value}' and '${value}'); sysctl.d applies files in order and the last one wins, so one service would silently lose`,
        hint: `agree on one value in both services, or run them on machines with different profiles`,
      });
    } else if (!seen.needs.some((n) => n.service === service.name)) {
      seen.needs.push(need(service, key));
    }
  };
  const addNofile = (draft: ProfileDraft, service: Service) => {
    const nofile = service.ulimits.nofile;
    if (nofile) draft.nofile.push({ service: service.name, hard: nofile.hard, path: [...ulimitPath(service, 'nofile'), 'hard'] });
  };
  /** A need no target can meet: an error, unless the environment accepts it. */
  const gap = (service: Service, key: string, issue: Issue) => {
    const index = input.accept.findIndex((a) => a.service === service.name && a.sysctl === key);
    if (index >= 0) used.add(index);
    else issues.push(issue);
  };

  const { hosts, compose, kubernetes } = env.targets;
  for (const machine of hosts?.machines ?? []) {
    const draft = profile(machine.profile, `machine ${machine.name} (${machine.address})`);
    for (const name of machine.services) {
      const service = services.get(name);
      if (!service) continue;
      // A systemd service shares the machine's namespaces: namespaced keys are the host's too.
      for (const [key, value] of Object.entries(service.sysctls)) addSysctl(machine.profile, draft, service, key, value);
      for (const [item, limit] of Object.entries(service.ulimits)) {
        const domain = limitsDomain(service);
        const seen = draft.limits.get(`${domain}\u0000${item}`);
        if (seen && (seen.soft !== limit.soft || seen.hard !== limit.hard)) {
          issues.push({
            code: ModelCode.LIMIT_CONFLICT,
            path: ulimitPath(service, item),
            message: `services '${seen.need.service}' and '${name}' run as '${domain}' on host profile '${machine.profile}' and need different ${item} limits (${seen.soft}:${seen.hard} and ${limit.soft}:${limit.hard}); limits.d would apply whichever file comes last`,
            hint: 'agree on one limit, or run the services as different users',
          });
          continue;
        }
        if (!seen) draft.limits.set(`${domain}\u0000${item}`, { domain, item, soft: limit.soft, hard: limit.hard, need: limit.reason === undefined ? { service: name } : { service: name, reason: limit.reason } });
      }
      addNofile(draft, service);
      if (Object.keys(service.ulimits).length > 0 && !units.has(name)) units.set(name, unitTuning(service));
    }
  }

  if (compose) {
    for (const service of services.values()) {
      const node = Object.entries(service.sysctls).filter(([key]) => sysctlNamespace(key) === undefined);
      if (node.length === 0 && !service.ulimits.nofile) continue;
      const draft = profile(compose.hostProfile, 'the Docker host');
      for (const [key, value] of node) addSysctl(compose.hostProfile, draft, service, key, value);
      addNofile(draft, service);
    }
  }

  if (kubernetes) {
    for (const service of services.values()) {
      if (Object.keys(service.sysctls).length === 0 && Object.keys(service.ulimits).length === 0) continue;
      const { pool, declared } = poolOf(kubernetes, service);
      const kernel = pool.kernel ?? ASSUMED_NODE_KERNEL;
      const minor = kubernetes.version.minor;
      const draft = declared ? profile(pool.profile, `node pool ${pool.name}`) : undefined;
      const sysctls: { name: string; value: string }[] = [];
      let unsafe = false;
      let pinned = false;
      for (const [key, value] of Object.entries(service.sysctls)) {
        const path = sysctlPath(service, key);
        if (sysctlNamespace(key, kernel) === undefined) {
          if (draft) {
            addSysctl(pool.profile, draft, service, key, value);
            pinned = true;
          } else {
            gap(service, key, {
              code: ModelCode.SYSCTL_NOT_PLACED,
              path,
              message: `${key} is node-level: no pod can set it, and service '${service.name}' runs on the default node pool of '${env.name}', which Kiln does not tune`,
              hint: `declare the nodes under targets.kubernetes.nodePools (their host profile gets ${key}), or accept the gap: tuning.accept: [{ service: '${service.name}', sysctl: '${key}', reason: '…' }]`,
            });
          }
        } else if (isSafeSysctl(key, minor, kernel)) {
          sysctls.push({ name: key, value });
        } else if (allows(pool, key)) {
          sysctls.push({ name: key, value });
          unsafe = true;
          pinned = true;
        } else {
          gap(service, key, unsafeIssue(env, kubernetes, pool, kernel, key, path));
        }
      }
      if (draft) addNofile(draft, service);
      const nodeSelector = pinned && declared ? { ...pool.nodeSelector } : {};
      pods[service.name] = { pool: pool.name, sysctls: sysctls.sort((a, b) => compareText(a.name, b.name)), unsafe, nodeSelector };
    }
  }

  const finished: HostProfile[] = [...profiles]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, draft]) => finishProfile(name, draft, issues));

  const accepted: AcceptedGap[] = [];
  input.accept.forEach((entry, a) => {
    const path: Path = ['tuning', 'accept', a];
    const service = services.get(entry.service);
    if (!service) {
      issues.push({ code: ModelCode.UNKNOWN_SERVICE, path: [...path, 'service'], message: `there is no service '${entry.service}' in '${env.name}'`, hint: `services: ${[...services.keys()].join(', ')}` });
      return;
    }
    if ((entry.sysctl === undefined) === (entry.ulimit === undefined)) {
      issues.push({ code: ModelCode.INVALID_VALUE, path, message: 'an accepted gap names exactly one sysctl or one ulimit', hint: "write { service, sysctl: 'net.core.somaxconn', reason } or { service, ulimit: 'nofile', reason }" });
      return;
    }
    if (entry.sysctl !== undefined && !(entry.sysctl in service.sysctls)) {
      issues.push({ code: ModelCode.INVALID_VALUE, path: [...path, 'sysctl'], message: `service '${entry.service}' does not need ${entry.sysctl}`, hint: `its sysctls: ${Object.keys(service.sysctls).join(', ') || 'none'}` });
      return;
    }
    if (entry.ulimit !== undefined && !(entry.ulimit in service.ulimits)) {
      issues.push({ code: ModelCode.INVALID_VALUE, path: [...path, 'ulimit'], message: `service '${entry.service}' declares no ulimit '${entry.ulimit}'`, hint: `its ulimits: ${Object.keys(service.ulimits).join(', ') || 'none'}` });
      return;
    }
    // Ulimits on Kubernetes have no placement yet: stated in an annotation, so an accepted ulimit is a real gap there.
    const real = entry.sysctl !== undefined ? used.has(a) : kubernetes !== undefined;
    if (!real) {
      issues.push({
        code: ModelCode.TUNING_ACCEPT_UNUSED,
        severity: 'warning',
        path,
        message: `${entry.sysctl ?? entry.ulimit} of service '${entry.service}' is placed in '${env.name}': there is no gap to accept`,
        hint: 'remove the entry',
      });
    }
    accepted.push({ service: entry.service, ...(entry.sysctl === undefined ? {} : { sysctl: entry.sysctl }), ...(entry.ulimit === undefined ? {} : { ulimit: entry.ulimit }), reason: entry.reason });
  });

  return {
    plan: { profiles: finished, pods, units: [...units.values()].sort((a, b) => compareText(a.unit, b.unit)), accepted },
    issues,
  };
}

/** The pool a service runs on: the one its override names, the only one declared, or the default pool. */
function poolOf(target: KubernetesTarget, service: Service): { pool: NodePool; declared: boolean } {
  const named = service.nodePool === undefined ? undefined : target.nodePools.find((pool) => pool.name === service.nodePool);
  if (named) return { pool: named, declared: true };
  if (target.nodePools.length === 1 && target.nodePools[0]) return { pool: target.nodePools[0], declared: true };
  return { pool: { name: DEFAULT_POOL, nodeSelector: {}, allowedUnsafeSysctls: target.allowedUnsafeSysctls, profile: DEFAULT_POOL }, declared: false };
}

/** The kubelet's `--allowed-unsafe-sysctls` matching: exact names, or a prefix ending in `*`. */
function allows(pool: NodePool, key: string): boolean {
  return pool.allowedUnsafeSysctls.some((pattern) => (pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : pattern === key));
}

function unsafeIssue(env: Environment, target: KubernetesTarget, pool: NodePool, kernel: string, key: string, path: Path): Issue {
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

/** The pam_limits domain of a service's processes: its uid, root, or a user named after it. */
function limitsDomain(service: Service): string {
  if (isRoot(service)) return 'root';
  const uid = service.security.runAsUser;
  return uid === undefined ? service.name : `${uid}:${uid}`;
}

function isRoot(service: Service): boolean {
  return service.security.runAsUser === 0 || !service.security.runAsNonRoot;
}

function unitTuning(service: Service): UnitTuning {
  return {
    unit: `${service.name}.service`,
    service: service.name,
    root: isRoot(service),
    limits: Object.entries(service.ulimits)
      .sort(([a], [b]) => compareText(a, b))
      .map(([item, limit]) => ({ item, soft: limit.soft, hard: limit.hard, ...(limit.reason === undefined ? {} : { reason: limit.reason }) })),
  };
}

/**
 * nofile against `fs.nr_open`: a profile whose services need more than the kernel's default gets
 * fs.nr_open raised in the same file; a service that set it lower is an error.
 */
function finishProfile(name: string, draft: ProfileDraft, issues: Issue[]): HostProfile {
  const sysctls: ProfileSysctl[] = [...draft.sysctls]
    .map(([key, s]): ProfileSysctl => ({ key, value: s.value, needs: [...s.needs].sort((a, b) => compareText(a.service, b.service)) }));
  const highest = [...draft.nofile].sort((a, b) => b.hard - a.hard || compareText(a.service, b.service))[0];
  const explicit = draft.sysctls.get('fs.nr_open');
  if (highest && explicit) {
    const limit = Number(explicit.value);
    for (const nofile of draft.nofile.filter((n) => n.hard > limit)) {
      issues.push({
        code: ModelCode.NOFILE_ABOVE_NR_OPEN,
        path: nofile.path,
        message: `service '${nofile.service}' needs nofile ${nofile.hard}, above fs.nr_open ${limit} that '${explicit.service}' sets on host profile '${name}': the kernel refuses a limit above fs.nr_open, so the service would not start`,
        hint: `lower nofile to at most ${limit}, or raise fs.nr_open to ${nofile.hard}`,
      });
    }
  } else if (highest && highest.hard > DEFAULT_NR_OPEN) {
    sysctls.push({
      key: 'fs.nr_open',
      value: String(highest.hard),
      needs: [],
      note: `raised by Kiln: service '${highest.service}' needs nofile ${highest.hard}, above the kernel's default fs.nr_open ${DEFAULT_NR_OPEN}`,
    });
  }
  return {
    name,
    appliesTo: [...draft.appliesTo].sort(compareText),
    sysctls: sysctls.sort((a, b) => compareText(a.key, b.key)),
    limits: [...draft.limits.values()].sort((a, b) => compareText(`${a.domain}\u0000${a.item}`, `${b.domain}\u0000${b.item}`)),
  };
}
