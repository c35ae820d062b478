/**
 * A profile's sysctl.d file: one `key = value` line per setting, each preceded by comments naming the
 * services that need it and why. systemd-sysctl reads /etc/sysctl.d/*.conf in lexicographic order and
 * the last value wins; the model refused conflicting values, so no order decides anything here.
 */
import { sysctlNamespace } from '@kiln/model';
import type { HostProfile, ProfileSysctl } from '@kiln/model';

export function sysctlConf(profile: HostProfile): string {
  const lines = [...intro(profile), 'Install: /etc/sysctl.d/, then `sysctl --system`.'].map((line) => `# ${line}`);
  for (const sysctl of profile.sysctls) lines.push('', ...comments(sysctl), `${sysctl.key} = ${sysctl.value}`);
  return `${lines.join('\n')}\n`;
}

export function intro(profile: HostProfile): string[] {
  return [`Host profile '${profile.name}', for:`, ...profile.appliesTo.map((target) => `  ${target}`)];
}

function comments(sysctl: ProfileSysctl): string[] {
  const lines = sysctl.needs.map((need) => `# ${need.service}: ${oneLine(need.reason ?? 'no reason given')}`);
  if (sysctl.note !== undefined) lines.push(`# ${oneLine(sysctl.note)}`);
  if (sysctlNamespace(sysctl.key) === undefined) {
    lines.push('# node-level: inside a container (an unprivileged LXC, a pod) it cannot be set; it belongs to the machine the container runs on');
  }
  return lines;
}

/** A reason is one comment line: a newline in it would end the comment and start a setting. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
