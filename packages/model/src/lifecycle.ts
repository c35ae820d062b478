/**
 * How a service stops, restarts and takes changes, per target: the signal its process drains on and
 * how each target delivers it, the grace period before SIGKILL, restart policies, and what rolls the
 * pods when configuration or a rotated secret changes. Computed here once, read by every emitter.
 */
import { createHash } from 'node:crypto';
import type { Stage } from './environment.js';

/** Signals a service may drain on: the ones Docker, systemd and Kubernetes' Linux nodes all know. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Seconds between the end of the application's own shutdown timeout and SIGKILL: room for the preStop
 * hook, the endpoints update and the last flush, so a drain that uses its whole timeout still ends cleanly.
 */
export const SHUTDOWN_MARGIN_SECONDS = 10;

/** Kubernetes' default terminationGracePeriodSeconds, Kiln's where nothing is declared. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** The grace period before SIGKILL: the declared one, else the application's timeout plus the margin. */
export function gracePeriodSeconds(declared: number | undefined, shutdownTimeoutSeconds: number | undefined): number {
  if (declared !== undefined) return declared;
  return shutdownTimeoutSeconds === undefined ? DEFAULT_GRACE_PERIOD_SECONDS : shutdownTimeoutSeconds + SHUTDOWN_MARGIN_SECONDS;
}

/**
 * `lifecycle.stopSignal` (KEP-4960): alpha from Kubernetes 1.33 behind the ContainerStopSignals gate,
 * off by default, and only with `spec.os.name` set. An API server without the gate drops the field.
 */
export const CONTAINER_STOP_SIGNALS = { gate: 'ContainerStopSignals', since: { major: 1, minor: 33 } } as const;

/** Feature gates Kiln can use, when a cluster enables them. */
export const FEATURE_GATES = [CONTAINER_STOP_SIGNALS.gate] as const;

/** How a Kubernetes container gets its stop signal. */
export type KubernetesStop =
  /** SIGTERM, or the image's STOPSIGNAL: what the runtime sends anyway. */
  | { readonly kind: 'runtime' }
  /** `lifecycle.stopSignal`, with `spec.os.name: linux`. */
  | { readonly kind: 'lifecycle'; readonly signal: StopSignal }
  /**
   * A preStop hook that sends the signal to PID 1, then the runtime's SIGTERM, which a PID 1 without a
   * SIGTERM handler never sees (the kernel drops it), so the drain runs to its end.
   */
  | { readonly kind: 'preStop'; readonly signal: StopSignal; readonly command: readonly string[] };

/**
 * How the cluster delivers a service's stop signal, or undefined when it cannot: no
 * `lifecycle.stopSignal` there, and neither `kill` nor `sh` in the image for a preStop hook.
 */
export function kubernetesStop(
  service: { readonly stopSignal?: StopSignal | undefined; readonly tools: readonly string[] },
  cluster: { readonly minor: number; readonly featureGates: readonly string[] },
): KubernetesStop | undefined {
  const signal = service.stopSignal;
  if (signal === undefined || signal === 'SIGTERM') return { kind: 'runtime' };
  if (cluster.minor >= CONTAINER_STOP_SIGNALS.since.minor && cluster.featureGates.includes(CONTAINER_STOP_SIGNALS.gate)) return { kind: 'lifecycle', signal };
  const kill = `-${signal.slice('SIG'.length)}`;
  if (service.tools.includes('kill')) return { kind: 'preStop', signal, command: ['kill', kill, '1'] };
  if (service.tools.includes('sh')) return { kind: 'preStop', signal, command: ['/bin/sh', '-c', `kill ${kill} 1`] };
  return undefined;
}

/**
 * Compose's restart policy by stage: in development a crash restarts and a clean exit stays visible;
 * staging and production come back after crashes and Docker restarts, unless someone stopped them.
 */
export function composeRestart(stage: Stage): 'on-failure' | 'unless-stopped' {
  return stage === 'development' ? 'on-failure' : 'unless-stopped';
}

/**
 * systemd's restart settings for every unit on a hosts target: restart after a crash, 5 s apart; a
 * unit that fails 5 times in 5 minutes stays failed (and its alert fires) instead of looping.
 * RestartSteps= (systemd 254) is left out: Debian 12 and Proxmox VE 8 ship systemd 252.
 */
export const SYSTEMD_RESTART = { restart: 'on-failure', restartSec: 5, startLimitIntervalSec: 300, startLimitBurst: 5 } as const;

/**
 * A digest of a service's configuration files, for an annotation or label of the pod template or
 * container: a change of content changes the template and rolls the pods (Helm's `checksum/config`).
 */
export function configHash(files: Readonly<Record<string, string>>): string {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `sha256:${createHash('sha256').update(JSON.stringify(entries)).digest('hex')}`;
}

/** The annotation or label that carries `configHash`. */
export const CONFIG_HASH_KEY = 'kiln.dev/config-hash';

/** Stakater Reloader: a workload with this annotation is rolled when one of the Secrets it lists changes. */
export const RELOADER_SECRET_ANNOTATION = 'secret.reloader.stakater.com/reload';

/** How often an ExternalSecret reads its remote key again: a rotation in the store reaches the cluster's Secret within this. */
export const SECRET_REFRESH_INTERVAL = '1h';

/** How a secret rotated outside git reaches a running service. */
export type SecretRotation = 'reload' | 'restart';

/** The secrets a service restarts on, sorted: what Reloader's annotation lists. */
export function restartSecrets(service: { readonly secretRotation: Readonly<Record<string, SecretRotation>> }): string[] {
  return Object.entries(service.secretRotation)
    .filter(([, mode]) => mode === 'restart')
    .map(([name]) => name)
    .sort();
}
