/**
 * The context of an environment's host tuning runbook, from the model's tuning plan: every sysctl
 * and resource limit its services need, where the placement put it (a pod's securityContext, a
 * Compose container, a host profile's file, a systemd drop-in), why (the author's reason) and how
 * to read it back on a running machine. Needs nobody could place are the accepted gaps.
 */
import { hasMemberFiles, hostUnits, isSafeSysctl, secretsOf, servicesOf, SHELL_ULIMITS, sysctlNamespace } from '@kiln/model';
import type { Environment, KubernetesTarget, PodTuning, Service } from '@kiln/model';
import { composeFile, dockerCompose } from './commands.js';
import type { HostTuningContext, SettingRow } from './contexts.js';
import type { Segment } from './markdown.js';
import { hostProfiles, limitText, NO_REASON, unitDropIns } from './host-profiles.js';
import { INDEX_FILE } from './paths.js';

/**
 * Whether the environment needs a host tuning runbook: any service with a sysctl or a limit, an
 * accepted gap, or a hosts target (each of its units gets a drop-in to install).
 */
export function needsHostTuning(environment: Environment): boolean {
  return environment.tuning.accepted.length > 0 || hostUnits(environment).length > 0 || servicesOf(environment).some((service) => hasNeeds(service));
}

function hasNeeds(service: Service): boolean {
  return Object.keys(service.sysctls).length > 0 || Object.keys(service.ulimits).length > 0;
}

/** `net.core.somaxconn` → `/proc/sys/net/core/somaxconn`. */
export function procSysPath(key: string): string {
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}

export function hostTuningContext(environment: Environment): HostTuningContext {
  return {
    environment: environment.name,
    intro: [
      { text: 'Every kernel setting (sysctl) and resource limit the services of ' },
      { code: environment.name },
      { text: ' need: where Kiln placed it, why, and how to check it on a running machine. Host files are generated under ' },
      { code: `generated/${environment.name}/host/` },
      { text: '; install them before the services start.' },
    ],
    kubernetes: kubernetesPods(environment),
    compose: composeContainers(environment),
    profiles: hostProfiles(environment),
    units: unitDropIns(environment),
    accepted: environment.tuning.accepted.map((gap) => ({
      service: gap.service,
      need: gap.sysctl !== undefined ? [{ text: 'sysctl ' }, { code: gap.sysctl }] : [{ text: 'ulimit ' }, { code: gap.ulimit ?? '' }],
      why: gap.reason,
    })),
    index: INDEX_FILE,
  };
}

/** Where a service's node-level sysctl went when no container can hold it. */
function nodeLevelPlacement(environment: Environment, service: Service, key: string, profile: string | undefined): Segment[] {
  if (profile !== undefined && environment.tuning.profiles.some((p) => p.name === profile && p.sysctls.some((s) => s.key === key && s.needs.some((n) => n.service === service.name)))) {
    return [{ text: 'node-level: host profile ' }, { code: profile }, { text: ' (below)' }];
  }
  return notPlaced(environment, service, { sysctl: key });
}

function notPlaced(environment: Environment, service: Service, need: { sysctl: string } | { ulimit: string }): Segment[] {
  return accepted(environment, service.name, need) ? [{ text: 'not placed: an accepted gap (below)' }] : [{ text: 'not placed' }];
}

function accepted(environment: Environment, service: string, need: { sysctl: string } | { ulimit: string }): boolean {
  return environment.tuning.accepted.some((gap) => gap.service === service && ('sysctl' in need ? gap.sysctl === need.sysctl : gap.ulimit === need.ulimit));
}

function sysctlRow(service: Service, key: string, placed: Segment[]): SettingRow {
  return { setting: [{ code: key }], value: [{ code: service.sysctls[key] ?? '' }], placed, why: service.sysctlReasons[key] ?? NO_REASON };
}

function ulimitRows(service: Service, placed: (item: string) => Segment[]): SettingRow[] {
  return Object.entries(service.ulimits).map(([item, limit]) => ({ setting: [{ text: 'ulimit ' }, { code: item }], value: [{ code: limitText(limit) }], placed: placed(item), why: limit.reason ?? NO_REASON }));
}

