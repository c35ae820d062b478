/**
 * Where runbooks and what they link sit in generated/. Alert and procedure runbooks are at the
 * model's `runbookPath` and `procedurePath` (`<env>/runbooks/<name>.md`); links between them are
 * relative, so they work in any checkout and on any Git host.
 */
import { dashboardPath, hostFiles } from '@kiln/model';
import type { ContainerRuntime } from '@kiln/model';

/** The index beside the runbooks: `<env>/runbooks/README.md`. */
export const INDEX_FILE = 'README.md';

export function indexPath(environment: string): string {
  return `${environment}/runbooks/${INDEX_FILE}`;
}

/** A dashboard's JSON as the Grafana emitter writes it, relative to a runbook. */
export function dashboardJsonLink(uid: string): string {
  // From <env>/runbooks/, the environment's folder is `..`.
  return dashboardPath('..', uid);
}

/** The host tuning runbook beside the index: `<env>/runbooks/host-tuning.md`. */
export const HOST_TUNING_FILE = 'host-tuning.md';

export function hostTuningPath(environment: string): string {
  return `${environment}/runbooks/${HOST_TUNING_FILE}`;
}

/** A host file as the hosts emitter writes it under `<env>/host/` (the model's layout), relative to a runbook. */
export const hostFileLink = {
  sysctl: (profile: string) => `../host/${hostFiles.sysctl(profile)}`,
  limits: (profile: string) => `../host/${hostFiles.limits(profile)}`,
  dropIn: (unit: string) => `../host/${hostFiles.dropIn(unit)}`,
  runtime: (runtime: ContainerRuntime, profile: string) => `../host/${hostFiles.runtime(runtime, profile)}`,
} as const;
