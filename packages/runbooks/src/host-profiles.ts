/**
 * The host side of the host tuning runbook: each host profile (the files the hosts emitter writes
 * under `<env>/host/`, what they apply to, each line's services and reasons, and how to read the
 * values back on the machines, a container host, the Docker host or a node pool's nodes, or what a
 * node tuning DaemonSet does there), and each systemd unit's limits drop-in.
 */
import { hostFiles, hostUnits, NODE_TUNING_IMAGE, PAUSE_IMAGE, sysctlNamespace, SYSTEMD_RESTART, ULIMITS } from '@kiln/model';
import type { ContainerRuntime, Environment, HostProfile, Ulimit, UnitTuning } from '@kiln/model';
import type { HostTuningContext } from './contexts.js';
import type { Segment } from './markdown.js';
import { hostFileLink } from './paths.js';

export const NO_REASON = 'no reason given';

type ProfileContext = HostTuningContext['profiles'][number];
type Check = ProfileContext['checks'][number];

/** `65536:1048576`, soft and hard. */
export function limitText(limit: Pick<Ulimit, 'soft' | 'hard'>): string {
  return `${limit.soft}:${limit.hard}`;
}

export function hostProfiles(environment: Environment): ProfileContext[] {
  // A profile with nothing in it (a pool whose pods need only limits) has no file to install.
  return environment.tuning.profiles.filter((profile) => profile.sysctls.length > 0 || profile.limits.length > 0 || profile.runtimeLimits.length > 0).map((profile) => {
    const files: ProfileContext['files'] = [];
    if (profile.sysctls.length > 0) {
      files.push({ title: `sysctl.d/90-${profile.name}.conf`, href: hostFileLink.sysctl(profile.name), install: [{ text: 'copy to ' }, { code: '/etc/sysctl.d/' }, { text: ', then run ' }, { code: 'sudo sysctl --system' }, { text: '.' }] });
    }
    if (profile.limits.length > 0) {
      files.push({
        title: `limits.d/90-${profile.name}.conf`,
        href: hostFileLink.limits(profile.name),
        install: [{ text: 'copy to ' }, { code: '/etc/security/limits.d/' }, { text: '; pam_limits applies it to new login sessions (ssh, su, sudo), never to systemd services.' }],
      });
    }
    if (profile.runtimeLimits.length > 0) {
      for (const runtime of profile.runtimes) files.push({ title: hostFiles.runtime(runtime, profile.name), href: hostFileLink.runtime(runtime, profile.name), install: RUNTIME_INSTALL[runtime] });
    }
    return {
      name: profile.name,
      appliesTo: [...profile.appliesTo],
      files,
      sysctls: profile.sysctls.flatMap((sysctl): ProfileContext['sysctls'] =>
        sysctl.needs.length === 0
          ? [{ key: [{ code: sysctl.key }], value: [{ code: sysctl.value }], service: null, why: sysctl.note ?? NO_REASON }]
          : sysctl.needs.map((need) => ({ key: [{ code: sysctl.key }], value: [{ code: sysctl.value }], service: need.service, why: need.reason ?? NO_REASON })),
      ),
      limits: profile.limits.map((limit) => ({ domain: [{ code: limit.domain }], item: [{ code: limit.item }], soft: String(limit.soft), hard: String(limit.hard), service: limit.need.service, why: limit.need.reason ?? NO_REASON })),
      runtimeLimits: profile.runtimeLimits.flatMap((limit) => limit.needs.map((need) => ({ item: [{ code: limit.item }], soft: String(limit.soft), hard: String(limit.hard), service: need.service, why: need.reason ?? NO_REASON }))),
      notes: profileNotes(environment, profile),
      checks: profileChecks(environment, profile),
    };
  });
}

/** How a runtime's default limits are installed; running containers keep the limits they started with. */
const RUNTIME_INSTALL: Record<ContainerRuntime, Segment[]> = {
  containerd: [
    { text: 'copy to ' },
    { code: '/etc/systemd/system/containerd.service.d/' },
    { text: ', then run ' },
    { code: 'sudo systemctl daemon-reload && sudo systemctl restart containerd' },
    { text: ": CRI containers inherit containerd's own limits. Containers started afterwards get them; restart running pods." },
  ],
  'cri-o': [{ text: 'copy to ' }, { code: '/etc/crio/crio.conf.d/' }, { text: ', then run ' }, { code: 'sudo systemctl restart crio' }, { text: ' (it reads ' }, { code: 'default_ulimits' }, { text: '). Containers started afterwards get them; restart running pods.' }],
};

