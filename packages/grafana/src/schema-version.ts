/**
 * The dashboard `schemaVersion` each Grafana minor writes when it saves a dashboard (its
 * DashboardMigrator's DASHBOARD_SCHEMA_VERSION). A provisioned dashboard with an older version is
 * migrated in memory on every load and differs from what Grafana would export; a newer one is
 * not understood by older Grafanas. So the version is pinned to the Grafana the environment runs.
 *
 * Sources, per schemaVersion (the migration that introduced it, and the release it shipped in):
 * - 38 (table cellOptions, grafana#59363, early 2023, fixed in 9.5.x backports): 10.0–10.2.
 * - 39 (timeSeriesTable options, grafana#76801, merged after 10.2 was cut): 10.3–11.2.
 * - 40 (`refresh` always a string, grafana#93756, Sept 2024): 11.3–11.5; a Grafana 11.5.1 export
 *   has 40 and an 11.6.0 one 41 (miyurud/jasminegraph#286).
 * - 41 (timepicker.time_options removed, grafana#100135, Feb 2025): 11.6–12.1; @grafana/schema
 *   11.6.0, 12.0.0 and 12.1.0 default to 41.
 * - 42 (hideFrom.viz implies hideFrom.tooltip, grafana#106857/#110517, Aug–Sept 2025): 12.2 on;
 *   @grafana/schema 12.2.0, 12.3.0 and 13.2.3 default to 42, and Grafana v13.2.1's
 *   DASHBOARD_SCHEMA_VERSION is 42 (grafana/skills#98). Grafana calls 42 the last v1 schema version.
 * (@grafana/schema's default lagged the migrator before 11.6, 39 through 11.5, so it is not the
 * source for older minors.) Grafana 9 and older are left out: Kiln's panels need Grafana 10.
 */
const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  '10.0': 38,
  '10.1': 38,
  '10.2': 38,
  '10.3': 39,
  '10.4': 39,
  '11.0': 39,
  '11.1': 39,
  '11.2': 39,
  '11.3': 40,
  '11.4': 40,
  '11.5': 40,
  '11.6': 41,
  '12.0': 41,
  '12.1': 41,
  '12.2': 42,
  '12.3': 42,
  '12.4': 42,
  '13.0': 42,
  '13.1': 42,
  '13.2': 42,
};

/** The model's default for `monitoring.grafana.version`, for environments that declare no Grafana. */
export const DEFAULT_GRAFANA_VERSION = '11.6';

/** The schemaVersion a Grafana minor (`'11.6'`) writes; undefined for a version Kiln does not know. */
export function schemaVersionOf(grafanaVersion: string): number | undefined {
  return Object.hasOwn(SCHEMA_VERSIONS, grafanaVersion) ? SCHEMA_VERSIONS[grafanaVersion] : undefined;
}

/** Every Grafana minor Kiln writes dashboards for, oldest first. */
export function knownGrafanaVersions(): string[] {
  return Object.keys(SCHEMA_VERSIONS);
}
