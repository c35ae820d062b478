/**
 * Where runbooks and what they link sit in generated/. Alert and procedure runbooks are at the
 * model's `runbookPath` and `procedurePath` (`<env>/runbooks/<name>.md`); links between them are
 * relative, so they work in any checkout and on any Git host.
 */

/** The index beside the runbooks: `<env>/runbooks/README.md`. */
export const INDEX_FILE = 'README.md';

export function indexPath(environment: string): string {
  return `${environment}/runbooks/${INDEX_FILE}`;
}

/** A dashboard's JSON as the Grafana emitter writes it, relative to a runbook. */
export function dashboardJsonLink(uid: string): string {
  return `../grafana/dashboards/${uid}.json`;
}

/** The host tuning runbook beside the index: `<env>/runbooks/host-tuning.md`. */
export const HOST_TUNING_FILE = 'host-tuning.md';

export function hostTuningPath(environment: string): string {
  return `${environment}/runbooks/${HOST_TUNING_FILE}`;
}

/**
 * A host file as the hosts emitter writes it under `<env>/host/`, relative to a runbook. Emitters do
 * not import each other, so the layout is repeated here; the repository tests resolve every link, so
 * the two cannot drift apart unnoticed.
 */
export const hostFileLink = {
  sysctl: (profile: string) => `../host/sysctl.d/90-${profile}.conf`,
  limits: (profile: string) => `../host/limits.d/90-${profile}.conf`,
  dropIn: (unit: string) => `../host/systemd/${unit}.d/90-kiln-limits.conf`,
} as const;
