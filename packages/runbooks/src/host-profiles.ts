/**
 * The host side of the host tuning runbook: each host profile (the files the hosts emitter writes
 * under `<env>/host/`, what they apply to, each line's services and reasons, and how to read the
 * values back on the machines, the Docker host or a node pool's nodes), and each systemd unit's
 * limits drop-in.
 */
import { sysctlNamespace, ULIMITS } from '@kiln/model';
import type { Environment, HostProfile, Ulimit, UnitTuning } from '@kiln/model';
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
  return environment.tuning.profiles.filter((profile) => profile.sysctls.length > 0 || profile.limits.length > 0).map((profile) => {
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
      notes: profileNotes(environment, profile),
      checks: profileChecks(environment, profile),
    };
  });
}

/** The machines of the hosts target that carry a profile. */
function machinesOf(environment: Environment, profile: HostProfile) {
  return (environment.targets.hosts?.machines ?? []).filter((machine) => machine.profile === profile.name);
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
  if (machinesOf(environment, profile).length > 0 && nodeLevel.length > 0) {
    notes.push([
      { text: 'If these machines are unprivileged LXC containers (on Proxmox), the node-level ' },
      ...nodeLevel.flatMap((key, i): Segment[] => [...(i > 0 ? [{ text: ', ' }] : []), { code: key }]),
      { text: ' cannot be set inside them: apply those lines on the Proxmox host that runs the containers (its ' },
      { code: '/etc/sysctl.d/' },
      { text: '), and check them there with ' },
      { code: 'sysctl -n' },
      { text: '.' },
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
  }
  return notes;
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
  for (const pool of poolsOf(environment, profile)) {
    if (profile.sysctls.length === 0) continue;
    const labels = Object.entries(pool.nodeSelector).map(([key, value]) => `${key}=${value}`);
    checks.push({
      title: [{ text: 'On a node of pool ' }, { code: pool.name }, { text: " (the debug pod shares the node's namespaces; delete it afterwards):" }],
      commands: [`# the pool's nodes`, `kubectl get nodes${labels.length > 0 ? ` -l ${labels.join(',')}` : ''}`, ...expectLines(profile, 'kubectl debug node/<node> -it --image=busybox -- ')].join('\n'),
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

export function unitLimits(environment: Environment): HostTuningContext['units'] {
  const machines = environment.targets.hosts?.machines ?? [];
  return environment.tuning.units
    .filter((unit) => unit.limits.length > 0)
    .map((unit) => {
      const on = machines.filter((machine) => machine.services.includes(unit.service));
      const directives = [...new Set(unit.limits.flatMap((limit) => directiveOf(unit, limit.item) ?? []))];
      const show = directives.length > 0 ? `systemctl show ${unit.unit} ${directives.map((d) => `-p ${d}`).join(' ')}` : undefined;
      return {
        unit: unit.unit,
        machines: on.length === 0 ? [{ text: 'no machine runs it' }] : on.flatMap((m, i): Segment[] => [...(i > 0 ? [{ text: ', ' }] : []), { code: m.name }]),
        file: { title: `systemd/${unit.unit}.d/90-kiln-limits.conf`, href: hostFileLink.dropIn(unit.unit) },
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
          title: [{ text: 'Copy the drop-in to ' }, { code: `/etc/systemd/system/${unit.unit}.d/` }, { text: ', run ' }, { code: 'sudo systemctl daemon-reload' }, { text: ' and restart the unit (limits apply when the process starts). Then:' }],
          commands: (on.length === 0 ? [{ name: '<machine>', address: '' }] : on)
            .map((machine) =>
              [
                `# ${machine.name}${machine.address ? ` (${machine.address})` : ''}`,
                ...(show ? [`ssh ${machine.name} ${show}`] : []),
                `ssh ${machine.name} 'cat /proc/$(systemctl show -p MainPID --value ${unit.unit})/limits'`,
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
