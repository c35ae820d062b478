/**
 * Grafana's file provisioning for compose and hosts targets: a Grafana whose
 * /etc/grafana/provisioning is generated/<env>/grafana/provisioning and whose
 * /var/lib/grafana/dashboards is generated/<env>/grafana/dashboards loads the environment's
 * Prometheus and every dashboard, read-only (Grafana's provisioning docs: `apiVersion: 1`,
 * `providers`, `datasources`).
 */
import type { Environment } from '@kiln/model';

/** Where the dashboards directory is mounted in the Grafana container (or copied on a host). */
export const DASHBOARDS_MOUNT = '/var/lib/grafana/dashboards';
/** The provisioned Prometheus's uid: stable, so links and alerts can name it. */
export const PROMETHEUS_UID = 'prometheus';

export function dashboardProvider(folder: string) {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'kiln',
        orgId: 1,
        folder,
        type: 'file',
        // The files are the source: a dashboard removed from the model goes, one edited in the UI
        // cannot be saved over its file.
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: DASHBOARDS_MOUNT, foldersFromFilesStructure: false },
      },
    ],
  };
}

/**
 * Prometheus as the default datasource. `timeInterval` is the scrape interval: Grafana's
 * `$__rate_interval` is at least four of it, which is the window the compile-time checks assume.
 */
export function prometheusDatasource(env: Environment, target: 'compose' | 'hosts') {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: PROMETHEUS_UID,
        access: 'proxy',
        // Compose: the Prometheus service by name on the project network. Hosts: Prometheus runs
        // beside Grafana on each machine, as the README says.
        url: target === 'compose' ? 'http://prometheus:9090' : 'http://127.0.0.1:9090',
        isDefault: true,
        editable: false,
        jsonData: { timeInterval: env.monitoring.scrapeInterval },
      },
    ],
  };
}
