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

/**
 * `ulimit` flags that dash, bash (as `sh`) and busybox sh agree on, with the bytes each unit counts.
 * Left out: nproc (dash `-p`, bash and busybox `-u`), locks (`-w` and `-x`), core and fsize (512-byte
 * blocks only in POSIX mode), nice, sigpending and msgqueue (dash has none).
 */
export const SHELL_ULIMITS: Readonly<Record<string, { readonly flag: string; readonly unit: number }>> = {
  as: { flag: 'v', unit: 1024 },
  cpu: { flag: 't', unit: 1 },
  data: { flag: 'd', unit: 1024 },
  memlock: { flag: 'l', unit: 1024 },
  nofile: { flag: 'n', unit: 1 },
  rss: { flag: 'm', unit: 1024 },
  rtprio: { flag: 'r', unit: 1 },
  stack: { flag: 's', unit: 1024 },
};

/**
 * Whether a container runtime's defaults can carry a limit: containerd through its unit's `Limit…=`
 * (CRI containers inherit containerd's own limits), CRI-O through `default_ulimits`, which takes
 * Docker's names.
 */
export function runtimeSetsUlimit(runtime: 'containerd' | 'cri-o', item: string): boolean {
  return runtime === 'containerd' ? ULIMITS[item] !== undefined : isKnownUlimit(item) && !NOT_IN_DOCKER.has(item);
}
