/**
 * Services: ClusterIP for calls inside the cluster (and routes from the Gateway), LoadBalancer for
 * public ports without a route, headless for members.
 */
import type { Environment, KubernetesTarget, Port, Service } from '@kiln/model';
import { loadBalancedPorts } from '@kiln/model';
import type { IService } from 'kubernetes-models/v1/Service';
import { metadata, selectorLabels, serviceLabels, SyncWave } from './labels.js';
import { isStatefulSet } from './workload.js';

export function headlessServiceName(service: Service): string {
  return `${service.name}-headless`;
}

export function services(env: Environment, target: KubernetesTarget, service: Service): IService[] {
  if (service.ports.length === 0 && !isStatefulSet(service)) return [];
  const labels = serviceLabels(env, service);
  const selector = selectorLabels(env, service);
  const out: IService[] = [];
  if (service.ports.length > 0) {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(service.name, target.namespace, labels, SyncWave.workload),
      spec: {
        type: 'ClusterIP',
        ...(service.publishNotReadyAddresses && { publishNotReadyAddresses: true }),
        selector,
        ports: service.ports.map(servicePort),
      },
    });
  }
  const publicPorts = loadBalancedPorts(service);
  if (publicPorts.length > 0) {
    // Only public ports reach the load balancer (routed ones reach the Gateway through the ClusterIP
    // Service); the rest stay on the ClusterIP Service.
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(`${service.name}-public`, target.namespace, labels, SyncWave.workload),
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ...(service.sourceRanges && { loadBalancerSourceRanges: [...service.sourceRanges] }),
        selector,
        ports: publicPorts.map(servicePort),
      },
    });
  }
  if (isStatefulSet(service)) {
    // Every StatefulSet names a governing headless Service. Stable member names (<pod>.<service>-headless) must resolve before members are ready, or a
    // Raft group could never form: publish not-ready addresses.
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(headlessServiceName(service), target.namespace, labels, SyncWave.workload),
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector, ...(service.ports.length > 0 && { ports: service.ports.map(servicePort) }) },
    });
  }
  return out;
}

function servicePort(port: Port) {
  return { name: port.name, port: port.port, targetPort: port.name, protocol: port.protocol };
}
