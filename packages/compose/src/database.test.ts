/**
 * A managed database on Compose: one container of the service's image, with the official image's
 * variables and the parameters as flags, and clients whose settings Compose fills in from the same
 * password variable. Checked with docker-compose itself where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '@kiln/core';
import type { Environment, ServiceInput } from '@kiln/model';
import { resolveEnvironment, secret } from '@kiln/model';
import { afterAll, describe, expect, it } from 'vitest';
import { emit } from './fixtures.js';
import { requiredVariables } from './secret-variables.js';

const db: ServiceInput = {
  name: 'db',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  maxConnections: 200,
  probes: { readiness: { exec: { command: ['pg_isready', '-U', 'shop'] } } },
  security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
  scratch: ['/tmp', '/var/run/postgresql'],
  volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi' }],
  database: { engine: 'postgresql', name: 'shop', owner: 'shop', password: secret('shop-db-password'), operandImage: 'ghcr.io/cloudnative-pg/postgresql:16.4-system-bookworm', parameters: { shared_buffers: '1GB' } },
};
const api: ServiceInput = {
  name: 'api',
  image: 'acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080 }],
  dependsOn: ['db'],
  databaseEnv: { DATABASE_URL: { database: 'db' }, JDBC_URL: { database: 'db', setting: 'jdbc-uri' }, PGHOST: { database: 'db', setting: 'host' }, PGPORT: { database: 'db', setting: 'port' } },
};

function environment(): Environment {
  const { environment, issues } = resolveEnvironment(
    {
      name: 'shop-staging',
      stage: 'staging',
      systems: [{ name: 'shop', services: [db, api], flows: [{ from: 'api', to: 'db', port: 'postgres' }] }],
      targets: { compose: {} },
      overrides: { db: { database: { name: 'shop_staging', instances: 3 } } },
    },
    { environment: 'environments/shop-staging.ts', system: () => 'environments/systems/shop.ts' },
  );
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return environment;
}

const PASSWORD = '${SHOP_DB_PASSWORD:?SHOP_DB_PASSWORD is not set}';

describe('a managed database on Compose', () => {
  it('is one container running the server with its parameters, initialised as the model says', () => {
    const { compose, diagnostics } = emit(environment());
    expect(diagnostics).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'db']);
    const container = compose.services['db'];
    expect(container).toMatchObject({
      image: 'postgres:16.4',
      command: ['postgres', '-c', 'max_connections=200', '-c', 'shared_buffers=1GB'],
      environment: { PGDATA: '/var/lib/postgresql/data/pgdata', POSTGRES_DB: 'shop_staging', POSTGRES_PASSWORD: PASSWORD, POSTGRES_USER: 'shop' },
      volumes: [{ type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data' }],
    });
    expect(container?.deploy?.replicas).toBeUndefined();
  });

  it('gives clients the settings CloudNativePG would, with the service name as host and the password from the same variable', () => {
    const { compose } = emit(environment());
    expect(compose.services['api']?.environment).toEqual({
      DATABASE_URL: `postgresql://shop:${PASSWORD}@db:5432/shop_staging`,
      JDBC_URL: `jdbc:postgresql://db:5432/shop_staging?password=${PASSWORD}&user=shop`,
      PGHOST: 'db',
      PGPORT: '5432',
    });
    expect(compose['x-kiln'].environment).toEqual(['SHOP_DB_PASSWORD']);
  });
});

const TOOL = 'docker-compose';
const available = spawnSync(TOOL, ['version'], { encoding: 'utf8' }).error === undefined;
const required = process.env['KILN_REQUIRE_TOOLS'] === '1';
const scratch = mkdtempSync(join(tmpdir(), 'kiln-compose-database-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!available && !required)(`${TOOL} config of a managed database`, { timeout: 120_000 }, () => {
  it('fills the password into the database and its clients alike', () => {
    const { outputs } = emit(environment());
    const output = outputs[0];
    if (!output || output.format !== 'yaml') throw new Error('no Compose file');
    const dir = join(scratch, 'compose');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, render(output, 'environments/shop-staging.ts'));
    expect(requiredVariables(output.data)).toEqual(['SHOP_DB_PASSWORD']);
    const result = spawnSync(TOOL, ['-f', file, 'config'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, SHOP_DB_PASSWORD: 'c0ffee' } });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('POSTGRES_PASSWORD: c0ffee');
    expect(result.stdout).toContain('DATABASE_URL: postgresql://shop:c0ffee@db:5432/shop_staging');
  });
});