/** The machines of the hosts target that carry a profile. */
function machinesOf(environment: Environment, profile: HostProfile) {
  return (environment.targets.hosts?.machines ?? []).filter((machine) => machine.profile === profile.name);
}

/** The container hosts that carry a profile, each with the machines it runs as containers. */
function containerHostsOf(environment: Environment, profile: HostProfile) {
  const hosts = environment.targets.hosts;
  return (hosts?.containerHosts ?? []).filter((host) => host.profile === profile.name).map((host) => ({ host, containers: (hosts?.machines ?? []).filter((m) => m.containerHost === host.name).map((m) => m.name) }));
}

/** `a`, `b` as code, comma separated. */
function codeList(items: readonly string[]): Segment[] {
  return items.flatMap((item, i): Segment[] => [...(i > 0 ? [{ text: ', ' }] : []), { code: item }]);
}

function poolsOf(environment: Environment, profile: HostProfile) {
  return (environment.targets.kubernetes?.nodePools ?? []).filter((pool) => pool.profile === profile.name);
}

function isDockerHost(environment: Environment, profile: HostProfile): boolean {
  return environment.targets.compose?.hostProfile === profile.name;
}

function profileNotes(environment: Environment, profile: HostProfile): Segment[][] {
  const notes: Segment[][] = [];
  const nodeLevel = profile.sysctls.filter((s) => sysctlNamespace(s.key) === undefined).map((s) => s.key);
  const machines = machinesOf(environment, profile);
  const containers = machines.filter((machine) => machine.containerHost !== undefined);
  if (machines.length > containers.length && nodeLevel.length > 0) {
    notes.push([
      { text: 'If these machines are system containers (LXC on Proxmox VE), the node-level ' },
      ...codeList(nodeLevel),
      { text: ' cannot be set inside them (read-only in an unprivileged container): declare the host under ' },
      { code: 'targets.hosts.containerHosts' },
      { text: " and each machine's " },
      { code: 'containerHost' },
      { text: ", and Kiln moves them into the host's profile." },
    ]);
  }
  for (const host of new Set(containers.map((machine) => machine.containerHost ?? ''))) {
    const hostProfile = environment.targets.hosts?.containerHosts.find((h) => h.name === host)?.profile ?? host;
    notes.push([{ text: 'These machines are system containers on ' }, { code: host }, { text: ': their services\' node-level sysctls are in its profile, ' }, { code: hostProfile }, { text: ', not here.' }]);
  }
  for (const { host, containers: on } of containerHostsOf(environment, profile)) {
    notes.push([
      { text: 'Container host ' },
      { code: host.name },
      { text: ' runs ' },
      ...codeList(on),
      { text: ' as system containers (LXC). They share its kernel, and node-level keys are read-only inside an unprivileged container (a ' },
      { code: 'sysctl -w' },
      { text: ' there fails), so these lines are applied on the host itself, and every container on it sees the same values.' },
    ]);
  }
  if (isDockerHost(environment, profile) && nodeLevel.length > 0) {
    notes.push([{ text: 'Node-level keys cannot be set from a container: they go on the Docker host itself, and every container on it sees the same value.' }]);
  }
  for (const pool of poolsOf(environment, profile)) {
    const labels = Object.entries(pool.nodeSelector).map(([key, value]) => `${key}=${value}`);
    notes.push(
      labels.length > 0
        ? [{ text: 'Apply it to every node of pool ' }, { code: pool.name }, { text: ' (in its node image or bootstrap). The nodes must carry the labels ' }, { code: labels.join(',') }, { text: ": the pods that need this profile select them, and a node without them gets none of those pods." }]
        : [{ text: 'Apply it to every node of pool ' }, { code: pool.name }, { text: ' (in its node image or bootstrap).' }],
    );
    const daemonSet = environment.tuning.daemonSets.find((d) => d.pool === pool.name);
    if (daemonSet) notes.push(...daemonSetNotes(daemonSet));
    if (daemonSet && profile.runtimeLimits.length > 0 && daemonSet.sysctls.some((s) => s.key === 'fs.nr_open')) {
      notes.push([
        { text: 'The DaemonSet runs only once the container runtime is up, and the runtime needs ' },
        { code: 'fs.nr_open' },
        { text: ' at start (its nofile limit is above the default): install the sysctl.d file on the nodes too, or the runtime does not start after a reboot.' },
      ]);
    }
  }
  return notes;
}

