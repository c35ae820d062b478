/**
 * A unit's resource limits as a systemd drop-in (`<unit>.d/90-kiln-limits.conf`): `Limit…=soft:hard`.
 * systemd does not enforce LimitNPROC for root (RLIMIT_NPROC does not apply to root), so a root
 * service gets TasksMax= instead, which the pids cgroup enforces.
 */
import { ULIMITS } from '@kiln/model';
import type { UnitTuning } from '@kiln/model';
import { oneLine } from './sysctl-conf.js';

export function limitsDropIn(unit: UnitTuning): string {
  const lines = [`# Resource limits of ${unit.unit} (service '${unit.service}'). Install: /etc/systemd/system/${unit.unit}.d/, then \`systemctl daemon-reload\`.`];
  const settings: string[] = [];
  for (const limit of unit.limits) {
    const why = `# ${limit.item}: ${oneLine(limit.reason ?? 'no reason given')}`;
    if (limit.item === 'nproc' && unit.root) {
      settings.push(why, '# the service runs as root, for which systemd does not enforce LimitNPROC: TasksMax= caps its tasks', `TasksMax=${limit.hard}`);
      continue;
    }
    const directive = ULIMITS[limit.item];
    if (directive === undefined) {
      lines.push(`# ${limit.item} ${limit.soft}:${limit.hard} has no systemd setting; pam_limits applies it to logins (limits.d)`);
      continue;
    }
    settings.push(why, `${directive}=${limit.soft}:${limit.hard}`);
  }
  return `${[...lines, '[Service]', ...settings].join('\n')}\n`;
}
