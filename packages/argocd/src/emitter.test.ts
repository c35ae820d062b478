import type { EnvironmentOutputs, Output } from '@kiln/core';
import { validateObject } from '@kiln/core';
import type { Environment, EnvironmentInput } from '@kiln/model';
import { resolveEnvironment } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { argoCdEmitter, ROOT_APP } from './emitter.js';

const DELIVERY = { repository: 'https://git.example.org/platform/deploy.git' };

function environment(name: string, extra: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = {
    name,
    stage: 'production',
    systems: [{ name: 'shop', services: [{ name: 'api', image: 'acme/api:1.4.2' }] }],
    targets: { kubernetes: { cluster: 'prod', version: '1.31', secretStore: { name: 'vault' } } },
    delivery: DELIVERY,
    ...extra,
  };
  const { environment, issues } = resolveEnvironment(input, { environment: `environments/${name}.ts`, system: () => 'environments/systems/shop.ts' });
  if (!environment) throw new Error(JSON.stringify(issues));
  return environment;
}

/** The objects the Kubernetes emitter would write, reduced to what Argo CD reads. */
function emitted(env: Environment, objects: { apiVersion: string; kind: string; name: string; namespaced?: boolean; namespace?: string }[] = []): EnvironmentOutputs {
  const namespace = env.targets.kubernetes?.namespace ?? env.name;
  const all = [{ apiVersion: 'v1', kind: 'Namespace', name: namespace, namespaced: false }, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, ...objects];
  const outputs: Output[] = all.map((o) => ({
    path: `${env.name}/kubernetes/${o.kind.toLowerCase()}-${o.name}.yaml`,
    format: 'yaml',
    data: { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, ...(o.namespaced === false ? {} : { namespace: o.namespace ?? namespace }) } },
  }));
  return { environment: env, outputs };
}

const byPath = (result: ReturnType<typeof argoCdEmitter.emit>) => new Map(result.outputs.map((o) => [o.path, o.format === 'yaml' ? (o.data as Record<string, any>) : undefined]));

describe('argocd', () => {
  it('writes a project per system, an application per environment and the root app, all valid', () => {
    const result = argoCdEmitter.emit([emitted(environment('shop-prod')), emitted(environment('shop-staging', { stage: 'staging' }))]);
    expect(result.diagnostics).toEqual([]);
    const files = byPath(result);
    expect([...files.keys()].sort()).toEqual(['argocd/application-kiln-applications.yaml', 'argocd/application-shop-prod.yaml', 'argocd/application-shop-staging.yaml', 'argocd/appproject-shop.yaml']);
    for (const object of files.values()) expect(validateObject(object as never)).toEqual([]);
    const project = files.get('argocd/appproject-shop.yaml');
    // Argo CD knows the cluster by the target's name unless a server is given.
    expect(project?.spec.destinations).toEqual([
      { name: 'prod', namespace: 'shop-prod' },
      { name: 'prod', namespace: 'shop-staging' },
    ]);
    expect(project?.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project?.spec.namespaceResourceWhitelist).toEqual([{ group: 'apps', kind: 'Deployment' }]);
  });

  it("lets a project deploy to every namespace its environments' objects name (node tuning's too)", () => {
    const tuning = [
      { apiVersion: 'v1', kind: 'Namespace', name: 'shop-prod-node-tuning', namespaced: false },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-sysctls-tuned', namespace: 'shop-prod-node-tuning' },
    ];
    const project = byPath(argoCdEmitter.emit([emitted(environment('shop-prod'), tuning)])).get('argocd/appproject-shop.yaml');
    expect(project?.spec.destinations).toEqual([
      { name: 'prod', namespace: 'shop-prod' },
      { name: 'prod', namespace: 'shop-prod-node-tuning' },
    ]);
    expect(project?.spec.namespaceResourceWhitelist).toEqual([{ group: 'apps', kind: 'DaemonSet' }, { group: 'apps', kind: 'Deployment' }]);
  });

  it('syncs by stage: production prunes only when it says so, and nothing creates the namespace', () => {
    const files = byPath(argoCdEmitter.emit([emitted(environment('shop-prod')), emitted(environment('shop-dev', { stage: 'development' }))]));
    expect(files.get('argocd/application-shop-prod.yaml')?.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
    expect(files.get('argocd/application-shop-dev.yaml')?.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(files.get('argocd/application-shop-prod.yaml')?.spec.syncPolicy.syncOptions).toContain('CreateNamespace=false');
    expect(files.get('argocd/application-shop-prod.yaml')?.spec.source.path).toBe('generated/shop-prod/kubernetes');
    const pruning = byPath(argoCdEmitter.emit([emitted(environment('shop-prod', { delivery: { ...DELIVERY, prune: true } }))]));
    expect(pruning.get('argocd/application-shop-prod.yaml')?.spec.syncPolicy.automated.prune).toBe(true);
  });

  it('guards deletion: the root app never prunes and applications carry no resources finalizer', () => {
    const files = byPath(argoCdEmitter.emit([emitted(environment('shop-prod'))]));
    expect(files.get(`argocd/application-${ROOT_APP}.yaml`)?.spec.syncPolicy.automated.prune).toBe(false);
    expect(files.get('argocd/application-shop-prod.yaml')?.metadata.finalizers).toBeUndefined();
  });

  it('writes nothing for environments without a delivery repository', () => {
    const { delivery: _omit, ...without } = environment('shop-dev');
    expect(argoCdEmitter.emit([emitted(without as Environment)]).outputs).toEqual([]);
  });

  it('refuses two environments in one namespace of one cluster, and one object written twice', () => {
    const a = environment('shop-a', { targets: { kubernetes: { cluster: 'prod', version: '1.31', namespace: 'shop', secretStore: { name: 'vault' } } } });
    const b = environment('shop-b', { targets: { kubernetes: { cluster: 'prod', version: '1.31', namespace: 'shop', secretStore: { name: 'vault' } } } });
    const codes = argoCdEmitter.emit([emitted(a), emitted(b)]).diagnostics.map((d) => d.code);
    expect(codes).toContain('ARGOCD_SHARED_NAMESPACE');
    expect(codes).toContain('ARGOCD_REPEATED_OBJECT');
    const elsewhere = environment('shop-c', { targets: { kubernetes: { cluster: 'eu', version: '1.31', namespace: 'shop', secretStore: { name: 'vault' } } } });
    expect(argoCdEmitter.emit([emitted(a), emitted(elsewhere)]).diagnostics).toEqual([]);
    // Two cluster names with one destination server are one cluster.
    const sameServer = (name: string, cluster: string) =>
      environment(name, { targets: { kubernetes: { cluster, version: '1.31', namespace: 'shop', destination: { server: 'https://kubernetes.default.svc' }, secretStore: { name: 'vault' } } } });
    expect(argoCdEmitter.emit([emitted(sameServer('shop-d', 'one')), emitted(sameServer('shop-e', 'two'))]).diagnostics.map((d) => d.code)).toContain('ARGOCD_SHARED_NAMESPACE');
  });

  it('refuses a synced folder holding something other than a Kubernetes object', () => {
    const env = environment('shop-prod');
    const entry = emitted(env);
    const stray: Output = { path: 'shop-prod/kubernetes/dashboard.json', format: 'json', data: { title: 'x' } };
    expect(argoCdEmitter.emit([{ ...entry, outputs: [...entry.outputs, stray] }]).diagnostics.map((d) => d.code)).toEqual(['ARGOCD_NOT_AN_OBJECT']);
  });
});