/** What a node tuning DaemonSet does, what it needs, and what it cannot do. */
function daemonSetNotes(daemonSet: Environment['tuning']['daemonSets'][number]): Segment[][] {
  return [
    [
      { text: 'DaemonSet ' },
      { code: daemonSet.name },
      { text: ' in namespace ' },
      { code: daemonSet.namespace },
      { text: " also writes the sysctls on every node of the pool, through /proc/sys, reads each back and fails its pod on a mismatch. Argo CD syncs it in a sync wave before the environment's namespace and workloads, and waits until it is ready. Its init container runs " },
      { code: NODE_TUNING_IMAGE },
      { text: ', which must contain ' },
      { code: '/bin/sh' },
      { text: ', ' },
      { code: 'cat' },
      { text: ' and ' },
      { code: 'tr' },
      { text: '; then ' },
      { code: PAUSE_IMAGE },
      { text: ' keeps the pod running. Mirror both images into your registry if nodes cannot pull from the internet.' },
    ],
    [
      { text: 'Pod Security: the DaemonSet needs level ' },
      { code: 'privileged' },
      { text: daemonSet.hostNetwork ? ' (a privileged container, to write global keys, and the host network namespace, where node-level net.* keys live)' : ' (a privileged container, to write global keys)' },
      { text: ', so its namespace is labelled ' },
      { code: 'pod-security.kubernetes.io/enforce=privileged' },
      { text: " and the workloads' namespace keeps its own level. A NetworkPolicy there denies all traffic; the pods open no socket." },
    ],
    [{ text: 'A node that joins the pool can run pods before the DaemonSet has tuned it: the values apply from the moment its pod is ready. Baking the file into the node image avoids that window.' }],
  ];
}

function expectLines(profile: HostProfile, prefix: string): string[] {
  return profile.sysctls.flatMap((s) => [`# ${s.key}: expect ${s.value}`, `${prefix}sysctl -n ${s.key}`]);
}

function profileChecks(environment: Environment, profile: HostProfile): Check[] {
  const checks: Check[] = [];
  const machines = machinesOf(environment, profile);
  if (machines.length > 0 && profile.sysctls.length > 0) {
    checks.push({ title: [{ text: 'On the machines:' }], commands: machines.map((machine) => [`# ${machine.name} (${machine.address})`, ...expectLines(profile, `ssh ${machine.name} `)].join('\n')).join('\n\n') });
  }
  if (isDockerHost(environment, profile) && profile.sysctls.length > 0) {
    checks.push({ title: [{ text: 'On the Docker host:' }], commands: expectLines(profile, '').join('\n') });
  }
  for (const { host } of containerHostsOf(environment, profile)) {
    if (profile.sysctls.length > 0) checks.push({ title: [{ text: 'On container host ' }, { code: host.name }, { text: ':' }], commands: expectLines(profile, `ssh ${host.name} `).join('\n') });
  }
  for (const pool of poolsOf(environment, profile)) {
    const labels = Object.entries(pool.nodeSelector).map(([key, value]) => `${key}=${value}`);
    const daemonSet = environment.tuning.daemonSets.find((d) => d.pool === pool.name);
    const runtime = profile.runtimeLimits.map((limit) => `${limit.item} ${limitText(limit)}`).join(', ');
    if (profile.sysctls.length === 0 && !runtime) continue;
    checks.push({
      title: [{ text: 'On a node of pool ' }, { code: pool.name }, { text: " (the debug pod shares the node's namespaces; delete it afterwards):" }],
      commands: [
        `# the pool's nodes`,
        `kubectl get nodes${labels.length > 0 ? ` -l ${labels.join(',')}` : ''}`,
        ...(daemonSet ? [`# the DaemonSet: ready on every node, and what it wrote`, `kubectl -n ${daemonSet.namespace} rollout status daemonset/${daemonSet.name}`, `kubectl -n ${daemonSet.namespace} logs -l app.kubernetes.io/name=${daemonSet.name} -c apply --prefix`] : []),
        ...expectLines(profile, 'kubectl debug node/<node> -it --image=busybox -- '),
        // The debug pod is a container like any other: it starts with the runtime's defaults.
        ...(runtime ? [`# a new container's limits (the runtime's defaults): ${runtime}`, 'kubectl debug node/<node> -it --image=busybox -- cat /proc/self/limits'] : []),
      ].join('\n'),
    });
  }
  if (profile.limits.length > 0) {
    const users = [...new Set(profile.limits.map((limit) => limit.domain))];
    checks.push({
      title: [{ text: 'Login limits, in a new session of ' }, ...users.flatMap((user, i): Segment[] => [...(i > 0 ? [{ text: ', ' }] : []), { code: user }]), { text: ' (services take theirs from their unit, below):' }],
      commands: ['# soft and hard limits of the login shell itself', 'cat /proc/self/limits'].join('\n'),
    });
  }
  if (checks.length === 0) checks.push({ title: [{ text: 'Read the values with ' }, { code: 'sysctl -n <key>' }, { text: ' where the profile is applied.' }], commands: 'sysctl -n <key>' });
  return checks;
}

