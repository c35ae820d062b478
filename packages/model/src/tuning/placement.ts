/**
 * The placement of tuning needs, per target:
 * - hosts: a service runs in the machine's own namespaces, so every sysctl goes to the machine
 *   profile's sysctl.d; ulimits go to limits.d (PAM logins) and to the unit's systemd drop-in.
 * - Compose: namespaced sysctls stay on the container; node-level ones go to the Docker host's profile.
 * - hosts whose machines are system containers (LXC on a container host): node-level sysctls go to the
 *   container host's profile instead, since the containers share its kernel and cannot set them.
 * - Kubernetes: safe sysctls go on the pod; unsafe namespaced ones too where the pool's kubelet allows
 *   them (and the pod is pinned to the pool); node-level ones go to the pool's profile. The default
 *   pool (no `nodePools` apply) has no profile: a node-level need there has nowhere to go. Ulimits go
 *   to the pool's container runtime defaults (`runtime`, in its profile) or into a shell wrapper around
 *   the container's command (`entrypoint`); Kubernetes itself has no field for them.
 * A need that cannot be met is an error unless the environment accepts it (`tuning.accept`).
 * Profiles are checked as a whole: one key with two values, nofile above `fs.nr_open`.
 */
import { ModelCode } from '../codes.js';
import type { Issue } from '../diagnostic.js';
import { compareText, servicesOf } from '../model.js';
import type { ContainerRuntime, Environment, NodePool, Service, Ulimit, UlimitMechanism } from '../model.js';
import { suggestName } from '../names.js';
import { isSafeSysctl, sysctlNamespace } from '../sysctl-knowledge/index.js';
import { ASSUMED_NODE_KERNEL } from '../sysctl-knowledge/kernel-version.js';
import { entrypointCommand } from './entrypoint.js';
import { allows, poolOf, unsafeIssue } from './kubernetes-pools.js';
import { nodeSysctlDaemonSets } from './node-pools.js';
import type { AcceptedGap, HostProfile, PodTuning, TuningNeed, TuningPlan, UnitTuning } from './plan.js';
import { emptyProfile, finishProfile } from './profiles.js';
import type { ProfileDraft } from './profiles.js';
import { runtimeSetsUlimit, SHELL_ULIMITS } from './ulimits.js';

type Path = readonly (string | number)[];

export interface TuningInput {
  /** Path of a service in the input (`['systems', 0, 'services', 2]`). */
  readonly servicePath: (name: string) => Path;
  /** The environment's accepted gaps, as written. */
  readonly accept: readonly { readonly service: string; readonly sysctl?: string | undefined; readonly ulimit?: string | undefined; readonly reason: string }[];
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
    const draft = profiles.get(name) ?? emptyProfile();
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
  const gap = (service: Service, need: { sysctl: string } | { ulimit: string }, issue: Issue) => {
    const index = input.accept.findIndex((a) => a.service === service.name && ('sysctl' in need ? a.sysctl === need.sysctl : a.ulimit === need.ulimit));
    if (index >= 0) used.add(index);
    else issues.push(issue);
  };
  const addRuntimeLimit = (name: string, draft: ProfileDraft, runtime: ContainerRuntime, service: Service, item: string, limit: Ulimit) => {
    draft.runtimes.add(runtime);
    const seen = draft.runtimeLimits.get(item);
    const mine = limit.reason === undefined ? { service: service.name } : { service: service.name, reason: limit.reason };
    if (!seen) {
      draft.runtimeLimits.set(item, { soft: limit.soft, hard: limit.hard, needs: [mine] });
    } else if (seen.soft !== limit.soft || seen.hard !== limit.hard) {
      issues.push({
        code: ModelCode.LIMIT_CONFLICT,
        path: ulimitPath(service, item),
        message: `services '${seen.needs[0]?.service ?? ''}' and '${service.name}' need different ${item} limits (${seen.soft}:${seen.hard} and ${limit.soft}:${limit.hard}) from the container runtime of host profile '${name}', whose defaults every container on those nodes shares`,
        hint: "agree on one limit, run the services on different pools, or give one of them ulimits: 'entrypoint'",
      });
    } else {
      seen.needs.push(mine);
    }
  };

  const { hosts, compose, kubernetes } = env.targets;
  for (const machine of hosts?.machines ?? []) {
    const draft = profile(machine.profile, `machine ${machine.name} (${machine.address})`);
    // A system container shares its host's kernel: node-level keys are the host's to set.
    const host = hosts?.containerHosts.find((h) => h.name === machine.containerHost);
    const node = host ? { name: host.profile, draft: () => profile(host.profile, `container host ${host.name}${host.address === undefined ? '' : ` (${host.address})`}`) } : { name: machine.profile, draft: () => draft };
    for (const name of machine.services) {
      const service = services.get(name);
      if (!service) continue;
      // A systemd service shares the machine's namespaces: namespaced keys are the host's too.
      for (const [key, value] of Object.entries(service.sysctls)) {
        if (sysctlNamespace(key) === undefined) addSysctl(node.name, node.draft(), service, key, value);
        else addSysctl(machine.profile, draft, service, key, value);
      }
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
      // fs.nr_open is node-level too.
      if (service.ulimits.nofile) addNofile(node.draft(), service);
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
            gap(service, { sysctl: key }, {
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
          gap(service, { sysctl: key }, unsafeIssue(env, kubernetes, pool, kernel, key, path));
        }
      }
      if (draft) addNofile(draft, service);
      const ulimits = placeUlimits(service, pool, draft);
      if (ulimits.mechanism === 'runtime') pinned = true;
      const nodeSelector = pinned && declared ? { ...pool.nodeSelector } : {};
      pods[service.name] = {
        pool: pool.name,
        sysctls: sysctls.sort((a, b) => compareText(a.name, b.name)),
        unsafe,
        nodeSelector,
        ...(ulimits.mechanism === undefined ? {} : { ulimits: ulimits.mechanism }),
        ...(ulimits.command === undefined ? {} : { command: ulimits.command }),
      };
    }
  }

