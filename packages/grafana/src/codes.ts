/**
 * Diagnostic codes of the Grafana emitter; PromQL codes on panel queries are @kiln/promql's, and
 * duplicate uids and broken panel links are the model's (DUPLICATE_DASHBOARD_UID, UNKNOWN_PANEL).
 */
export const GrafanaCode = {
  /** The environment's Grafana version has no known dashboard schemaVersion. */
  GRAFANA_VERSION_UNKNOWN: 'GRAFANA_VERSION_UNKNOWN',
  /** An explicit gridPos wider than the 24-column grid, or not starting inside it. */
  GRAFANA_PANEL_WIDTH: 'GRAFANA_PANEL_WIDTH',
  /** An explicit gridPos without height. */
  GRAFANA_PANEL_HEIGHT: 'GRAFANA_PANEL_HEIGHT',
  /** Two explicitly placed panels of one row cover the same cells. */
  GRAFANA_PANEL_OVERLAP: 'GRAFANA_PANEL_OVERLAP',
  /** A panel without a title (linter: panel-title-description-rule). */
  GRAFANA_PANEL_TITLE: 'GRAFANA_PANEL_TITLE',
  /** A panel without a description (linter: panel-title-description-rule). */
  GRAFANA_PANEL_DESCRIPTION: 'GRAFANA_PANEL_DESCRIPTION',
  /** A panel without queries (linter: panel-no-targets-rule). */
  GRAFANA_PANEL_NO_TARGETS: 'GRAFANA_PANEL_NO_TARGETS',
  /** A unit Grafana does not know (linter: panel-units-rule). */
  GRAFANA_UNKNOWN_UNIT: 'GRAFANA_UNKNOWN_UNIT',
  /** A query shows a counter's raw values (linter: target-counter-agg-rule). */
  GRAFANA_COUNTER_NOT_RATED: 'GRAFANA_COUNTER_NOT_RATED',
  /** rate() or irate() over a window other than $__rate_interval (linter: target-rate-interval-rule). */
  GRAFANA_RATE_INTERVAL: 'GRAFANA_RATE_INTERVAL',
  /** A service's metric selected without job=~"$job" on a dashboard with a job variable (linter: target-job-rule). */
  GRAFANA_JOB_MATCHER: 'GRAFANA_JOB_MATCHER',
  /** A service's metric selected without instance=~"$instance" on a dashboard with an instance variable (linter: target-instance-rule). */
  GRAFANA_INSTANCE_MATCHER: 'GRAFANA_INSTANCE_MATCHER',
  /** A query uses a dashboard variable Kiln does not define. */
  GRAFANA_UNKNOWN_VARIABLE: 'GRAFANA_UNKNOWN_VARIABLE',
  /** A dashboard uid that cannot name a ConfigMap on a Kubernetes target. */
  GRAFANA_UID_NOT_DNS: 'GRAFANA_UID_NOT_DNS',
  /** A dashboard too big for a ConfigMap (1 MiB). */
  GRAFANA_DASHBOARD_TOO_LARGE: 'GRAFANA_DASHBOARD_TOO_LARGE',
  /** A generated Kubernetes object fails its schema (a bug in Kiln). */
  GRAFANA_OBJECT_INVALID: 'GRAFANA_OBJECT_INVALID',
} as const;
export type GrafanaCode = (typeof GrafanaCode)[keyof typeof GrafanaCode];