/** Every unit of a hosts target with its drop-in: restarts, the stop signal and timeout, and its limits. */
export function unitDropIns(environment: Environment): HostTuningContext['units'] {
  const machines = environment.targets.hosts?.machines ?? [];
  return hostUnits(environment).map(({ unit: name, service }) => {
    const unit: UnitTuning = environment.tuning.units.find((u) => u.unit === name) ?? { unit: name, service: service.name, root: false, limits: [] };
    const on = machines.filter((machine) => machine.services.includes(unit.service));
    const directives = ['Restart', 'KillSignal', 'TimeoutStopUSec', ...new Set(unit.limits.flatMap((limit) => directiveOf(unit, limit.item) ?? []))];
    const show = `systemctl show ${unit.unit} ${directives.map((d) => `-p ${d}`).join(' ')}`;
    const { restart, restartSec, startLimitBurst, startLimitIntervalSec } = SYSTEMD_RESTART;
    return {
      unit: unit.unit,
      machines: on.length === 0 ? [{ text: 'no machine runs it' }] : on.flatMap((m, i): Segment[] => [...(i > 0 ? [{ text: ', ' }] : []), { code: m.name }]),
      file: { title: hostFiles.dropIn(unit.unit), href: hostFileLink.dropIn(unit.unit) },
      lifecycle: [
        { text: 'It restarts the service after a crash (' },
        { code: `Restart=${restart}` },
        { text: `, ${restartSec}s apart, at most ${startLimitBurst} starts in ${startLimitIntervalSec}s) and stops it with ` },
        { code: `KillSignal=${service.stopSignal ?? 'SIGTERM'}` },
        { text: ', SIGKILL after ' },
        { code: `TimeoutStopSec=${service.terminationGracePeriodSeconds}s` },
        { text: '.' },
      ],
      limits: unit.limits.map((limit) => {
        const directive = directiveOf(unit, limit.item);
        return {
          item: [{ code: limit.item }],
          soft: String(limit.soft),
          hard: String(limit.hard),
          directive: directive === undefined ? [{ text: 'none: limits.d only (PAM logins)' }] : [{ code: directive === 'TasksMax' ? `TasksMax=${limit.hard}` : `${directive}=${limitText(limit)}` }],
          why: limit.reason ?? NO_REASON,
        };
      }),
      check: {
        title: [{ text: 'Copy the drop-in to ' }, { code: `/etc/systemd/system/${unit.unit}.d/` }, { text: ', run ' }, { code: 'sudo systemctl daemon-reload' }, { text: unit.limits.length > 0 ? ' and restart the unit (limits apply when the process starts). Then:' : ' and restart the unit. Then:' }],
        commands: (on.length === 0 ? [{ name: '<machine>', address: '' }] : on)
          .map((machine) =>
            [
              `# ${machine.name}${machine.address ? ` (${machine.address})` : ''}`,
              `ssh ${machine.name} ${show}`,
              ...(unit.limits.length > 0 ? [`ssh ${machine.name} 'cat /proc/$(systemctl show -p MainPID --value ${unit.unit})/limits'`] : []),
            ].join('\n'),
          )
          .join('\n\n'),
      },
    };
  });
}

/** The unit directive of a limit: TasksMax for nproc of a root service (systemd does not enforce LimitNPROC for root). */
function directiveOf(unit: UnitTuning, item: string): string | undefined {
  if (item === 'nproc' && unit.root) return 'TasksMax';
  return ULIMITS[item];
}