  /**
   * Kubernetes has no ulimit field (kubernetes#3595): the pool's mechanism decides. `runtime` puts the
   * limits in the runtime defaults of the pool's profile; `entrypoint` wraps the container's command.
   */
  function placeUlimits(service: Service, pool: NodePool, draft: ProfileDraft | undefined): { mechanism?: UlimitMechanism; command?: string[] } {
    const items = Object.entries(service.ulimits);
    if (items.length === 0) return {};
    const declared = draft !== undefined;
    const where = declared ? `node pool '${pool.name}'` : 'the default node pool';
    const field = declared ? `targets.kubernetes.nodePools[${pool.name}].ulimits` : 'targets.kubernetes.ulimits';
    const accept = (item: string) => `tuning.accept: [{ service: '${service.name}', ulimit: '${item}', reason: '…' }]`;
    const unmet = (item: string, message: string, hint: string) => gap(service, { ulimit: item }, { code: ModelCode.ULIMIT_NOT_PLACED, path: ulimitPath(service, item), message, hint });
    const how = pool.ulimits;
    if (how === undefined) {
      for (const [item] of items) {
        const ways = declared
          ? `set ${field} to 'runtime' (the container runtime's defaults on the pool's nodes) or 'entrypoint' (a shell wrapper around the command)`
          : `set ${field} to 'entrypoint' (a shell wrapper around the command), or declare the nodes under targets.kubernetes.nodePools with ulimits: 'runtime'`;
        unmet(item, `Kubernetes has no ulimit field, and ${where} of '${env.name}' names no way to give service '${service.name}' its ${item} limit: it would run with whatever the container runtime gives`, `${ways}, or accept the gap: ${accept(item)}`);
      }
      return {};
    }
    if (how === 'runtime') {
      let placed = false;
      for (const [item, limit] of items) {
        if (!draft) {
          unmet(item, `service '${service.name}' runs on the default node pool of '${env.name}', which has no host profile to carry the container runtime's default ${item} limit`, `declare the nodes under targets.kubernetes.nodePools, use ulimits: 'entrypoint', or accept the gap: ${accept(item)}`);
        } else if (!runtimeSetsUlimit(pool.containerRuntime, item)) {
          unmet(item, `${pool.containerRuntime} has no default for ${item}, so the runtime of ${where} cannot give it to service '${service.name}'`, `drop the limit or accept the gap: ${accept(item)}`);
        } else {
          addRuntimeLimit(pool.profile, draft, pool.containerRuntime, service, item, limit);
          placed = true;
        }
      }
      return placed ? { mechanism: 'runtime' } : {};
    }
    if (!service.command) {
      issues.push({
        code: ModelCode.ULIMIT_ENTRYPOINT_UNKNOWN,
        path: [...input.servicePath(service.name), 'command'],
        message: `service '${service.name}' gets its ulimits from an entrypoint wrapper on ${where}, which replaces the image's ENTRYPOINT; the service declares no command, so Kiln cannot tell what to run after the wrapper`,
        hint: `declare the service's command (the image's ENTRYPOINT, e.g. ['/usr/local/bin/${service.name}']), or use ulimits: 'runtime' on a declared pool`,
      });
      return {};
    }
    const wrapped: Record<string, Ulimit> = {};
    for (const [item, limit] of items) {
      if (SHELL_ULIMITS[item]) wrapped[item] = limit;
      else unmet(item, `the shells an image may have (dash, bash, busybox) share no \`ulimit\` flag for ${item}, so the entrypoint wrapper on ${where} cannot set it for service '${service.name}'`, `use ulimits: 'runtime' on a declared pool, or accept the gap: ${accept(item)}`);
    }
    const command = entrypointCommand(service.command, wrapped);
    return command ? { mechanism: 'entrypoint', command } : {};
  }

  const finished: HostProfile[] = [...profiles]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, draft]) => finishProfile(name, draft, issues));

  const accepted: AcceptedGap[] = [];
  input.accept.forEach((entry, a) => {
    const path: Path = ['tuning', 'accept', a];
    const service = services.get(entry.service);
    if (!service) {
      issues.push({ code: ModelCode.UNKNOWN_SERVICE, path: [...path, 'service'], message: `there is no service '${entry.service}' in '${env.name}'`, hint: suggestName(entry.service, services.keys(), 'services') });
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
    if (!used.has(a)) {
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

  const daemonSets = kubernetes ? nodeSysctlDaemonSets(kubernetes, finished) : [];
  const namespace = daemonSets[0]?.namespace ?? '';
  if (namespace.length > 63) {
    const suffix = namespace.length - (kubernetes?.namespace.length ?? 0);
    issues.push({
      code: ModelCode.INVALID_NAME,
      path: ['targets', 'kubernetes', 'namespace'],
      message: `the node tuning DaemonSets run in namespace '${namespace}', longer than a namespace name may be (63 characters)`,
      hint: `shorten targets.kubernetes.namespace to at most ${63 - suffix} characters`,
    });
  }

  return {
    plan: { profiles: finished, pods, units: [...units.values()].sort((a, b) => compareText(a.unit, b.unit)), accepted, daemonSets },
    issues,
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
