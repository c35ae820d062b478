/**
 * How a pod stops and what rolls it: the stop signal the model chose a way to deliver
 * (`lifecycle.stopSignal` on a cluster with ContainerStopSignals, else a preStop hook that signals
 * PID 1), and Stakater Reloader's annotation for the secrets the service restarts on.
 */
import type { KubernetesTarget, Service } from '@kiln/model';
import { kubernetesStop, RELOADER_SECRET_ANNOTATION, restartSecrets } from '@kiln/model';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

/** What the container and its pod get so that the container's process receives its stop signal. */
export function stopSignal(target: KubernetesTarget, service: Service): { container: Pick<IContainer, 'lifecycle'>; pod: Pick<IPodSpec, 'os'> } {
  const stop = kubernetesStop(service, { minor: target.version.minor, featureGates: target.featureGates });
  if (!stop) throw new Error(`stopSignal: ${service.name}'s ${service.stopSignal ?? 'SIGTERM'} has no way onto the cluster; the rules should have refused it`);
  switch (stop.kind) {
    case 'runtime':
      return { container: {}, pod: {} };
    case 'lifecycle':
      // The API server validates the signal against the pod's OS: without spec.os.name it refuses the field.
      return { container: { lifecycle: { stopSignal: stop.signal } }, pod: { os: { name: 'linux' } } };
    case 'preStop':
      return { container: { lifecycle: { preStop: { exec: { command: [...stop.command] } } } }, pod: {} };
  }
}

/**
 * The workload's own annotations: Reloader rolls it when a Secret it restarts on changes (the
 * ExternalSecret refreshes the Secret from the store; Reloader must run in the cluster).
 */
export function rolloutAnnotations(service: Service): Record<string, string> {
  const secrets = restartSecrets(service);
  return secrets.length > 0 ? { [RELOADER_SECRET_ANNOTATION]: secrets.join(',') } : {};
}
