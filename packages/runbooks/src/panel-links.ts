/**
 * Where a runbook sends the reader to see a panel: Grafana's own page for it when the environment
 * says where its Grafana is (`<url>/d/<uid>?viewPanel=<id>`, ids as the Grafana emitter numbers
 * them, from the model), otherwise the dashboard JSON beside the runbooks in generated/.
 */
import type { Environment } from '@kiln/model';
import { findPanel } from '@kiln/model';
import { dashboardJsonLink } from './paths.js';

export interface PanelLink {
  readonly panel: string;
  readonly dashboard: string;
  readonly uid: string;
  readonly id: number;
  /** Grafana's page for the panel, or the dashboard JSON relative to the runbook. */
  readonly href: string;
  /** Whether `href` is Grafana (true) or the JSON file (false). */
  readonly grafana: boolean;
}

export function panelLink(environment: Environment, ref: { readonly dashboard: string; readonly panel: string }): PanelLink {
  const found = findPanel(environment, ref);
  // The model's rules reject a reference to a panel that does not exist before emitters run.
  if (!found) throw new Error(`internal error: ${environment.name} has no panel '${ref.panel}' on dashboard '${ref.dashboard}', which the model's rules should have reported`);
  const grafana = environment.monitoring.grafana;
  const href = grafana ? `${grafana.url.replace(/\/+$/, '')}/d/${found.dashboard.uid}?viewPanel=${found.id}` : dashboardJsonLink(found.dashboard.uid);
  return { panel: ref.panel, dashboard: found.dashboard.title, uid: found.dashboard.uid, id: found.id, href, grafana: grafana !== undefined };
}
