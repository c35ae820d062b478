import type { Output } from '@kiln/core';
import type { Environment, EnvironmentInput, ServiceInput } from '@kiln/model';
import { secret } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { runbooksEmitter } from './emitter.js';
import { environment, shop, TARGETS } from './fixtures.js';
import { lintMarkdown, markdownTokens, tokensOf } from './markdown-check.js';

const db: ServiceInput = {
  name: 'db',
  image: 'postgres:16.10',
  ports: [{ name: 'pg', port: 5432 }],
  volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '10Gi' }],
  database: { engine: 'postgresql', name: 'shop', owner: 'shop', password: secret('shop-db-password'), operandImage: 'ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie' },
};
const api: ServiceInput = { name: 'api', image: 'acme/api:1.4.2', ports: [{ name: 'http', port: 8080 }], databaseEnv: { DATABASE_URL: { database: 'db' } } };
const BACKUP = {
  destinationPath: 's3://shop-backups/prod',
  s3Credentials: { accessKeyId: secret('shop-s3', 'access-key-id'), secretAccessKey: secret('shop-s3', 'secret-access-key') },
  retention: '30d',
  schedule: '0 0 3 * * *',
};

function databaseEnvironment(extra: Partial<EnvironmentInput>): Environment {
  return environment(shop({ services: [api, db], flows: [{ from: 'api', to: 'db', port: 'pg' }], alerts: [], slos: [], dashboards: [], procedures: [] }), extra);
}

function emit(env: Environment): Map<string, string> {
  const result = runbooksEmitter.emit(env);
  expect(result.diagnostics).toEqual([]);
  return new Map(result.outputs.map((output: Output) => [output.path, output.format === 'markdown' ? output.text : '']));
}

const headings = (markdown: string) => tokensOf(markdownTokens(markdown), 'atxHeadingText').map((t) => t.text);
/** The text of the fenced block of a language. */
const block = (markdown: string, language: string) => new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\``).exec(markdown)?.[1] ?? '';

describe('the runbook of a managed database', () => {
  it('on Kubernetes: the Cluster, its Services and secret, failover, backups and a recovery manifest', () => {
    const env = databaseEnvironment({ stage: 'production', targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop' } }, overrides: { db: { database: { instances: 3, backup: BACKUP } } } });
    const files = emit(env);
    const markdown = files.get('shop-prod/runbooks/database-db.md') ?? '';
    expect(lintMarkdown('database-db.md', markdown)).toEqual([]);
    expect(headings(markdown)).toEqual(['Database db', 'Where it runs', 'Kubernetes', 'Clients', 'Failover', 'Backups', 'Point-in-time recovery', 'Notes', 'See also']);
    expect(markdown).toContain('3 instances (a primary and 2 streaming replicas) of `ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie`');
    expect(markdown).toContain('kubectl cnpg status db -n shop');
    expect(markdown).toContain('| api | DATABASE_URL | uri |');
    expect(markdown).toContain('promotes the most advanced of the 2 replicas and points `db-rw` at it');
    expect(markdown).toContain('`s3://shop-backups/prod/db/`');
    expect(markdown).toContain('deprecated in 1.26');
    // The manifest is checked against CloudNativePG's CRD in test/database.test.ts.
    const manifest = block(markdown, 'yaml');
    for (const line of ['kind: Cluster', '  name: db-pitr', '  namespace: shop', '      source: db', '    - name: db', '        destinationPath: s3://shop-backups/prod']) expect(manifest).toContain(line);
    expect(files.get('shop-prod/runbooks/README.md')).toContain('[Database db](database-db.md)');
  });

  it('on Compose: one container, a dump instead of archiving, no recovery section', () => {
    const markdown = emit(databaseEnvironment({ stage: 'staging' })).get('shop-prod/runbooks/database-db.md') ?? '';
    expect(lintMarkdown('database-db.md', markdown)).toEqual([]);
    expect(headings(markdown)).toEqual(['Database db', 'Where it runs', 'Docker Compose', 'Clients', 'Failover', 'Backups', 'See also']);
    expect(markdown).toContain('one container, no replica. Its data is in the volume `shop-prod_db-data` (PGDATA `/var/lib/postgresql/data/pgdata`)');
    expect(markdown).toContain('exec -T db pg_dump -U shop -Fc shop > shop.dump');
    expect(block(markdown, 'sh')).toContain('exec db psql -U shop shop');
  });

  it('says so when a Kubernetes database keeps no backups', () => {
    const markdown = emit(databaseEnvironment({ targets: TARGETS.kubernetes })).get('shop-prod/runbooks/database-db.md') ?? '';
    expect(markdown).toContain('No backups: the environment declares none (`overrides.db.database.backup`)');
    expect(markdown).toContain('One instance: there is no replica to promote.');
    expect(headings(markdown)).not.toContain('Point-in-time recovery');
  });
});
