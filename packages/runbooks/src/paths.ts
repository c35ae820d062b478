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
