/**
 * A Compose healthcheck from the service's probes. Compose has one check where Kubernetes has three:
 * readiness decides when dependants may start (`service_healthy`), so it wins over liveness; the
 * startup probe only lengthens the grace period.
 */
import type { ProbeAction, Service } from '@kiln/model';
import type { Healthcheck } from './compose-file.js';

export function healthcheck(service: Service): Healthcheck | undefined {
  const probe = service.probes.readiness ?? service.probes.liveness;
  if (!probe) return undefined;
  const startup = service.probes.startup;
  // A startup probe holds the other probes off for up to failureThreshold × periodSeconds after its
  // own initial delay; failures in that window must not count against the container here either.
  const startPeriod = startup ? startup.initialDelaySeconds + startup.failureThreshold * startup.periodSeconds : probe.initialDelaySeconds;
  return {
    test: healthTest(probe.action),
    interval: seconds(probe.periodSeconds),
    timeout: seconds(probe.timeoutSeconds),
    retries: probe.failureThreshold,
    start_period: seconds(startPeriod),
  };
}

export function hasHealthcheck(service: Service): boolean {
  return healthcheck(service) !== undefined;
}

function healthTest(action: ProbeAction): string[] {
  switch (action.kind) {
    case 'exec':
      return ['CMD', ...action.command];
    case 'http':
      // Needs curl in the image; -f fails on HTTP errors as Kubernetes fails a probe on >= 400.
      return ['CMD', 'curl', '-fsS', `http://127.0.0.1:${action.port}${action.path}`];
    case 'tcp':
      // /dev/tcp is a bash feature, so the image needs bash. It is run as `bash -c`, not CMD-SHELL:
      // CMD-SHELL runs /bin/sh, which is dash or ash in most images and has no /dev/tcp.
      return ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${action.port}`];
  }
}

function seconds(value: number): string {
  return `${value}s`;
}
