import { describe, expect, it } from 'vitest';
import { cronProblem } from './cron.js';
import { databaseSettingValue } from './database.js';
import type { DatabaseVariable } from './database.js';
import { secret } from './define.js';
import type { EnvironmentInput, OverrideInput } from './environment.js';
import { secretsOf } from './model.js';
import { resolveEnvironment } from './resolve.js';
import type { ServiceInput } from './service.js';

const kubernetes: EnvironmentInput['targets'] = { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' } } };
const BACKUP = {
  destinationPath: 's3://shop-backups/production',
  endpointURL: 'https://s3.eu-west-1.amazonaws.com',
  s3Credentials: { accessKeyId: secret('shop-backup-s3', 'access-key-id'), secretAccessKey: secret('shop-backup-s3', 'secret-access-key') },
  retention: '30d',
  schedule: '0 0 3 * * *',
};

const db = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'db',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  maxConnections: 200,
  volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '50Gi' }],
  database: { engine: 'postgresql', name: 'shop', owner: 'shop', password: secret('shop-db-password'), operandImage: 'ghcr.io/cloudnative-pg/postgresql:16.4-system-bookworm', parameters: { shared_buffers: '1GB', work_mem: 8 } },
  ...over,
});
const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({ name: 'api', image: 'acme/api:1.0.0', databaseEnv: { DATABASE_URL: { database: 'db' } }, connectionPools: { db: { size: 10 } }, ...over });
const FLOW = { from: 'api', to: 'db', port: 'postgres' };

function resolve(services: ServiceInput[], parts: { targets?: EnvironmentInput['targets']; stage?: EnvironmentInput['stage']; overrides?: Record<string, OverrideInput>; flows?: { from: string; to: string; port: string }[]; images?: Record<string, string> } = {}) {
  const input: EnvironmentInput = {
    name: 'shop',
    stage: parts.stage ?? 'staging',
    systems: [{ name: 'shop', services, flows: parts.flows ?? [FLOW] }],
    targets: parts.targets ?? { compose: {} },
    overrides: parts.overrides ?? {},
    images: parts.images ?? {},
  };
  return resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
}
const codes = (result: ReturnType<typeof resolve>) => result.issues.map((issue) => issue.code).sort();
const service = (result: ReturnType<typeof resolve>, name: string) => result.environment?.systems[0]?.services.find((s) => s.name === name);

