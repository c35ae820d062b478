/**
 * Resource limits Kiln can place: the names pam_limits (limits.d) and systemd (`Limit…=`) both know.
 * Docker and Compose accept the same names for `ulimits:` (except `as` and `maxlogins`, which are
 * PAM-only and so appear only in limits.d).
 */

/** limits.d item → systemd directive, or `undefined` where systemd has none (PAM logins only). */
export const ULIMITS: Readonly<Record<string, string | undefined>> = {
  as: 'LimitAS',
  core: 'LimitCORE',
  cpu: 'LimitCPU',
  data: 'LimitDATA',
  fsize: 'LimitFSIZE',
  locks: 'LimitLOCKS',
  maxlogins: undefined,
  memlock: 'LimitMEMLOCK',
  msgqueue: 'LimitMSGQUEUE',
  nice: 'LimitNICE',
  nofile: 'LimitNOFILE',
  nproc: 'LimitNPROC',
  rss: 'LimitRSS',
  rtprio: 'LimitRTPRIO',
  sigpending: 'LimitSIGPENDING',
  stack: 'LimitSTACK',
};

export function isKnownUlimit(name: string): boolean {
  return Object.hasOwn(ULIMITS, name);
}

/** The kernel's default ceiling for nofile (`fs.nr_open`): no process can raise nofile above it. */
export const DEFAULT_NR_OPEN = 1048576;
