/** What acts on workloads and traffic: HPAs, PDBs, NetworkPolicies. */
import type { Diagnostic, Environment, KubernetesTarget, Service } from '@kiln/model';
import { disruptionBudget, loadBalancedPorts, servicesOf, systemSource } from '@kiln/model';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { KubernetesCode } from './codes.js';
import { environmentLabels, metadata, selectorLabels, serviceLabels, SyncWave } from './labels.js';
import { isStatefulSet } from './workload.js';

export function horizontalPodAutoscaler(env: Environment, target: KubernetesTarget, service: Service, diagnostics: Diagnostic[]): IHorizontalPodAutoscaler | undefined {
  const scaling = service.scaling;
  if (scaling.kind !== 'autoscaled') return undefined;
  if (scaling.cpuUtilization !== undefined && service.resources.requests.cpu === undefined) {
    diagnostics.push({
      code: KubernetesCode.HPA_WITHOUT_CPU_REQUEST,
      severity: 'error',
      file: systemSource(env, service),
      path: `services[${service.name}].resources.requests.cpu`,
      message: `service '${service.name}' autoscales on CPU utilization but requests no CPU; the HPA cannot compute a utilization`,
      hint: "set resources.requests.cpu, e.g. '500m'",
    });
  }
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(service.name, target.namespace, serviceLabels(env, service), SyncWave.workloadPolicy),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: isStatefulSet(service) ? 'StatefulSet' : 'Deployment', name: service.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        ...(scaling.cpuUtilization === undefined
          ? []
          : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.cpuUtilization } } }]),
        ...scaling.podsMetrics.map((m) => ({ type: 'Pods', pods: { metric: { name: m.metric }, target: { type: 'AverageValue', averageValue: m.averageValue } } })),
      ],
    },
  };
}

/** Every workload that can run more than one replica keeps all but a few up through drains. */
export function podDisruptionBudget(env: Environment, target: KubernetesTarget, service: Service): IPodDisruptionBudget | undefined {
  const budget = disruptionBudget(service);
  if (!budget) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(service.name, target.namespace, serviceLabels(env, service), SyncWave.workloadPolicy),
    spec: { maxUnavailable: budget.maxUnavailable, selector: { matchLabels: selectorLabels(env, service) } },
  };
}

/** A NetworkPolicy of the environment's namespace, synced with its configuration. */
export function networkPolicy(env: Environment, target: KubernetesTarget, name: string, spec: NonNullable<INetworkPolicy['spec']>): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(name, target.namespace, environmentLabels(env, name), SyncWave.configuration),
    spec,
  };
}

/**
 * Default deny for ingress, then one policy per declared flow, one per service with public ports
 * and one per metrics port (from the monitoring namespace). Egress, and clients outside the
 * environment: edge-policies.ts.
 */
export function networkPolicies(env: Environment, target: KubernetesTarget): INetworkPolicy[] {
  const byName = new Map(servicesOf(env).map((s) => [s.name, s]));
  const policy = (name: string, spec: NonNullable<INetworkPolicy['spec']>) => networkPolicy(env, target, name, spec);
  const policies = [policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })];
  for (const system of env.systems) {
    for (const flow of system.flows) {
      const from = byName.get(flow.from);
      const to = byName.get(flow.to);
      if (!from || !to) continue;
      policies.push(
        policy(`allow-${flow.from}-to-${flow.to}-${flow.port.name}`, {
          podSelector: { matchLabels: selectorLabels(env, to) },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: selectorLabels(env, from) } }], ports: [{ port: flow.port.port, protocol: flow.port.protocol }] }],
        }),
      );
    }
  }
  for (const service of servicesOf(env)) {
    const publicPorts = loadBalancedPorts(service);
    if (publicPorts.length > 0) {
      policies.push(
        policy(`allow-public-to-${service.name}`, {
          podSelector: { matchLabels: selectorLabels(env, service) },
          policyTypes: ['Ingress'],
          ingress: [{ ports: publicPorts.map((p) => ({ port: p.port, protocol: p.protocol })) }],
        }),
      );
    }
    if (service.metrics) {
      policies.push(
        policy(`allow-monitoring-to-${service.name}`, {
          podSelector: { matchLabels: selectorLabels(env, service) },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': target.monitoringNamespace } } }],
              ports: [{ port: service.metrics.port.port, protocol: service.metrics.port.protocol }],
            },
          ],
        }),
      );
    }
  }
  return policies;
}
