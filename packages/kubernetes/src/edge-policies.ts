/**
 * Traffic across the pods' edge: egress, denied by default like ingress, and clients outside the
 * environment that call in. Each workload may reach DNS, the pods of its declared flows on their
 * ports, and the external endpoints it declares flows to; nothing else.
 *
 * A NetworkPolicy selects pods, namespaces and address blocks, never DNS names (`externalSelection`
 * in the model): an external bound to an IP address or a block is that `ipBlock`; to a cluster
 * Service name, its namespace (any pod there, on the external's ports); to any other name, any
 * address on the external's ports.
 */
import type { Environment, External, Flow, KubernetesTarget, Port } from '@kiln/model';
import { externalFlowsOf, externalSelection, externalsOf, servicesOf } from '@kiln/model';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { selectorLabels } from './labels.js';
import { networkPolicy } from './policies.js';

type Rule = NonNullable<NonNullable<INetworkPolicy['spec']>['egress']>[number];
type Peer = NonNullable<Rule['to']>[number];

/** The cluster's DNS: CoreDNS answers as kube-dns in kube-system, on UDP and TCP 53 (large answers). */
export const DNS_EGRESS: Rule = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

/** `default-deny-egress`, one `allow-egress-from-<service>` per workload, and one policy per flow from an external client. */
export function edgePolicies(env: Environment, target: KubernetesTarget): INetworkPolicy[] {
  const services = new Map(servicesOf(env).map((service) => [service.name, service]));
  const externals = new Map(externalsOf(env).map((external) => [external.name, external]));
  const flows = [...env.systems.flatMap((system) => system.flows), ...externalFlowsOf(env)];
  const policies = [networkPolicy(env, target, 'default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] })];
  for (const service of services.values()) {
    // A managed database's instances get theirs from database-policies.ts (replication, the operator, the object store).
    if (service.database) continue;
    const rules: Rule[] = [DNS_EGRESS];
    for (const [to, ports] of portsByCallee(flows.filter((flow) => flow.from === service.name))) {
      const callee = services.get(to);
      const external = externals.get(to);
      const peers = callee ? [{ podSelector: { matchLabels: selectorLabels(env, callee) } }] : external ? externalPeers(external) : undefined;
      // An empty `to` would allow every destination: a flow to nothing known is a bug, not a rule.
      if (!peers) throw new Error(`edge policies: the rules should have checked the flow from '${service.name}' to '${to}'`);
      rules.push({ to: peers, ports: ports.map((port) => ({ port: port.port, protocol: port.protocol })) });
    }
    policies.push(networkPolicy(env, target, `allow-egress-from-${service.name}`, { podSelector: { matchLabels: selectorLabels(env, service) }, policyTypes: ['Egress'], egress: rules }));
  }
  for (const flow of externalFlowsOf(env)) {
    const client = externals.get(flow.from);
    const to = services.get(flow.to);
    if (!client || !to) continue;
    policies.push(
      networkPolicy(env, target, `allow-${flow.from}-to-${flow.to}-${flow.port.name}`, {
        podSelector: { matchLabels: selectorLabels(env, to) },
        policyTypes: ['Ingress'],
        ingress: [{ from: externalPeers(client), ports: [{ port: flow.port.port, protocol: flow.port.protocol }] }],
      }),
    );
  }
  return policies;
}

/** The ports each callee is reached on, callees and ports in flow order (the model sorts flows). */
function portsByCallee(flows: readonly Flow[]): Map<string, Port[]> {
  const byCallee = new Map<string, Port[]>();
  for (const flow of flows) {
    const ports = byCallee.get(flow.to) ?? [];
    if (!ports.some((port) => port.port === flow.port.port && port.protocol === flow.port.protocol)) ports.push(flow.port);
    byCallee.set(flow.to, ports);
  }
  return byCallee;
}

/** An external endpoint as NetworkPolicy peers (the model's `externalSelection` says why). */
export function externalPeers(external: External): Peer[] {
  const selection = externalSelection(external);
  if ('block' in selection) return [{ ipBlock: { cidr: selection.block } }];
  if ('namespace' in selection) return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': selection.namespace } } }];
  return [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
}
