/**
 * Stop signals and rollouts on the Kubernetes API as each version defines it: every workload of the
 * committed environments (preStop hooks included) passes the strict schemas of 1.31 and 1.36, and
 * `lifecycle.stopSignal`, which Kiln sets only on a 1.33+ cluster with ContainerStopSignals, is a
 * field 1.36 knows and 1.31 rejects.
 */
import { emitters, repositoryEmitters } from '@kiln/cli';
import { compile } from '@kiln/core';
import { kubernetesEmitter } from '@kiln/kubernetes';
import { resolveEnvironment } from '@kiln/model';
import type { EnvironmentInput } from '@kiln/model';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_VERSIONS, strictSchemas } from './support/kubernetes-schemas.js';

const TIMEOUT_MS = 120_000;
const root = join(import.meta.dirname, '..');
type Workload = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: { template: { spec: { containers: { lifecycle?: unknown }[] } } } };
let workloads: { path: string; object: Workload }[] = [];

beforeAll(async () => {
  const compiled = await compile({ root, emitters, repositoryEmitters });
  workloads = [...compiled.files]
    .filter(([path]) => /\/kubernetes\/(deployment|statefulset)-[^/]+\.yaml$/.test(path))
    .map(([path, content]) => ({ path, object: parse(content, { version: '1.1' }) as Workload }));
}, TIMEOUT_MS);

/** A workload whose service drains on SIGINT, on a cluster of the given version and gates. */
function sigintWorkload(version: string, featureGates: 'ContainerStopSignals'[]): Workload {
  const input: EnvironmentInput = {
    name: 'shop',
    stage: 'development',
    systems: [{ name: 'shop', services: [{ name: 'api', image: 'acme/api:1.4.2', stopSignal: 'SIGINT', tools: ['sh'] }] }],
    targets: { kubernetes: { cluster: 'c', version, secretStore: { name: 'vault' }, featureGates } },
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
  if (!environment) throw new Error(JSON.stringify(issues));
  const output = kubernetesEmitter.emit(environment).outputs.find((o) => o.path.endsWith('/deployment-api.yaml'));
  return (output as { data: Workload }).data;
}

describe('workloads with stop signals', () => {
  it('include the seeds that drain on SIGINT, through a preStop hook on 1.31', () => {
    const hooked = workloads.filter(({ object }) => object.spec.template.spec.containers.some((c) => c.lifecycle !== undefined)).map(({ path }) => path);
    expect(hooked).toEqual(expect.arrayContaining(['rpcnet-eu-west/kubernetes/statefulset-rpcnet-director.yaml', 'veza-production/kubernetes/deployment-stream-server.yaml']));
  });

  it.each(STRICT_VERSIONS)('pass the strict Kubernetes %s schemas', (version) => {
    const schemas = strictSchemas(version);
    if (!schemas.present) {
      if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error(`the shared Kubernetes schemas (${schemas.folder}) are required`);
      return console.warn(`SKIPPED: no ${schemas.folder}`);
    }
    expect(workloads.length).toBeGreaterThan(10);
    for (const { path, object } of workloads) expect(schemas.errors(object), path).toBe('');
    expect(schemas.errors(sigintWorkload('1.31', []))).toBe('');
  });

  it('set lifecycle.stopSignal only where the API has it', () => {
    const native = sigintWorkload('1.33', ['ContainerStopSignals']);
    expect(native.spec.template.spec.containers[0]?.lifecycle).toEqual({ stopSignal: 'SIGINT' });
    const [v131, v136] = STRICT_VERSIONS.map(strictSchemas);
    if (!v131?.present || !v136?.present) return console.warn('SKIPPED: no shared Kubernetes schemas');
    expect(v136.errors(native)).toBe('');
    expect(v131.errors(native)).toContain('additionalProperties');
  });
});
