/**
 * The container runtime's default limits on a profile's nodes (Kubernetes pools with
 * `ulimits: 'runtime'`), since Kubernetes has no ulimit field (kubernetes#3595):
 * - containerd: CRI containers get no rlimits in their spec and inherit containerd's own
 *   (containerd/cri#515), which its unit sets: a `containerd.service` drop-in with `Limit…=soft:hard`.
 * - CRI-O: `default_ulimits` in `[crio.runtime]`, a drop-in under /etc/crio/crio.conf.d/.
 * Either applies to containers started after the runtime restarts; running ones keep their limits.
 */
import { ULIMITS } from '@kiln/model';
import type { ContainerRuntime, HostProfile, RuntimeLimit } from '@kiln/model';
import { intro, oneLine } from './sysctl-conf.js';

export function runtimeConf(runtime: ContainerRuntime, profile: HostProfile): string {
  return runtime === 'containerd' ? containerdDropIn(profile) : crioDropIn(profile);
}

function containerdDropIn(profile: HostProfile): string {
  const lines = [
    ...intro(profile),
    'Install: /etc/systemd/system/containerd.service.d/, then `systemctl daemon-reload` and `systemctl restart containerd`.',
    "containerd's CRI containers inherit containerd's own limits: every container started on these nodes gets these.",
  ].map((line) => `# ${line}`);
  const settings = profile.runtimeLimits.flatMap((limit) => [...reasons(limit), `${directive(limit.item)}=${limit.soft}:${limit.hard}`]);
  return `${[...lines, '[Service]', ...settings].join('\n')}\n`;
}

function crioDropIn(profile: HostProfile): string {
  const lines = [
    ...intro(profile),
    'Install: /etc/crio/crio.conf.d/, then `systemctl restart crio`.',
    'Every container CRI-O starts on these nodes gets these limits.',
  ].map((line) => `# ${line}`);
  // Names and numbers only (`nofile=65536:1048576`): nothing in them needs escaping in a TOML string.
  const entries = profile.runtimeLimits.flatMap((limit) => [...reasons(limit).map((line) => `  ${line}`), `  "${limit.item}=${limit.soft}:${limit.hard}",`]);
  return `${[...lines, '[crio.runtime]', 'default_ulimits = [', ...entries, ']'].join('\n')}\n`;
}

function reasons(limit: RuntimeLimit): string[] {
  return limit.needs.map((need) => `# ${limit.item}: ${need.service}: ${oneLine(need.reason ?? 'no reason given')}`);
}

function directive(item: string): string {
  const name = ULIMITS[item];
  if (name === undefined) throw new Error(`runtimeConf: ${item} has no systemd directive; the placement should have refused it`);
  return name;
}
