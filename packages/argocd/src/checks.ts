/**
 * What Argo CD would warn about or trip over, checked before anything is written: one object in two
 * files or two apps (RepeatedResourceWarning, SharedResourceWarning), something other than a
 * Kubernetes object in a synced folder (argo-cd#10648), two environments in one namespace.
 */
import type { Diagnostic, EnvironmentOutputs } from '@kiln/core';
import { compareText } from '@kiln/model';
import { ArgoCdCode } from './codes.js';

/** Kinds without a namespace that Kiln may emit. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'CustomResourceDefinition']);

interface ObjectRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly path: string;
}

/** The Kubernetes objects an environment's synced folder holds, or the paths that are none. */
function objectsOf({ environment, outputs }: EnvironmentOutputs): { objects: ObjectRef[]; strays: string[] } {
  const folder = `${environment.name}/kubernetes/`;
  const objects: ObjectRef[] = [];
  const strays: string[] = [];
  for (const output of outputs.filter((o) => o.path.startsWith(folder))) {
    const data = output.format === 'yaml' ? (output.data as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }) : undefined;
    if (!data || typeof data.apiVersion !== 'string' || typeof data.kind !== 'string' || typeof data.metadata?.name !== 'string' || !output.path.endsWith('.yaml')) {
      strays.push(output.path);
      continue;
    }
    const group = data.apiVersion.includes('/') ? (data.apiVersion.split('/')[0] ?? '') : '';
    const namespace = typeof data.metadata.namespace === 'string' ? data.metadata.namespace : undefined;
    objects.push({ group, kind: data.kind, name: data.metadata.name, ...(namespace === undefined ? {} : { namespace }), path: output.path });
  }
  return { objects, strays };
}

export function objectChecks(emitted: readonly EnvironmentOutputs[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const namespaces = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const entry of emitted) {
    const { environment } = entry;
    const target = environment.targets.kubernetes;
    if (!target) continue;
    // Where the app really deploys: the destination Argo CD resolves, not the cluster's label.
    const cluster = target.destination.server ?? `name:${target.destination.name ?? target.cluster}`;
    const place = `${cluster}/${target.namespace}`;
    const other = namespaces.get(place);
    if (other !== undefined) {
      diagnostics.push({
        code: ArgoCdCode.ARGOCD_SHARED_NAMESPACE,
        severity: 'error',
        file: environment.source,
        path: 'targets.kubernetes.namespace',
        message: `namespace '${target.namespace}' on cluster '${target.cluster}' is also ${other}'s: two apps would own the same objects and prune each other's`,
        hint: `give '${environment.name}' a namespace of its own`,
      });
    }
    namespaces.set(place, environment.name);
    const { objects, strays } = objectsOf(entry);
    for (const path of strays) {
      diagnostics.push({ code: ArgoCdCode.ARGOCD_NOT_AN_OBJECT, severity: 'error', file: environment.source, path: '', message: `generated/${path} is not a Kubernetes object, and Argo CD syncs every file of the folder`, hint: 'this is a bug in Kiln: only Kubernetes objects belong under kubernetes/' });
    }
    for (const object of objects) {
      const scope = CLUSTER_SCOPED.has(object.kind) ? cluster : `${cluster}/${object.namespace ?? target.namespace}`;
      const key = `${scope}/${object.group}/${object.kind}/${object.name}`;
      const owner = owners.get(key);
      if (owner !== undefined) {
        diagnostics.push({
          code: ArgoCdCode.ARGOCD_REPEATED_OBJECT,
          severity: 'error',
          file: environment.source,
          path: '',
          message: `${object.kind} '${object.name}' on cluster '${target.cluster}' is written twice (generated/${owner} and generated/${object.path}): Argo CD would report it shared and sync it twice`,
          hint: 'rename one of them',
        });
      }
      owners.set(key, object.path);
    }
  }
  return diagnostics;
}

/** The namespaces an environment's objects go to: its own, and any other its objects name (node tuning's), sorted. */
export function namespacesOf(entry: EnvironmentOutputs): string[] {
  const own = entry.environment.targets.kubernetes?.namespace;
  const named = objectsOf(entry).objects.flatMap((object) => (CLUSTER_SCOPED.has(object.kind) || object.namespace === undefined ? [] : [object.namespace]));
  return [...new Set([...(own === undefined ? [] : [own]), ...named])].sort(compareText);
}

type Kind = { group: string; kind: string };

/** The kinds an AppProject must allow for its environments, cluster-scoped and namespaced, sorted. */
export function kindsOf(members: readonly EnvironmentOutputs[]): { cluster: Kind[]; namespaced: Kind[] } {
  const seen = new Map<string, Kind & { cluster: boolean }>();
  for (const member of members) {
    for (const object of objectsOf(member).objects) seen.set(`${object.group}/${object.kind}`, { group: object.group, kind: object.kind, cluster: CLUSTER_SCOPED.has(object.kind) });
  }
  const sorted = [...seen.values()].sort((a, b) => compareText(`${a.group}/${a.kind}`, `${b.group}/${b.kind}`));
  return {
    cluster: sorted.filter((k) => k.cluster).map(({ group, kind }) => ({ group, kind })),
    namespaced: sorted.filter((k) => !k.cluster).map(({ group, kind }) => ({ group, kind })),
  };
}
