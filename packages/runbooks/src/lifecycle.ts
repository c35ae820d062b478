/**
 * The index's "Stops, restarts and secret rotation": for each service the signal it drains on, how
 * each target sends it and how long it has; how each target restarts what crashed; and for each
 * secret rotated outside git, what makes the running services take the new value.
 */
import type { Environment, Service } from '@kiln/model';
import { composeRestart, kubernetesStop, RELOADER_SECRET_ANNOTATION, SECRET_REFRESH_INTERVAL, servicesOf, SYSTEMD_RESTART } from '@kiln/model';
import { dockerCompose, TARGET_TITLES, targetsOf } from './commands.js';
import type { TargetKind } from './commands.js';
import type { IndexContext } from './contexts.js';
import type { Segment } from './markdown.js';

type Lifecycle = Pick<IndexContext, 'stops' | 'restarts' | 'rotations'>;

export function lifecycleContext(environment: Environment): Lifecycle {
  const targets = targetsOf(environment);
  const services = servicesOf(environment);
  return {
    stops: services.map((service) => ({
      service: service.name,
      signal: service.stopSignal ?? 'not declared',
      sent: perTarget(targets, (kind) => stopSent(environment, kind, service)),
      grace: `${service.terminationGracePeriodSeconds}s${service.shutdownTimeoutSeconds === undefined ? '' : ` (its own shutdown: up to ${service.shutdownTimeoutSeconds}s)`}`,
    })),
    restarts: targets.map((kind) => [{ text: `${TARGET_TITLES[kind]}: ` }, ...restarts(environment, kind)]),
    rotations: services.flatMap((service) =>
      Object.entries(service.secretRotation).map(([secret, mode]) => ({ secret, service: service.name, mode, how: perTarget(targets, (kind) => rotation(environment, kind, service, secret, mode)) })),
    ).sort((a, b) => (a.secret === b.secret ? (a.service < b.service ? -1 : 1) : a.secret < b.secret ? -1 : 1)),
  };
}

/** One cell: each target's part, titled where there are several. */
function perTarget(targets: readonly TargetKind[], part: (kind: TargetKind) => Segment[]): Segment[] {
  if (targets.length === 1 && targets[0]) return part(targets[0]);
  return targets.flatMap((kind, i) => [{ text: `${i > 0 ? '; ' : ''}${TARGET_TITLES[kind]}: ` }, ...part(kind)]);
}

function stopSent(environment: Environment, kind: TargetKind, service: Service): Segment[] {
  const signal = service.stopSignal;
  if (kind === 'compose') return signal ? [{ code: `stop_signal: ${signal}` }] : [{ text: "Docker's stop (the image's STOPSIGNAL, else SIGTERM)" }];
  if (kind === 'hosts') return signal ? [{ code: `KillSignal=${signal}` }] : [{ text: "systemd's SIGTERM" }];
  const target = environment.targets.kubernetes;
  const stop = target && kubernetesStop(service, { minor: target.version.minor, featureGates: target.featureGates });
  switch (stop?.kind) {
    case 'lifecycle':
      return [{ code: `lifecycle.stopSignal: ${stop.signal}` }];
    case 'preStop':
      return [{ text: 'a preStop hook, ' }, { code: JSON.stringify(stop.command) }, { text: ", then the kubelet's SIGTERM, which PID 1 ignores without a handler" }];
    default:
      return [{ text: "the kubelet's stop (the image's STOPSIGNAL, else SIGTERM)" }];
  }
}

function restarts(environment: Environment, kind: TargetKind): Segment[] {
  switch (kind) {
    case 'kubernetes':
      return [{ text: 'the kubelet restarts a container that exits (' }, { code: 'restartPolicy: Always' }, { text: '), backing off up to 5 minutes.' }];
    case 'compose':
      return [{ text: 'Docker restarts containers ' }, { code: `restart: ${composeRestart(environment.stage)}` }, { text: `, as the ${environment.stage} stage has it.` }];
    case 'hosts': {
      const { restartSec, startLimitBurst, startLimitIntervalSec } = SYSTEMD_RESTART;
      return [
        { text: `systemd restarts a unit that fails ${restartSec}s later (` },
        { code: `Restart=${SYSTEMD_RESTART.restart}` },
        { text: `); after ${startLimitBurst} starts in ${startLimitIntervalSec}s it stays failed until ` },
        { code: 'systemctl reset-failed <unit>' },
        { text: '.' },
      ];
    }
  }
}

function rotation(environment: Environment, kind: TargetKind, service: Service, secret: string, mode: 'reload' | 'restart'): Segment[] {
  if (kind === 'kubernetes') {
    const issued = service.tls?.issued === true && service.tls.secret === secret;
    const refresh = issued ? 'cert-manager renews the certificate before it expires' : `the ExternalSecret reads the store every ${SECRET_REFRESH_INTERVAL}`;
    return mode === 'reload'
      ? [{ text: `${refresh}; the kubelet then updates the mounted files and the application re-reads them.` }]
      : [{ text: `${refresh}; Stakater Reloader, which must run in the cluster, then rolls the pods (` }, { code: RELOADER_SECRET_ANNOTATION }, { text: ' on the workload).' }];
  }
  if (kind === 'compose') {
    const members = service.stateful ? service.stateful.ids.map((id) => `${service.name}-${id}`) : [service.name];
    return mode === 'reload'
      ? [{ text: 'overwrite the secret file in place (a replaced file is not seen inside a running container); the application re-reads it.' }]
      : [{ text: 'after changing the secret, recreate the containers: ' }, { code: `${dockerCompose(environment)} up -d --force-recreate ${members.join(' ')}` }];
  }
  return mode === 'reload' ? [{ text: 'the application re-reads its files.' }] : [{ text: 'restart the unit on each machine: ' }, { code: `sudo systemctl restart ${service.name}` }];
}