function kubernetesPods(environment: Environment): HostTuningContext['kubernetes'] {
  const target = environment.targets.kubernetes;
  if (!target) return null;
  const services = new Map(servicesOf(environment).map((service) => [service.name, service]));
  const pods = Object.entries(environment.tuning.pods)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, pod]) => {
      const service = services.get(name);
      return service && hasNeeds(service) ? [kubernetesPod(environment, target, service, pod)] : [];
    });
  if (pods.length === 0) return null;
  return { where: [{ text: 'Namespace ' }, { code: target.namespace }, { text: ' on cluster ' }, { code: target.cluster }, { text: '.' }], pods };
}

function kubernetesPod(environment: Environment, target: KubernetesTarget, service: Service, pod: PodTuning): NonNullable<HostTuningContext['kubernetes']>['pods'][number] {
  const pool = target.nodePools.find((p) => p.name === pod.pool);
  const onPod = new Set(pod.sysctls.map((s) => s.name));
  const unsafe = pod.sysctls.filter((s) => !isSafeSysctl(s.name, target.version.minor, pool?.kernel)).map((s) => s.name);
  const settings = Object.keys(service.sysctls).map((key) => {
    if (!onPod.has(key)) return sysctlRow(service, key, nodeLevelPlacement(environment, service, key, pool?.profile));
    const safe = !unsafe.includes(key);
    return sysctlRow(service, key, [{ text: 'pod ' }, { code: 'securityContext.sysctls' }, { text: safe ? ' (safe)' : ` (unsafe: allowed by the kubelets of pool ${pod.pool})` }]);
  });
  const runtimeProfile = environment.tuning.profiles.find((p) => p.name === pool?.profile && p.runtimeLimits.length > 0);
  settings.push(
    ...ulimitRows(service, (item): Segment[] => {
      if (pod.ulimits === 'runtime' && runtimeProfile?.runtimeLimits.some((l) => l.item === item && l.needs.some((n) => n.service === service.name))) {
        return [{ text: 'container runtime defaults: host profile ' }, { code: runtimeProfile.name }, { text: ' (below)' }];
      }
      if (pod.ulimits === 'entrypoint' && SHELL_ULIMITS[item]) return [{ text: 'entrypoint wrapper: ' }, { code: `ulimit -${SHELL_ULIMITS[item]?.flag ?? ''}` }];
      return notPlaced(environment, service, { ulimit: item });
    }),
  );

  const selector = Object.entries(pod.nodeSelector).map(([key, value]) => `${key}=${value}`);
  const placement: Segment[][] = [];
  placement.push(
    selector.length > 0
      ? [{ text: 'Runs on node pool ' }, { code: pod.pool }, { text: ' through its nodeSelector ' }, ...list(selector), { text: ": the pool's nodes must carry these labels, or the pod is never scheduled." }]
      : [{ text: pool ? 'Runs on node pool ' : 'Runs on the ' }, ...(pool ? [{ code: pod.pool }] : [{ text: 'default node pool, which Kiln does not tune' }]), { text: '.' }],
  );
  if (unsafe.length > 0) placement.push([{ text: "The pool's kubelets must run with " }, { code: `--allowed-unsafe-sysctls=${unsafe.join(',')}` }, { text: ': without it the pod is scheduled and fails to start (SysctlForbidden).' }]);
  if (Object.keys(service.ulimits).length > 0) placement.push(ulimitPlacement(pod));

  // Members with files of their own are a StatefulSet each: the first one's pod speaks for the rest.
  const workload = service.stateful && hasMemberFiles(service) ? `${service.name}-${service.stateful.ids[0] ?? 0}` : service.name;
  const exec = `kubectl -n ${target.namespace} exec ${service.stateful ? 'statefulset' : 'deployment'}/${workload} --`;
  const commands = [
    ...pod.sysctls.flatMap((s) => [`# ${s.name}: expect ${s.value}`, `${exec} cat ${procSysPath(s.name)}`]),
    ...(Object.keys(service.ulimits).length > 0 ? [`# limits of the main process: ${limitsExpected(service)}`, `${exec} cat /proc/1/limits`] : []),
  ];
  return {
    service: service.name,
    placement,
    settings,
    check: commands.length > 0 ? { title: [{ text: 'Inside a running pod:' }], commands: commands.join('\n') } : { title: [{ text: 'The pod holds none of these; check the host profile below.' }], commands: `kubectl -n ${target.namespace} get pods -l app.kubernetes.io/name=${service.name} -o wide` },
  };
}

