/**
 * Argo CD objects under generated/argocd/, from every environment at once: an AppProject per
 * system and an Application per environment with a Kubernetes target and a delivery repository,
 * plus the root Application that syncs this folder (app of apps: see the README for why).
 *
 * Deletion is guarded twice: the root app never prunes, so removing an environment's file leaves its
 * Application in place until a person deletes it; and Applications carry no resources finalizer, so
 * deleting one leaves its namespace and workloads running.
 */
import { validateObject } from '@kiln/core';
import type { Diagnostic, EnvironmentOutputs, Output, RepositoryEmitter } from '@kiln/core';
import { compareText } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ArgoCdCode } from './codes.js';
import { kindsOf, namespacesOf, objectChecks } from './checks.js';

/** Where Argo CD runs and keeps its objects. */
export const ARGOCD_NAMESPACE = 'argocd';
/** The root Application's name: it syncs generated/argocd. */
export const ROOT_APP = 'kiln-applications';

const LABELS = { 'app.kubernetes.io/managed-by': 'kiln' };

export const argoCdEmitter: RepositoryEmitter = {
  name: 'argocd',
  emit(emitted) {
    const delivered = emitted.filter(({ environment }) => environment.targets.kubernetes && environment.delivery);
    const diagnostics: Diagnostic[] = objectChecks(emitted);
    if (delivered.length === 0) return { outputs: [], diagnostics };
    const objects: { apiVersion: string; kind: string; metadata: { name: string } }[] = [];

    // One project per system; an environment running several systems gets a project of its own.
    const projectOf = (env: Environment) => (env.systems.length === 1 ? (env.systems[0]?.name ?? env.name) : env.name);
    const projects = new Map<string, EnvironmentOutputs[]>();
    for (const entry of delivered) projects.set(projectOf(entry.environment), [...(projects.get(projectOf(entry.environment)) ?? []), entry]);
    for (const [name, members] of [...projects].sort(([a], [b]) => compareText(a, b))) objects.push(appProject(name, members));
    for (const { environment } of delivered) {
      if (environment.name === ROOT_APP) {
        diagnostics.push({ code: ArgoCdCode.ARGOCD_REPEATED_OBJECT, severity: 'error', file: environment.source, path: 'name', message: `'${ROOT_APP}' is the name of Kiln's root Application`, hint: 'rename the environment' });
        continue;
      }
      objects.push(application(environment, projectOf(environment)));
    }
    const first = delivered.map(({ environment }) => environment).sort((a, b) => compareText(a.name, b.name))[0];
    if (first?.delivery) objects.push(rootApplication(first.delivery.repository, first.delivery.revision));

    const outputs: Output[] = [];
    for (const object of objects) {
      for (const problem of validateObject(object)) {
        diagnostics.push({ code: ArgoCdCode.ARGOCD_OBJECT_INVALID, severity: 'error', file: 'environments/', path: '', message: `${object.kind} '${object.metadata.name}' fails its schema: ${problem}`, hint: 'this is a bug in Kiln; please report it with this message' });
      }
      outputs.push({ path: `argocd/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, format: 'yaml', data: object });
    }
    return { outputs, diagnostics };
  },
};

function metadata(name: string, wave: number) {
  return { name, namespace: ARGOCD_NAMESPACE, labels: LABELS, annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } };
}

function destination(env: Environment) {
  const target = env.targets.kubernetes;
  const { server, name } = target?.destination ?? {};
  return { ...(server ? { server } : { name }), namespace: target?.namespace ?? env.name };
}

/** Sources, destinations and kinds limited to what the project's environments deploy. */
function appProject(name: string, members: readonly EnvironmentOutputs[]) {
  const kinds = kindsOf(members);
  // Every namespace an environment's objects go to, not only the Application's default one.
  const destinations = members.flatMap((member) => namespacesOf(member).map((namespace) => ({ ...destination(member.environment), namespace })));
  return {
    apiVersion: AppProject.apiVersion,
    kind: AppProject.kind,
    metadata: metadata(name, -1),
    spec: {
      description: `Kiln: ${name} (${members.map(({ environment }) => environment.name).join(', ')})`,
      sourceRepos: [...new Set(members.map(({ environment }) => environment.delivery?.repository ?? ''))].sort(compareText),
      destinations: [...new Map(destinations.map((d) => [JSON.stringify(d), d])).values()],
      clusterResourceWhitelist: kinds.cluster,
      namespaceResourceWhitelist: kinds.namespaced,
    },
  };
}

/**
 * Automated sync by stage: prune and self-heal in development and staging; in production prune only
 * when the environment says so. The Namespace is Kiln's own object, so Argo CD must not create it.
 */
function application(env: Environment, project: string) {
  const delivery = env.delivery;
  const prune = delivery?.prune ?? env.stage !== 'production';
  return {
    apiVersion: Application.apiVersion,
    kind: Application.kind,
    metadata: { ...metadata(env.name, 0), labels: { ...LABELS, 'kiln.dev/stage': env.stage } },
    spec: {
      project,
      source: { repoURL: delivery?.repository ?? '', targetRevision: delivery?.revision ?? 'main', path: `generated/${env.name}/kubernetes`, directory: { recurse: false } },
      destination: destination(env),
      syncPolicy: {
        automated: { prune, selfHeal: true },
        syncOptions: ['CreateNamespace=false', 'PruneLast=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    },
  };
}

/** Apply once by hand (`kubectl apply -f generated/argocd/application-kiln-applications.yaml`); it syncs the rest. */
function rootApplication(repository: string, revision: string) {
  return {
    apiVersion: Application.apiVersion,
    kind: Application.kind,
    metadata: metadata(ROOT_APP, 0),
    spec: {
      project: 'default',
      source: { repoURL: repository, targetRevision: revision, path: 'generated/argocd', directory: { recurse: false } },
      destination: { server: 'https://kubernetes.default.svc', namespace: ARGOCD_NAMESPACE },
      // No prune: a deleted environment's Application stays until a person removes it.
      syncPolicy: { automated: { prune: false, selfHeal: true }, retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } },
    },
  };
}
