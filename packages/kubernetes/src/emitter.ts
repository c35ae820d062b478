/** The Kubernetes emitter: one validated object per file under <env>/kubernetes/. */
import { sourcePath, validateObject } from '@kiln/core';
import type { Emitter, KubernetesObject, Output } from '@kiln/core';
import type { Diagnostic, Environment, Service } from '@kiln/model';
import { servicesOf, systemSource } from '@kiln/model';
import { KubernetesCode } from './codes.js';
import { configMap, externalSecrets, namespace, serviceAccount } from './configuration.js';
import { nodeTuning } from './node-tuning.js';
import { horizontalPodAutoscaler, networkPolicies, podDisruptionBudget } from './policies.js';
import { services } from './services.js';
import { workload } from './workload.js';

export const kubernetesEmitter: Emitter = {
  name: 'kubernetes',
  emit(env) {
    const target = env.targets.kubernetes;
    if (!target) return { outputs: [], diagnostics: [] };
    const diagnostics: Diagnostic[] = [];
    // Each object with the service it was made for, if any: a schema failure points there.
    const objects: [KubernetesObject, Service | undefined][] = [...nodeTuning(env, target), namespace(env, target), ...externalSecrets(env, target), ...networkPolicies(env, target)].map((o) => [o, undefined]);
    for (const service of servicesOf(env)) {
      const made = [
        serviceAccount(env, target, service),
        ...defined(configMap(env, target, service)),
        workload(env, target, service, diagnostics),
        ...services(env, target, service),
        ...defined(horizontalPodAutoscaler(env, target, service, diagnostics)),
        ...defined(podDisruptionBudget(env, target, service)),
      ];
      objects.push(...made.map((o): [KubernetesObject, Service] => [o, service]));
    }
    const outputs: Output[] = [];
    for (const [object, service] of objects) {
      for (const problem of validateObject(object)) diagnostics.push(invalid(env, object, service, problem));
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
