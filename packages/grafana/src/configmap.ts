/**
 * A dashboard as a ConfigMap for Kubernetes targets: Grafana's dashboard sidecar (kiwigrid
 * k8s-sidecar, as the Grafana Helm chart runs it) loads every ConfigMap labelled
 * `grafana_dashboard: "1"` into the folder its `k8s-sidecar-target-directory` annotation names.
 * The data is byte for byte the file in grafana/dashboards/.
 *
 * Size: ConfigMap data is capped at 1 MiB, so a bigger dashboard cannot ship at all; one too big
 * for client-side apply is marked for server-side apply by the core, as every large object is.
 */
import { isDns1123Label } from '@kiln/model';
import type { Environment, KubernetesTarget, System } from '@kiln/model';

/** After the workloads (0) and what acts on them (1), with the other monitoring objects. */
export const DASHBOARD_WAVE = 2;

/** The most a ConfigMap holds: above this, the dashboard cannot be one. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

export interface DashboardConfigMap {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  readonly data: Record<string, string>;
}

export function dashboardConfigMap(env: Environment, target: KubernetesTarget, system: System, uid: string, json: string, folder: string): DashboardConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(uid),
      namespace: target.namespace,
      labels: {
        ...env.labels,
        'app.kubernetes.io/part-of': system.name,
        'app.kubernetes.io/instance': env.name,
        'app.kubernetes.io/managed-by': 'kiln',
        ...env.monitoring.labels,
        // The sidecar's default label and value.
        grafana_dashboard: '1',
      },
      annotations: {
        'argocd.argoproj.io/sync-wave': String(DASHBOARD_WAVE),
        'k8s-sidecar-target-directory': folder,
      },
    },
    data: { [`${uid}.json`]: json },
  };
}

export function configMapName(uid: string): string {
  return `dashboard-${uid}`;
}

/** An object name must be a DNS-1123 subdomain: after the `dashboard-` prefix, the uid must be a label. */
export function isConfigMapUid(uid: string): boolean {
  return isDns1123Label(uid);
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
