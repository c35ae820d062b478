import { validateObject } from '@kiln/core';
import type { EnvironmentInput, ExternalBindingInput, ServiceInput, SystemInput } from '@kiln/model';
import { resolveEnvironment } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { kubernetesEmitter } from './emitter.js';

const service = (name: string, ports: ServiceInput['ports'], over: Partial<ServiceInput> = {}): ServiceInput => ({ name, image: `acme/${name}:1.0.0`, ports, ...over });

/** An API calling a three-member store and an external endpoint bound as given; clients call the API from outside. */
function policies(binding: ExternalBindingInput, clients: ExternalBindingInput = { cidr: '198.51.100.0/24' }) {
  const system: SystemInput = {
    name: 'shop',
    services: [
      service('api', [{ name: 'http', port: 8080 }]),
      service('kv', [{ name: 'client', port: 2379 }, { name: 'peer', port: 2380 }, { name: 'gossip', port: 7946, protocol: 'UDP' }], { stateful: { members: 3 } }),
    ],
    flows: [
      { from: 'api', to: 'kv', port: 'client' },
      { from: 'kv', to: 'kv', port: 'peer' },
      { from: 'kv', to: 'kv', port: 'gossip' },
      { from: 'api', to: 'billing', port: 'https' },
      { from: 'clients', to: 'api', port: 'http' },
    ],
    externals: [{ name: 'billing', ports: [{ name: 'https', port: 443 }] }, { name: 'clients' }],
  };
  const input: EnvironmentInput = {
    name: 'shop-prod',
    stage: 'development',
    systems: [system],
    targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' } } },
    externals: { billing: binding, clients },
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop-prod.ts', system: () => undefined });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  const result = kubernetesEmitter.emit(environment);
  expect(result.diagnostics).toEqual([]);
  const objects = new Map(result.outputs.filter((o) => o.path.includes('/networkpolicy-')).map((o) => [o.path.replace('shop-prod/kubernetes/networkpolicy-', ''), (o as { data: Record<string, any> }).data]));
  for (const object of objects.values()) expect(validateObject(object as never)).toEqual([]);
  return objects;
}

const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};
const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'shop-prod' } } });

describe('egress policies', () => {
  it('deny egress by default and let each workload reach DNS and the pods of its flows, on their ports', () => {
    const objects = policies({ host: '203.0.113.7' });
    expect(objects.get('default-deny-egress.yaml')?.spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    expect(objects.get('allow-egress-from-kv.yaml')?.spec).toEqual({
      ...pods('kv'),
      policyTypes: ['Egress'],
      // Members reach each other: the self flows.
      egress: [DNS, { to: [pods('kv')], ports: [{ port: 7946, protocol: 'UDP' }, { port: 2380, protocol: 'TCP' }] }],
    });
    expect(objects.get('allow-egress-from-api.yaml')?.spec.egress.slice(0, 2)).toEqual([DNS, { to: [pods('kv')], ports: [{ port: 2379, protocol: 'TCP' }] }]);
  });

  it('reach an external endpoint as NetworkPolicies can select it: an address, a block, a cluster namespace, or any address', () => {
    const egressTo = (binding: ExternalBindingInput) => policies(binding).get('allow-egress-from-api.yaml')?.spec.egress[2];
    const https = [{ port: 443, protocol: 'TCP' }];
    expect(egressTo({ host: '203.0.113.7' })).toEqual({ to: [{ ipBlock: { cidr: '203.0.113.7/32' } }], ports: https });
    expect(egressTo({ host: '2001:db8::7' })).toEqual({ to: [{ ipBlock: { cidr: '2001:db8::7/128' } }], ports: https });
    expect(egressTo({ cidr: '10.40.0.0/16' })).toEqual({ to: [{ ipBlock: { cidr: '10.40.0.0/16' } }], ports: https });
    for (const host of ['billing.payments.svc.cluster.local', 'billing.payments.svc', 'billing-0.billing.payments.svc.cluster.local']) {
      expect(egressTo({ host }), host).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: https });
    }
    expect(egressTo({ host: 'api.billing.example.org' })).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: https });
  });

  it('admit clients outside the environment by their address block or cluster namespace', () => {
    const objects = policies({ host: '203.0.113.7' }, { host: '192.0.2.10' });
    expect(objects.get('allow-clients-to-api-http.yaml')?.spec).toEqual({
      ...pods('api'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(policies({ host: '203.0.113.7' }).get('allow-clients-to-api-http.yaml')?.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '198.51.100.0/24' } }]);
    expect(policies({ host: '203.0.113.7' }, { host: 'web.storefront.svc' }).get('allow-clients-to-api-http.yaml')?.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storefront' } } }]);
  });

  it('leave the ingress policies as they were: a flow to an external admits nothing in', () => {
    const names = [...policies({ host: '203.0.113.7' }).keys()];
    expect(names.filter((name) => name.includes('billing'))).toEqual([]);
    expect(names).toContain('default-deny-ingress.yaml');
  });
});
