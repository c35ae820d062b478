/**
 * A profile's limits.d file for pam_limits: `<domain> <soft|hard> <item> <value>`. PAM applies it to
 * login sessions (ssh, su, sudo), never to systemd services: those get their own drop-ins.
 */
import { KIB_IN_LIMITS_CONF } from '@kiln/model';
import type { HostProfile } from '@kiln/model';
import { intro, oneLine } from './sysctl-conf.js';

export function limitsConf(profile: HostProfile): string {
  const lines = [
    ...intro(profile),
    'Install: /etc/security/limits.d/. PAM applies these to login sessions (ssh, su, sudo) of the user;',
    "systemd services ignore them and take their limits from the unit's drop-in.",
  ].map((line) => `# ${line}`);
  for (const limit of profile.limits) {
    lines.push('', `# ${limit.need.service}: ${oneLine(limit.need.reason ?? 'no reason given')}`);
    // pam_limits reads size items in KiB; Kiln's values are bytes.
    const value = (bytes: number) => (KIB_IN_LIMITS_CONF.has(limit.item) ? Math.ceil(bytes / 1024) : bytes);
    lines.push(`${limit.domain} soft ${limit.item} ${value(limit.soft)}`, `${limit.domain} hard ${limit.item} ${value(limit.hard)}`);
  }
  return `${lines.join('\n')}\n`;
}
