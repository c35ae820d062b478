/** The Kubernetes emitter: one validated object per file under <env>/kubernetes/. */
import type { Emitter, Output } from '@kiln/core';
import type { Diagnostic, Environment } from '@kiln/model';
import { servicesOf } from '@kiln/model';
import { KubernetesCode } from './codes.js';
import { configMap, externalSecrets, namespace, serviceAccount } from './configuration.js';
import { horizontalPodAutoscaler, networkPolicies, podDisruptionBudget } from './policies.js';
import { services } from './services.js';
import type { KubernetesObject } from './validate.js';
import { validateObject } from './validate.js';
import { workload } from './workload.js';

export const kubernetesEmitter: Emitter = {
  name: 'kubernetes',
  emit(env) {
    const target = env.targets.kubernetes;
    if (!target) return { outputs: [], diagnostics: [] };
    const diagnostics: Diagnostic[] = [];
    const objects: KubernetesObject[] = [namespace(env, target), ...externalSecrets(env, target), ...networkPolicies(env, target)];
    for (const service of servicesOf(env)) {
      objects.push(
        serviceAccount(env, target, service),
        ...defined(configMap(env, target, service)),
        workload(env, target, service, diagnostics),
        ...services(env, target, service),
        ...defined(horizontalPodAutoscaler(env, target, service, diagnostics)),
        ...defined(podDisruptionBudget(env, target, service)),
      );
    }
    const outputs: Output[] = [];
    for (const object of objects) {
      const problems = validateObject(object);
      for (const problem of problems) diagnostics.push(invalid(env, object, problem));
      outputs.push({ path: objectPath(env, object), format: 'yaml', data: object });
    }
    return { outputs, diagnostics };
  },
};

/** `<env>/kubernetes/<kind>-<name>.yaml`, lower-case kind: one object per file. */
export function objectPath(env: Environment, object: KubernetesObject): string {
  return `${env.name}/kubernetes/${object.kind.toLowerCase()}-${object.metadata?.name ?? ''}.yaml`;
}

function invalid(env: Environment, object: KubernetesObject, problem: string): Diagnostic {
  return {
    code: KubernetesCode.OBJECT_INVALID,
    severity: 'error',
    file: env.source,
    path: '',
    message: `${object.kind} '${object.metadata?.name ?? ''}' fails its schema: ${problem}`,
    hint: 'this is a bug in Kiln or a value the model let through; please report it with this message',
  };
}

function defined<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
