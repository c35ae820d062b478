/** The Kubernetes emitter: one validated object per file under <env>/kubernetes/. */
import { sourcePath, validateObject } from '@kiln/core';
import type { Emitter, KubernetesObject, ModelClass, Output } from '@kiln/core';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { Diagnostic, Environment, Service } from '@kiln/model';
import { servicesOf, systemSource } from '@kiln/model';
import { certificate } from './certificates.js';
import { CLOUDNATIVE_PG_MODELS, databaseObjects } from './cloudnative-pg.js';
import { KubernetesCode } from './codes.js';
import { configMaps, externalSecrets, namespace, serviceAccount } from './configuration.js';
import { databasePolicies } from './database-policies.js';
import { edgePolicies } from './edge-policies.js';
import { nodeTuning } from './node-tuning.js';
import { horizontalPodAutoscaler, networkPolicies, podDisruptionBudget } from './policies.js';
import { gatewayIngressPolicies, httpRoutes } from './routes.js';
import { services } from './services.js';
import { workloads } from './workload.js';

/** The CRD models of this emitter's own objects, beside the ones core knows. */
/** Models of the custom resources Kiln emits beyond the core ones: cert-manager, Gateway API, CloudNativePG. */
export const CRD_MODELS: readonly ModelClass[] = [...([Certificate, HTTPRoute] as unknown as ModelClass[]), ...CLOUDNATIVE_PG_MODELS];

export const kubernetesEmitter: Emitter = {
  name: 'kubernetes',
  emit(env) {
    const target = env.targets.kubernetes;
    if (!target) return { outputs: [], diagnostics: [] };
    const diagnostics: Diagnostic[] = [];
    // Each object with the service it was made for, if any: a schema failure points there.
    const objects: [KubernetesObject, Service | undefined][] = [...nodeTuning(env, target), namespace(env, target), ...externalSecrets(env, target), ...networkPolicies(env, target), ...edgePolicies(env, target), ...gatewayIngressPolicies(env, target), ...databasePolicies(env, target)].map((o) => [o, undefined]);
    for (const service of servicesOf(env)) {
      // A managed database is CloudNativePG's to run: its Cluster replaces Kiln's workload objects.
      const made = service.database
        ? databaseObjects(env, target, service)
        : [
            serviceAccount(env, target, service),
            ...configMaps(env, target, service),
            ...defined(certificate(env, target, service)),
            ...workloads(env, target, service, diagnostics),
            ...services(env, target, service),
            ...httpRoutes(env, target, service),
            ...defined(horizontalPodAutoscaler(env, target, service, diagnostics)),
            ...defined(podDisruptionBudget(env, target, service)),
          ];
      objects.push(...made.map((o): [KubernetesObject, Service] => [o, service]));
    }
    const outputs: Output[] = [];
    for (const [object, service] of objects) {
      for (const problem of validateObject(object, CRD_MODELS)) diagnostics.push(invalid(env, object, service, problem));
      outputs.push({ path: objectPath(env, object), format: 'yaml', data: object });
    }
    return { outputs, diagnostics };
  },
};

/** `<env>/kubernetes/<kind>-<name>.yaml`, lower-case kind: one object per file. */
export function objectPath(env: Environment, object: KubernetesObject): string {
  return `${env.name}/kubernetes/${object.kind.toLowerCase()}-${object.metadata?.name ?? ''}.yaml`;
}

function invalid(env: Environment, object: KubernetesObject, service: Service | undefined, problem: string): Diagnostic {
  return {
    code: KubernetesCode.OBJECT_INVALID,
    severity: 'error',
    file: service ? systemSource(env, service) : env.source,
    path: service ? sourcePath(['services', { name: service.name }]) : '',
    message: `${object.kind} '${object.metadata?.name ?? ''}' fails its schema: ${problem}`,
    hint: 'this is a bug in Kiln or a value the model let through; please report it with this message',
  };
}

function defined<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
