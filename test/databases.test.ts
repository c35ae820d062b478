/**
 * The veza seed's PostgreSQL as a managed database: in production a CloudNativePG Cluster with
 * replicas, WAL archiving and daily base backups, valid against the operator's CRDs, whose clients
 * read their DSN from the operator's secret; the runbook's recovery manifest valid too; in staging
 * one container whose clients' DSN Compose fills in. Each environment is resolved on its own, so
 * the test does not depend on the rest of the repository compiling.
 */
import { validateObject } from '@kiln/core';
import { composeEmitter } from '@kiln/compose';
import { CLOUDNATIVE_PG_MODELS, kubernetesEmitter } from '@kiln/kubernetes';
import { resolveEnvironment } from '@kiln/model';
import type { Environment, EnvironmentInput } from '@kiln/model';
import { runbooksEmitter } from '@kiln/runbooks';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

async function input(name: string): Promise<EnvironmentInput> {
  return ((await import(`../environments/${name}.ts`)) as { default: EnvironmentInput }).default;
}

function resolve(name: string, environment: EnvironmentInput) {
  return resolveEnvironment(environment, { environment: `environments/${name}.ts`, system: () => 'environments/systems/veza.ts' });
}

async function environment(name: string): Promise<Environment> {
  const { environment: resolved, issues } = resolve(name, await input(name));
  if (!resolved) throw new Error(`${name} does not resolve: ${JSON.stringify(issues.filter((issue) => issue.severity !== 'warning'))}`);
  return resolved;
}

type Object = { apiVersion: string; kind: string; metadata: { name: string }; spec: any };

describe('the veza seed’s database', () => {
  it('runs in production as a CloudNativePG Cluster of three instances with WAL archiving and a daily base backup', async () => {
    const { outputs, diagnostics } = kubernetesEmitter.emit(await environment('veza-production'));
    expect(diagnostics).toEqual([]);
    const objects = new Map(outputs.map((output) => [output.path.replace('veza-production/kubernetes/', ''), (output as { data: Object }).data]));
    expect([...objects.keys()].filter((path) => /-postgres(-headless)?\.yaml$/.test(path) && !path.startsWith('networkpolicy-'))).toEqual(['cluster-postgres.yaml', 'scheduledbackup-postgres.yaml', 'podmonitor-postgres.yaml']);
    const cluster = objects.get('cluster-postgres.yaml');
    expect(cluster?.spec).toMatchObject({ instances: 3, imageName: 'ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie', bootstrap: { initdb: { database: 'veza_prod', owner: 'veza' } }, postgresql: { parameters: { max_connections: '500' } } });
    expect(cluster?.spec.backup.barmanObjectStore.destinationPath).toMatch(/^s3:\/\//);
    expect(objects.get('scheduledbackup-postgres.yaml')?.spec.schedule).toBe('0 0 3 * * *');
    for (const object of [...objects.values()].filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1')) expect(validateObject(object, CLOUDNATIVE_PG_MODELS), object.kind).toEqual([]);
    for (const module of ['chat-server', 'stream-server']) {
      const env = objects.get(`deployment-${module}.yaml`)?.spec.template.spec.containers[0].env as { name: string }[];
      expect(env.find((variable) => variable.name === 'DATABASE_URL')).toEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'postgres-app', key: 'uri' } } });
    }
    // No hand-written DSN and no password in the store: the operator generates it.
    expect([...objects.keys()].filter((path) => /externalsecret-veza-(database-url|postgres-password)/.test(path))).toEqual([]);
  });

  it('has a runbook whose point-in-time recovery manifest CloudNativePG accepts', async () => {
    const runbook = runbooksEmitter.emit(await environment('veza-production')).outputs.find((output) => output.path === 'veza-production/runbooks/database-postgres.md');
    const markdown = runbook?.format === 'markdown' ? runbook.text : '';
    const manifest = parse(/```yaml\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? '') as Object;
    expect(manifest.spec.bootstrap.recovery.source).toBe('postgres');
    expect(validateObject(manifest, CLOUDNATIVE_PG_MODELS)).toEqual([]);
  });

  it('runs in staging as one container whose clients’ DSN Compose fills in', async () => {
    const { outputs, diagnostics } = composeEmitter.emit(await environment('veza-staging'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const compose = (outputs[0] as { data: { services: Record<string, { image: string; command?: string[]; environment?: Record<string, string> }> } }).data;
    expect(compose.services['postgres']).toMatchObject({ image: 'postgres:16.10', command: expect.arrayContaining(['max_connections=500']) });
    expect(compose.services['chat-server']?.environment?.['DATABASE_URL']).toBe('postgresql://veza:${VEZA_POSTGRES_PASSWORD:?VEZA_POSTGRES_PASSWORD is not set}@postgres:5432/veza_staging');
  });

  it('keeps the connection budget: pools over max_connections are refused', async () => {
    const production = await input('veza-production');
    const overrides = { ...production.overrides, 'chat-server': { ...production.overrides?.['chat-server'], connectionPools: { postgres: 100 } } };
    expect(resolve('veza-production', { ...production, overrides }).issues.map((issue) => issue.code)).toContain('CONNECTION_BUDGET_EXCEEDED');
  });
});
