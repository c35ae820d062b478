/**
 * Argo CD applies lower sync waves first and waits for each to be healthy: an object must sit in a
 * later wave than everything it needs. Checked on every generated Kubernetes object from the
 * references themselves (service accounts, ConfigMaps and Secrets a pod mounts or reads, the target
 * of an HPA or PDB), not from a list of kinds.
 */
import { compile } from '@kiln/core';
import { emitters, repositoryEmitters } from '@kiln/cli';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: any;
}

const root = join(import.meta.dirname, '..');
let byEnvironment: Map<string, K8sObject[]>;

beforeAll(async () => {
  const compiled = await compile({ root, emitters, repositoryEmitters });
  byEnvironment = new Map();
  for (const [path, content] of compiled.files) {
    const match = /^([^/]+)\/kubernetes\/[^/]+\.yaml$/.exec(path);
    if (!match?.[1]) continue;
    byEnvironment.set(match[1], [...(byEnvironment.get(match[1]) ?? []), parse(content, { version: '1.1' }) as K8sObject]);
  }
}, 120_000);

const wave = (object: K8sObject) => Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

/** What a workload's pods need to exist first: kind/name pairs. */
function podNeeds(spec: any): string[] {
  const pod = spec?.template?.spec ?? {};
  const needs: string[] = [];
  if (pod.serviceAccountName) needs.push(`ServiceAccount/${pod.serviceAccountName}`);
  for (const volume of pod.volumes ?? []) {
    if (volume.configMap?.name) needs.push(`ConfigMap/${volume.configMap.name}`);
    if (volume.secret?.secretName) needs.push(`Secret/${volume.secret.secretName}`);
    for (const source of volume.projected?.sources ?? []) if (source.secret?.name) needs.push(`Secret/${source.secret.name}`);
  }
  for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    for (const variable of container.env ?? []) {
      if (variable.valueFrom?.secretKeyRef?.name) needs.push(`Secret/${variable.valueFrom.secretKeyRef.name}`);
      if (variable.valueFrom?.configMapKeyRef?.name) needs.push(`ConfigMap/${variable.valueFrom.configMapKeyRef.name}`);
    }
  }
  return needs;
}

describe('sync waves', () => {
  it('put every object after what it needs', () => {
    expect(byEnvironment.size).toBeGreaterThan(0);
    // The committed environments include a node tuning DaemonSet (veza-production's network-tuned pool).
    expect([...byEnvironment.values()].flat().some((o) => o.kind === 'DaemonSet')).toBe(true);
    for (const [env, objects] of byEnvironment) {
      // Secrets come from ExternalSecrets (target name, or the ExternalSecret's own name) and Certificates.
      const waves = new Map<string, number>();
      for (const object of objects) {
        waves.set(`${object.kind}/${object.metadata.name}`, wave(object));
        if (object.kind === 'ExternalSecret') waves.set(`Secret/${object.spec?.target?.name ?? object.metadata.name}`, wave(object));
        // CloudNativePG writes a Cluster's `<name>-app` secret (its owner's credentials) once the Cluster is up.
        if (object.kind === 'Cluster') waves.set(`Secret/${object.metadata.name}-app`, wave(object));
        // cert-manager writes a Certificate's Secret: Argo CD waits for the Certificate to be Ready.
        if (object.kind === 'Certificate') waves.set(`Secret/${object.spec?.secretName}`, wave(object));
      }
      // Each object after the Namespace it names (an environment may have two: its own and node tuning's).
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      for (const object of objects) {
        const here = `${env}: ${object.kind} ${object.metadata.name} (wave ${wave(object)})`;
        const namespace = namespaces.find((n) => n.metadata.name === object.metadata.namespace);
        if (object.kind !== 'Namespace') expect(namespace, `${here} names a generated Namespace`).toBeDefined();
        if (namespace) expect(wave(object), `${here} after its Namespace ${namespace.metadata.name}`).toBeGreaterThan(wave(namespace));
        const needs = ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind) ? podNeeds(object.spec) : [];
        if (object.kind === 'HorizontalPodAutoscaler') needs.push(`${object.spec.scaleTargetRef.kind}/${object.spec.scaleTargetRef.name}`);
        if (object.kind === 'ScheduledBackup') needs.push(`Cluster/${object.spec.cluster.name}`);
        // A Cluster reads its object store's credentials once it archives: the operator retries until
        // they exist, so they may sync in the Cluster's own wave, not after it.
        if (object.kind === 'Cluster') {
          const store = object.spec.backup?.barmanObjectStore?.s3Credentials;
          for (const key of [store?.accessKeyId, store?.secretAccessKey].filter(Boolean)) {
            const before = waves.get(`Secret/${key.name}`);
            expect(before, `${here} needs Secret/${key.name}, which is not generated`).toBeDefined();
            expect(wave(object), `${here} needs Secret/${key.name} (wave ${before})`).toBeGreaterThanOrEqual(before ?? Infinity);
          }
        }
        for (const need of needs) {
          const before = waves.get(need);
          expect(before, `${here} needs ${need}, which is not generated`).toBeDefined();
          expect(wave(object), `${here} needs ${need} (wave ${before})`).toBeGreaterThan(before ?? Infinity);
        }
        // Node tuning (a DaemonSet that writes node-level sysctls) comes before every workload.
        if (object.kind === 'DaemonSet') {
          for (const workload of objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind))) expect(wave(object), `${here} before ${workload.kind} ${workload.metadata.name}`).toBeLessThan(wave(workload));
        }
        // Monitoring objects watch workloads: after all of them.
        if (['PodMonitor', 'PrometheusRule', 'AlertmanagerConfig'].includes(object.kind)) {
          const workloads = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
          for (const workload of workloads) expect(wave(object), `${here} after ${workload.kind} ${workload.metadata.name}`).toBeGreaterThan(wave(workload));
        }
      }
    }
  });

  it('leave replicas to the autoscaler: a workload an HPA scales carries no spec.replicas', () => {
    for (const objects of byEnvironment.values()) {
      for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
        const target = objects.find((o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name);
        expect(target, `${hpa.metadata.name} scales a generated workload`).toBeDefined();
        expect(target?.spec?.replicas, `${target?.kind} ${target?.metadata.name} has spec.replicas while an HPA scales it`).toBeUndefined();
      }
    }
  });
});