/** How a pod gets its limits, since Kubernetes has no ulimit field (kubernetes#3595). */
function ulimitPlacement(pod: PodTuning): Segment[] {
  const annotation: Segment[] = [{ text: ' The ' }, { code: 'kiln.dev/required-ulimits' }, { text: ' annotation states them.' }];
  if (pod.ulimits === 'runtime') {
    return [{ text: 'Kubernetes has no ulimit field: the container runtime of pool ' }, { code: pod.pool }, { text: " gives every container these limits by default (its file in the pool's host profile, below), and the pod's nodeSelector keeps it on that pool." }, ...annotation];
  }
  if (pod.ulimits === 'entrypoint' && pod.command) {
    return [
      { text: 'Kubernetes has no ulimit field: the container runs its command under ' },
      { code: `/bin/sh -c '${pod.command[2] ?? ''}'` },
      { text: ', which sets the limits first. The image must have ' },
      { code: '/bin/sh' },
      { text: " (a distroless or scratch image has none, and the container then fails to start), and the container runtime's hard limits must be at least the hard limits asked: a container without CAP_SYS_RESOURCE cannot raise them, so " },
      { code: 'ulimit' },
      { text: ' fails and the container exits before the service starts.' },
      ...annotation,
    ];
  }
  return [{ text: "Kubernetes has no ulimit field, and no mechanism gives these limits here: the container runs with the container runtime's defaults." }, ...annotation];
}

function composeContainers(environment: Environment): HostTuningContext['compose'] {
  const target = environment.targets.compose;
  if (!target) return null;
  const compose = dockerCompose(environment);
  const containers = servicesOf(environment)
    .filter(hasNeeds)
    .map((service) => {
      const namespaced = Object.keys(service.sysctls).filter((key) => sysctlNamespace(key) !== undefined);
      const settings = Object.keys(service.sysctls).map((key) =>
        namespaced.includes(key) ? sysctlRow(service, key, [{ text: 'Compose ' }, { code: 'sysctls:' }]) : sysctlRow(service, key, nodeLevelPlacement(environment, service, key, target.hostProfile)),
      );
      settings.push(...ulimitRows(service, () => [{ text: 'Compose ' }, { code: 'ulimits:' }]));
      const members = service.stateful ? service.stateful.ids.map((id) => `${service.name}-${id}`) : [service.name];
      const commands = members.flatMap((member) => [
        ...namespaced.flatMap((key) => [`# ${member}, ${key}: expect ${service.sysctls[key] ?? ''}`, `${compose} exec ${member} cat ${procSysPath(key)}`]),
        ...(Object.keys(service.ulimits).length > 0 ? [`# ${member}, limits of the main process: ${limitsExpected(service)}`, `${compose} exec ${member} cat /proc/1/limits`] : []),
      ]);
      return {
        service: service.name,
        placement: [{ text: members.length > 1 ? 'Compose services ' : 'Compose service ' }, ...list(members), { text: '.' }],
        settings,
        check:
          commands.length > 0
            ? { title: [{ text: 'In the running containers:' }], commands: commands.join('\n') }
            : { title: [{ text: "The containers hold none of these; check the Docker host's profile below." }], commands: `${compose} ps ${members.join(' ')}` },
      };
    });
  if (containers.length === 0) return null;
  const where: Segment[] = [{ text: 'Project ' }, { code: environment.name }, { text: ', file ' }, { code: composeFile(environment) }];
  // Compose interpolates every secret variable even for exec (as the other runbooks say).
  where.push(secretsOf(environment).length > 0 ? { text: '; run from the repository root with the secrets in place beside the Compose file, which Compose needs even for exec.' } : { text: '; run from the repository root.' });
  return { where, containers };
}

/** `nofile 1048576:1048576, nproc 4096:4096`, as /proc/<pid>/limits shows them soft and hard. */
function limitsExpected(service: Service): string {
  return Object.entries(service.ulimits)
    .map(([item, limit]) => `${item} ${limitText(limit)}`)
    .join(', ');
}

/** `a`, `b` as code, comma separated. */
export function list(items: readonly string[]): Segment[] {
  return items.flatMap((item, i) => [...(i > 0 ? [{ text: ', ' }] : []), { code: item }]);
}
