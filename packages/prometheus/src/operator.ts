/**
 * prometheus-operator objects for Kubernetes targets, under `<env>/kubernetes/`: a PrometheusRule per
 * system carrying the rule file's groups, a PodMonitor per service that declares metrics, and an
 * AlertmanagerConfig. They sync after the workloads (wave 2) and are validated with
 * @kubernetes-models/prometheus-operator before anything is written.
 */
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { Environment, KubernetesTarget, Service, System } from '@kiln/model';
import { alertmanagerConfigSpec } from './alertmanager.js';
import type { RuleGroup } from './rule-files.js';

/** After the workloads (0) and what acts on them (1). */
export const MONITORING_WAVE = 2;

/** What this emitter makes: namespaced objects with a spec. */
export interface MonitoringObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: unknown;
}

function metadata(env: Environment, target: KubernetesTarget, name: string, labels: Record<string, string>) {
  return {
    name,
    namespace: target.namespace,
    labels: { ...env.labels, ...labels, 'app.kubernetes.io/instance': env.name, 'app.kubernetes.io/managed-by': 'kiln', ...env.monitoring.labels },
    annotations: { 'argocd.argoproj.io/sync-wave': String(MONITORING_WAVE) },
  };
}

export function prometheusRule(env: Environment, target: KubernetesTarget, system: System, groups: readonly RuleGroup[]): MonitoringObject {
  return { apiVersion: PrometheusRule.apiVersion, kind: PrometheusRule.kind, metadata: metadata(env, target, system.name, { 'app.kubernetes.io/part-of': system.name }), spec: { groups } };
}

/**
 * A PodMonitor selects the service's pods directly: one target per pod, whether a Deployment or a
 * StatefulSet (a ServiceMonitor would scrape members twice through the headless Service). The job
 * is the service name, as on every other target, and instance is the pod's name.
 */
export function podMonitor(env: Environment, target: KubernetesTarget, service: Service): MonitoringObject | undefined {
  if (!service.metrics) return undefined;
  return {
    apiVersion: PodMonitor.apiVersion,
    kind: PodMonitor.kind,
    metadata: metadata(env, target, service.name, { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': service.system }),
    spec: {
      jobLabel: 'app.kubernetes.io/name',
      namespaceSelector: { matchNames: [target.namespace] },
      selector: { matchLabels: { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/instance': env.name } },
      podMetricsEndpoints: [
        {
          port: service.metrics.port.name,
          path: service.metrics.path,
          interval: env.monitoring.scrapeInterval,
          relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'instance', action: 'replace' }],
        },
      ],
    },
  };
}

export function alertmanagerConfigObject(env: Environment, target: KubernetesTarget): MonitoringObject | undefined {
  const alerting = env.monitoring.alerting;
  if (!alerting) return undefined;
  return { apiVersion: AlertmanagerConfig.apiVersion, kind: AlertmanagerConfig.kind, metadata: metadata(env, target, env.name, {}), spec: alertmanagerConfigSpec(alerting) };
}