describe('managed databases', () => {
  it('resolves the container form: the official image’s variables and the parameters as flags, max_connections from maxConnections', () => {
    const result = resolve([db(), api()], { overrides: { db: { database: { name: 'shop_staging', instances: 2 } } } });
    expect(codes(result)).toEqual([]);
    const database = service(result, 'db');
    expect(database?.database).toMatchObject({ name: 'shop_staging', owner: 'shop', instances: 2, parameters: { max_connections: '200', shared_buffers: '1GB', work_mem: '8' } });
    expect(Object.keys(database?.database?.parameters ?? {})).toEqual(['max_connections', 'shared_buffers', 'work_mem']);
    expect(database?.args).toEqual(['postgres', '-c', 'max_connections=200', '-c', 'shared_buffers=1GB', '-c', 'work_mem=8']);
    expect(database?.env).toEqual([
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      { name: 'POSTGRES_DB', value: 'shop_staging' },
      { name: 'POSTGRES_PASSWORD', secret: { name: 'shop-db-password', key: 'value' } },
      { name: 'POSTGRES_USER', value: 'shop' },
    ]);
  });

  it('gives clients what each target needs to fill their settings', () => {
    const result = resolve([db(), api({ databaseEnv: { DATABASE_URL: { database: 'db' }, PGPASSWORD: { database: 'db', setting: 'password' } } })], { overrides: { db: { database: { name: 'shop_staging' } } } });
    const variables = service(result, 'api')?.databaseEnv ?? [];
    expect(variables).toEqual([
      { name: 'DATABASE_URL', setting: 'uri', database: 'db', dbname: 'shop_staging', user: 'shop', port: 5432, password: { name: 'shop-db-password', key: 'value' } },
      { name: 'PGPASSWORD', setting: 'password', database: 'db', dbname: 'shop_staging', user: 'shop', port: 5432, password: { name: 'shop-db-password', key: 'value' } },
    ]);
    expect(service(result, 'db')?.databaseEnv).toBeUndefined();
  });

  it('builds the URIs CloudNativePG writes, with the service name as host', () => {
    const variable = (setting: DatabaseVariable['setting']): DatabaseVariable => ({ name: 'X', setting, database: 'db', dbname: 'shop', user: 'shop', port: 5432, password: { name: 'p', key: 'value' } });
    expect(databaseSettingValue(variable('uri'), 'PW')).toBe('postgresql://shop:PW@db:5432/shop');
    expect(databaseSettingValue(variable('jdbc-uri'), 'PW')).toBe('jdbc:postgresql://db:5432/shop?password=PW&user=shop');
    expect(['host', 'port', 'dbname', 'user', 'password'].map((s) => databaseSettingValue(variable(s as DatabaseVariable['setting']), 'PW'))).toEqual(['db', '5432', 'shop', 'shop', 'PW']);
  });

  it('keeps the budget check: clients’ pools against maxConnections', () => {
    expect(codes(resolve([db({ maxConnections: 5 }), api()]))).toEqual(['CONNECTION_BUDGET_EXCEEDED']);
  });

  it('asks the secret store for the object store’s credentials on Kubernetes, and for the password only where the database is a container', () => {
    const onKubernetes = resolve([db(), api()], { targets: kubernetes, stage: 'production', overrides: { db: { database: { instances: 3, backup: BACKUP } } } });
    expect(codes(onKubernetes)).toEqual([]);
    expect(secretsOf(onKubernetes.environment!)).toEqual([{ name: 'shop-backup-s3', keys: ['access-key-id', 'secret-access-key'] }]);
    expect(secretsOf(resolve([db(), api()]).environment!)).toEqual([{ name: 'shop-db-password', keys: ['value'] }]);
  });

  it('requires backups for a production database on Kubernetes, and a schedule CloudNativePG reads as written', () => {
    expect(codes(resolve([db(), api()], { targets: kubernetes, stage: 'production' }))).toEqual(['DATABASE_BACKUP_REQUIRED']);
    expect(resolve([db(), api()], { targets: kubernetes, stage: 'production' }).issues[0]?.path).toEqual(['overrides', 'db']);
    expect(codes(resolve([db(), api()], { targets: kubernetes }))).toEqual([]);
    const unix = resolve([db(), api()], { targets: kubernetes, stage: 'production', overrides: { db: { database: { backup: { ...BACKUP, schedule: '0 3 * * *' } } } } });
    expect(codes(unix)).toEqual(['DATABASE_SCHEDULE_INVALID']);
    expect(unix.issues[0]?.path).toEqual(['overrides', 'db', 'database', 'backup', 'schedule']);
    expect(codes(resolve([db(), api()], { targets: kubernetes, overrides: { db: { database: { instances: 0 } } } }))).toEqual(['INVALID_VALUE']);
  });

  it('refuses what CloudNativePG owns or Kiln derives', () => {
    const result = resolve([db({ args: ['postgres'], env: { POSTGRES_DB: 'x' }, replicas: 2, database: { ...db().database!, parameters: { max_connections: 10, wal_level: 'replica' } } }), api()]);
    expect(codes(result)).toEqual(['DATABASE_CONFLICT', 'DATABASE_CONFLICT', 'DATABASE_CONFLICT', 'DATABASE_CONFLICT', 'DATABASE_PARAMETER_FIXED']);
    expect(codes(resolve([db({ ports: [{ name: 'postgres', port: 5433 }] }), api()]))).toEqual(['DATABASE_PORT']);
    expect(codes(resolve([db({ volumes: [] }), api()]))).toEqual(['DATABASE_VOLUME']);
    expect(codes(resolve([db(), api()], { overrides: { db: { replicas: 2 }, api: { database: { instances: 2 } } } }))).toEqual(['DATABASE_CONFLICT', 'NOT_A_DATABASE']);
  });

  it('runs the same PostgreSQL on every target', () => {
    expect(codes(resolve([db({ image: 'postgres:17.2' }), api()]))).toEqual(['DATABASE_VERSION_MISMATCH']);
    expect(codes(resolve([db(), api()], { images: { db: '16.6' } }))).toEqual(['DATABASE_VERSION_MISMATCH']);
    expect(codes(resolve([db({ image: 'postgres:16' }), api()]))).toEqual([]);
  });

  it('lets a client read only a managed database it has a flow to, into a variable of its own', () => {
    expect(codes(resolve([db(), api()], { flows: [] }))).toEqual(['HOST_WITHOUT_FLOW']);
    expect(codes(resolve([db(), api({ databaseEnv: { DATABASE_URL: { database: 'cache' } } })]))).toEqual(['UNKNOWN_SERVICE']);
    expect(codes(resolve([db(), api({ databaseEnv: { DATABASE_URL: { database: 'api' } } })], { flows: [FLOW, { from: 'api', to: 'api', port: 'x' }] })).filter((c) => c !== 'UNKNOWN_PORT')).toEqual(['NOT_A_DATABASE']);
    expect(codes(resolve([db(), api({ env: { DATABASE_URL: 'postgres://x' } })]))).toContain('ENV_SET_BY_KILN');
  });

  it('runs a managed database on Kubernetes or Compose, not on a hosts target', () => {
    const hosts = { hosts: { machines: [{ name: 'm1', address: '10.0.0.1', services: ['db', 'api'] }] } };
    expect(codes(resolve([db(), api()], { targets: hosts }))).toEqual(['DATABASE_TARGET_UNSUPPORTED']);
  });
});

describe('base backup schedules', () => {
  it('takes six fields, seconds first, or a descriptor', () => {
    for (const ok of ['0 0 3 * * *', '0 30 2 * * SUN', '0 0 */6 * * *', '0 0 0 1 jan-jun ?', '@daily', '@every 6h', '0 0,30 1-5 * * MON-FRI']) expect(cronProblem(ok), ok).toBeUndefined();
  });

  it('refuses five fields, which robfig/cron reads one field off, and values out of range', () => {
    expect(cronProblem('0 3 * * *')).toMatch(/five fields/);
    expect(cronProblem('0 0 24 * * *')).toMatch(/hour '24'/);
    expect(cronProblem('0 0 3 * * 7')).toMatch(/day of week/);
    expect(cronProblem('0 0 5-1 * * *')).toMatch(/backwards/);
    expect(cronProblem('0 0 3 * * * *')).toMatch(/7 fields/);
    expect(cronProblem('@every day')).toMatch(/duration/);
  });
});
