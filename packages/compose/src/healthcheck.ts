/**
 * A Compose healthcheck from the service's probes. Compose has one check where Kubernetes has three:
 * readiness decides when dependants may start (`service_healthy`), so it wins over liveness; the
 * startup probe only lengthens the grace period. Unlike the kubelet, Docker runs the check inside the
 * container: an HTTP or TCP probe becomes a command of a program the image declares in `tools`, and
 * Kiln refuses a probe none of them can run.
 */
import { sourcePath } from '@kiln/core';
import { systemSource } from '@kiln/model';
import type { Diagnostic, Environment, Probe, ProbeAction, Service } from '@kiln/model';
import { ComposeCode } from './codes.js';
import type { Healthcheck } from './compose-file.js';

export function healthcheck(service: Service): Healthcheck | undefined {
  const found = probeOf(service);
  const test = found && healthTest(found.probe.action, service.tools);
  if (!found || !test) return undefined;
  const { probe } = found;
  const startup = service.probes.startup;
  // A startup probe holds the other probes off for up to failureThreshold × periodSeconds after its
  // own initial delay; failures in that window must not count against the container here either.
  const startPeriod = startup ? startup.initialDelaySeconds + startup.failureThreshold * startup.periodSeconds : probe.initialDelaySeconds;
  return {
    test,
    interval: seconds(probe.periodSeconds),
    timeout: seconds(probe.timeoutSeconds),
    retries: probe.failureThreshold,
    start_period: seconds(startPeriod),
  };
}

export function hasHealthcheck(service: Service): boolean {
  return healthcheck(service) !== undefined;
}

/** Errors for probes the image has no program to run: the healthcheck would fail forever. */
export function healthcheckDiagnostics(environment: Environment, services: readonly Service[]): Diagnostic[] {
  return services.flatMap((service): Diagnostic[] => {
    const found = probeOf(service);
    const action = found?.probe.action;
    if (!found || !action || action.kind === 'exec' || healthTest(action, service.tools)) return [];
    const candidates = programs(action).join(' or ');
    return [
      {
        code: ComposeCode.COMPOSE_HEALTHCHECK_TOOL_MISSING,
        severity: 'error',
        file: systemSource(environment, service),
        path: sourcePath(['services', { name: service.name }, 'tools']),
        message: `Docker runs the ${found.kind} probe of service '${service.name}' (${action.kind}${action.kind === 'http' && action.tls ? 's' : ''} on port ${action.port}) inside its container, which needs ${candidates}; the image declares ${service.tools.length > 0 ? `only ${service.tools.join(', ')}` : 'no tools'}`,
        hint: `list in tools what the image ships, if it has ${candidates}; otherwise make the ${found.kind} probe an exec of a command the image has`,
      },
    ];
  });
}

/** The probe Compose runs, readiness before liveness. */
function probeOf(service: Service): { kind: 'readiness' | 'liveness'; probe: Probe } | undefined {
  const { readiness, liveness } = service.probes;
  if (readiness) return { kind: 'readiness', probe: readiness };
  if (liveness) return { kind: 'liveness', probe: liveness };
  return undefined;
}

/** The programs that can run an HTTP or TCP probe, in the order Kiln prefers them. */
function programs(action: Exclude<ProbeAction, { kind: 'exec' }>): string[] {
  if (action.kind === 'tcp') return ['bash'];
  // bash speaks plain HTTP over /dev/tcp, not TLS.
  return action.tls ? ['curl', 'wget'] : ['curl', 'wget', 'bash'];
}

/** The check's command, or nothing when the image has no program for it. */
function healthTest(action: ProbeAction, tools: readonly string[]): string[] | undefined {
  if (action.kind === 'exec') return ['CMD', ...action.command];
  const program = programs(action).find((name) => tools.includes(name));
  if (action.kind === 'tcp') {
    // /dev/tcp is a bash feature. It is run as `bash -c`, not CMD-SHELL: CMD-SHELL runs /bin/sh, which
    // is dash or ash in most images and has no /dev/tcp.
    return program === undefined ? undefined : ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${action.port}`];
  }
  // A TLS port is checked over HTTPS without verifying the certificate, as the kubelet does: it names
  // the service, not 127.0.0.1. Like the kubelet, any status from 200 to 399 passes.
  const url = `${action.tls ? 'https' : 'http'}://127.0.0.1:${action.port}${action.path}`;
  switch (program) {
    case 'curl':
      // -f fails on HTTP errors, >= 400.
      return ['CMD', 'curl', action.tls ? '-fsSk' : '-fsS', url];
    case 'wget':
      // wget exits non-zero on a status >= 400, and follows redirects as curl does not: the end counts.
      return ['CMD', 'wget', '-q', '-O', '/dev/null', ...(action.tls ? ['--no-check-certificate'] : []), url];
    case 'bash':
      // An HTTP/1.0 request by hand, the path passed as $1 so that no quoting can break it.
      return ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${action.port} && printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' "$1" >&3 && read -r _ status _ <&3 && [ "$status" -ge 200 ] && [ "$status" -lt 400 ]`, 'bash', action.path];
    default:
      return undefined;
  }
}

function seconds(value: number): string {
  return `${value}s`;
}
