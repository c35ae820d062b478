/**
 * Verification of Kubernetes objects, for every emitter that makes them: each object is checked
 * against its schema from kubernetes-models (the OpenAPI schemas of Kubernetes itself) and the
 * @kubernetes-models CRD packages before anything is written.
 */
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

interface Validatable {
  validate(): void;
}
/** A kubernetes-models class: its static `apiVersion` and `kind` name what it validates. */
export type ModelClass = (new (data: never) => Validatable) & { readonly apiVersion: string; readonly kind: string };

const MODELS: Record<string, ModelClass> = Object.fromEntries(
  [AlertmanagerConfig, Application, AppProject, ConfigMap, DaemonSet, Deployment, ExternalSecret, HorizontalPodAutoscaler, Namespace, NetworkPolicy, PodDisruptionBudget, PodMonitor, PrometheusRule, Service, ServiceAccount, StatefulSet].map(
    (model) => [`${model.apiVersion}/${model.kind}`, model as unknown as ModelClass],
  ),
);

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string } | undefined;
}

/**
 * Problems with one object, as messages; empty when it validates. `models` adds the CRD models of
 * an emitter's own packages (cert-manager, Gateway API) to the ones every emitter shares.
 */
export function validateObject(object: KubernetesObject, models: readonly ModelClass[] = []): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`] ?? models.find((m) => `${m.apiVersion}/${m.kind}` === `${object.apiVersion}/${object.kind}`);
  if (!model) return [`no schema is known for ${object.apiVersion} ${object.kind}`];
  try {
    new model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
