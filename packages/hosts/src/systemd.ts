/**
 * A unit's drop-in (`<unit>.d/90-kiln.conf`): how systemd restarts and stops the service, and its
 * resource limits (`Limit…=soft:hard`). systemd does not enforce LimitNPROC for root (RLIMIT_NPROC
 * does not apply to root), so a root service gets TasksMax= instead, which the pids cgroup enforces.
 */
import { SYSTEMD_RESTART, ULIMITS } from '@kiln/model';
import type { Service, UnitTuning } from '@kiln/model';
import { oneLine } from './sysctl-conf.js';

export function unitDropIn(unit: string, service: Service, tuning: UnitTuning | undefined): string {
  const lines = [`# ${unit} (service '${service.name}'): restarts, stop and resource limits. Install: /etc/systemd/system/${unit}.d/, then \`systemctl daemon-reload\`.`];
  const { restart, restartSec, startLimitIntervalSec, startLimitBurst } = SYSTEMD_RESTART;
  const unitSection = [
    `# A crash loop ends after ${startLimitBurst} starts in ${startLimitIntervalSec}s: the unit stays failed until \`systemctl reset-failed ${unit}\`.`,
    `StartLimitIntervalSec=${startLimitIntervalSec}`,
    `StartLimitBurst=${startLimitBurst}`,
  ];
  const why = service.shutdownTimeoutSeconds === undefined ? '' : ` (its own shutdown takes up to ${service.shutdownTimeoutSeconds}s)`;
  const settings = [
    `# Restarted after a crash, ${restartSec}s apart; a clean exit or \`systemctl stop\` stays stopped.`,
    `Restart=${restart}`,
    `RestartSec=${restartSec}s`,
    ...(service.stopSignal ? [`# The process drains on ${service.stopSignal}.`, `KillSignal=${service.stopSignal}`] : []),
    `# SIGKILL ${service.terminationGracePeriodSeconds}s after the stop signal${why}.`,
    `TimeoutStopSec=${service.terminationGracePeriodSeconds}s`,
  ];
  for (const limit of tuning?.limits ?? []) {
    const reason = `# ${limit.item}: ${oneLine(limit.reason ?? 'no reason given')}`;
    if (limit.item === 'nproc' && tuning?.root) {
      settings.push(reason, '# the service runs as root, for which systemd does not enforce LimitNPROC: TasksMax= caps its tasks', `TasksMax=${limit.hard}`);
      continue;
    }
    const directive = ULIMITS[limit.item];
    if (directive === undefined) {
      lines.push(`# ${limit.item} ${limit.soft}:${limit.hard} has no systemd setting; pam_limits applies it to logins (limits.d)`);
      continue;
    }
    settings.push(reason, `${directive}=${limit.soft}:${limit.hard}`);
  }
  return `${[...lines, '[Unit]', ...unitSection, '', '[Service]', ...settings].join('\n')}\n`;
}
