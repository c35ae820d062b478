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

/**
 * Items pam_limits counts in KiB where systemd, Docker and the kernel count bytes (limits.conf(5)):
 * Kiln's values are bytes, as the kernel's, and limits.d gets them in KiB, rounded up.
 */
export const KIB_IN_LIMITS_CONF: ReadonlySet<string> = new Set(['as', 'core', 'data', 'fsize', 'memlock', 'rss', 'stack']);

/** Names Docker's ulimit parser refuses (go-units): PAM-only, never in a Compose file. */
export const NOT_IN_DOCKER: ReadonlySet<string> = new Set(['as', 'maxlogins']);
