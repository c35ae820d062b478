/**
 * Operator-managed databases. A system declares a service as a PostgreSQL database Kiln manages
 * (`database: { engine: 'postgresql', … }`): on Kubernetes it becomes a CloudNativePG Cluster (a
 * primary and streaming replicas with automated failover, WAL archiving and scheduled base backups to
 * an object store the environment names), elsewhere one container of the service's image. Clients
 * name the connection settings they read (`databaseEnv`), and each target fills them from what Kiln
 * knows: on Kubernetes from the `<service>-app` secret CloudNativePG writes, on Compose from the
 * service name, port, database, owner and the password's secret. Nobody writes a DSN by hand.
 */
import { z } from 'zod';
import { dnsLabel, envVarName, imageReference, int32, userRecord } from './checks.js';
import type { ParsedEnvironment } from './environment.js';
import type { EnvVar, Port, SecretRef } from './model.js';
import { own } from './records.js';
import { secretRefSchema } from './secret-ref.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type ParsedOverride = ParsedEnvironment['overrides'][string];

export const DATABASE_ENGINES = ['postgresql'] as const;

/**
 * Connection settings a client may read: keys of the secret CloudNativePG writes for the database's
 * owner (`<service>-app`), which Kiln reproduces on targets without the operator.
 */
export const DATABASE_SETTINGS = ['uri', 'jdbc-uri', 'host', 'port', 'dbname', 'user', 'password'] as const;
export type DatabaseSetting = (typeof DATABASE_SETTINGS)[number];

/** The port CloudNativePG's instances listen on: its `port` parameter is fixed. */
export const POSTGRES_PORT = 5432;

/**
 * Server parameters CloudNativePG sets itself and its webhook refuses (its docs' "Fixed parameters"):
 * archiving, replication, listening, TLS and logging belong to the operator.
 */
export const FIXED_PARAMETERS: ReadonlySet<string> = new Set([
  'archive_cleanup_command', 'archive_command', 'archive_mode', 'archive_timeout', 'cluster_name', 'config_file', 'data_directory',
  'full_page_writes', 'hba_file', 'hot_standby', 'ident_file', 'listen_addresses', 'log_destination', 'log_directory', 'log_filename',
  'logging_collector', 'port', 'primary_conninfo', 'primary_slot_name', 'restart_after_crash', 'restore_command', 'ssl', 'ssl_ca_file',
  'ssl_cert_file', 'ssl_key_file', 'synchronous_standby_names', 'unix_socket_directories', 'wal_level', 'wal_log_hints',
]);

/** What `maxConnections` sets; written there, so the connection budget check and the server agree. */
export const MAX_CONNECTIONS_PARAMETER = 'max_connections';

/** An unquoted PostgreSQL identifier: it needs no quoting in SQL and no escaping in a URI. */
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lower-case PostgreSQL identifier: letters, digits and '_', at most 63 characters, e.g. 'shop'");

/** A server parameter (`shared_buffers`), or an extension's (`pg_stat_statements.max`). */
const parameterName = z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/, "a PostgreSQL parameter name such as 'shared_buffers'");

export const databaseSchema = z.strictObject({
  /** The engine. */
  engine: z.enum(DATABASE_ENGINES),
  /** The database the clients use: `bootstrap.initdb.database` on Kubernetes, `POSTGRES_DB` in a container. */
  name: identifier,
  /** The role that owns it and that clients log in as: `bootstrap.initdb.owner`, `POSTGRES_USER`. */
  owner: identifier,
  /**
   * The owner's password where the database runs as a container (`POSTGRES_PASSWORD`, and clients'
   * settings there). On Kubernetes CloudNativePG generates the password into `<service>-app` and
   * this secret is not used. On Compose clients' URIs carry it as written: keep it to
   * `[A-Za-z0-9._~-]` (e.g. `openssl rand -hex 32`), which needs no percent-encoding.
   */
  password: secretRefSchema,
  /**
   * The CloudNativePG operand image (`ghcr.io/cloudnative-pg/postgresql:16.4-system-bookworm`): the
   * operator runs its own images, with its instance manager and, for WAL archiving to an object
   * store, barman-cloud (the `system` images). Its PostgreSQL version must be the service image's.
   */
  operandImage: imageReference,
  /**
   * Server parameters (`shared_buffers: '4GB'`): `postgresql.parameters` on Kubernetes, `-c` flags
   * of the container elsewhere. `max_connections` comes from the service's `maxConnections`.
   * @default {}
   */
  parameters: userRecord(parameterName, z.union([z.string(), z.number()])).default({}),
});

export const databaseBackupSchema = z.strictObject({
  /** The object store folder backups go to (`s3://veza-backups/production`); each database writes under `<destinationPath>/<service>/`. */
  destinationPath: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, "an S3 URL such as 's3://bucket/path'"),
  /** The endpoint of an S3-compatible store other than AWS (MinIO, Ceph); AWS's when absent. */
  endpointURL: z.url({ protocol: /^https?$/ }).optional(),
  /** The store's credentials, by reference: the access key id and the secret access key. */
  s3Credentials: z.strictObject({
    /** The access key id (`AWS_ACCESS_KEY_ID`). */
    accessKeyId: secretRefSchema,
    /** The secret access key (`AWS_SECRET_ACCESS_KEY`). */
    secretAccessKey: secretRefSchema,
  }),
  /** How long base backups and WAL are kept, as CloudNativePG writes it: `'30d'`, `'4w'`, `'3m'`. */
  retention: z.string().regex(/^[1-9][0-9]*[dwm]$/, "days, weeks or months: '30d', '4w', '3m'"),
  /**
   * When the base backup runs: six cron fields, seconds first (`'0 0 3 * * *'`, 03:00 every day), or
   * a descriptor (`'@daily'`). WAL is archived continuously in between, for point-in-time recovery.
   */
  schedule: z.string().min(1),
});

/** What an environment says about a managed database (`overrides.<service>.database`). */
export const databaseOverrideSchema = z.strictObject({
  /** The database's name in this environment (`veza_staging`). */
  name: identifier.optional(),
  /**
   * PostgreSQL instances on Kubernetes: a primary and `instances − 1` streaming replicas, which
   * CloudNativePG promotes when the primary fails. Elsewhere the database is one container.
   * @default 1
   */
  instances: int32(1).optional(),
  /** WAL archiving and scheduled base backups to an object store, on Kubernetes; required in production. */
  backup: databaseBackupSchema.optional(),
});

/** A client's connection settings from managed databases, by variable: `{ DATABASE_URL: { database: 'postgres' } }`. */
export const databaseEnvSchema = userRecord(
  envVarName,
  z.strictObject({
    /** The managed database's service. */
    database: dnsLabel,
    /**
     * Which setting: `'uri'` (`postgresql://user:password@host:5432/dbname`), `'jdbc-uri'`, `'host'`,
     * `'port'`, `'dbname'`, `'user'` or `'password'`.
     * @default 'uri'
     */
    setting: z.enum(DATABASE_SETTINGS).default('uri'),
  }),
);

export type DatabaseInput = z.input<typeof databaseSchema>;
export type DatabaseBackupInput = z.input<typeof databaseBackupSchema>;

/** A managed database, resolved for one environment. */
export interface Database {
  readonly engine: (typeof DATABASE_ENGINES)[number];
  /** The database clients use, after the environment's override. */
  readonly name: string;
  readonly owner: string;
  /** The owner's password where the database runs as a container; CloudNativePG generates its own. */
  readonly password: SecretRef;
  readonly operandImage: string;
  /** Server parameters, `max_connections` included, sorted by name. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The service's one port, 5432. */
  readonly port: Port;
  /** PostgreSQL instances on Kubernetes. */
  readonly instances: number;
  readonly backup?: DatabaseBackup;
}

export interface DatabaseBackup {
  readonly destinationPath: string;
  readonly endpointURL?: string;
  readonly s3Credentials: { readonly accessKeyId: SecretRef; readonly secretAccessKey: SecretRef };
  readonly retention: string;
  readonly schedule: string;
}

/** A client variable set from a managed database's connection settings, with what the targets need to fill it. */
export interface DatabaseVariable {
  readonly name: string;
  readonly setting: DatabaseSetting;
  /** The database's service: its host name on Compose, the name of CloudNativePG's Cluster and secret on Kubernetes. */
  readonly database: string;
  readonly dbname: string;
  readonly user: string;
  readonly port: number;
  readonly password: SecretRef;
}

/** The secret CloudNativePG writes with the owner's credentials and connection settings. */
export function cloudNativePgAppSecret(database: string): string {
  return `${database}-app`;
}

/** The data directory inside the volume: a volume's root may hold `lost+found`, which initdb refuses. */
export function dataDirectory(mountPath: string): string {
  return `${mountPath.replace(/\/+$/, '')}/pgdata`;
}

/** The container's variables of the official image's entrypoint: what initdb creates, and where. */
export function databaseContainerEnv(database: Database, mountPath: string): EnvVar[] {
  return [
    { name: 'PGDATA', value: dataDirectory(mountPath) },
    { name: 'POSTGRES_DB', value: database.name },
    { name: 'POSTGRES_PASSWORD', secret: database.password },
    { name: 'POSTGRES_USER', value: database.owner },
  ];
}

/** The container's arguments: the server with each parameter as a `-c` flag. */
export function databaseContainerArgs(database: Database): string[] {
  return ['postgres', ...Object.entries(database.parameters).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/**
 * A setting's value where the database is reached by its service name (Compose), with the password
 * as `password` gives it (a secret interpolation there). The URIs are those CloudNativePG writes, with
 * that host: `postgresql://user:password@host:5432/dbname`, `jdbc:postgresql://host:5432/dbname?password=…&user=…`.
 */
export function databaseSettingValue(variable: DatabaseVariable, password: string): string {
  const host = variable.database;
  switch (variable.setting) {
    case 'uri':
      return `postgresql://${variable.user}:${password}@${host}:${variable.port}/${variable.dbname}`;
    case 'jdbc-uri':
      return `jdbc:postgresql://${host}:${variable.port}/${variable.dbname}?password=${password}&user=${variable.user}`;
    case 'host':
      return host;
    case 'port':
      return String(variable.port);
    case 'dbname':
      return variable.dbname;
    case 'user':
      return variable.user;
    case 'password':
      return password;
  }
}

/** The parsed database of a service in an environment, override applied; undefined for other services. */
export function resolveDatabase(service: ParsedService, override: ParsedOverride | undefined, ports: readonly Port[]): Database | undefined {
  const declared = service.database;
  const port = ports[0];
  if (!declared || !port) return undefined;
  const overridden = override?.database;
  const parameters: Record<string, string> = Object.fromEntries(Object.entries(declared.parameters).map(([name, value]) => [name, String(value)]));
  if (service.maxConnections !== undefined) parameters[MAX_CONNECTIONS_PARAMETER] = String(service.maxConnections);
  const backup = overridden?.backup;
  return {
    engine: declared.engine,
    name: overridden?.name ?? declared.name,
    owner: declared.owner,
    password: { name: declared.password.secret, key: declared.password.key },
    operandImage: declared.operandImage,
    parameters: Object.fromEntries(Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    port,
    instances: overridden?.instances ?? 1,
    ...(backup && {
      backup: {
        destinationPath: backup.destinationPath,
        ...(backup.endpointURL === undefined ? {} : { endpointURL: backup.endpointURL }),
        s3Credentials: { accessKeyId: refOf(backup.s3Credentials.accessKeyId), secretAccessKey: refOf(backup.s3Credentials.secretAccessKey) },
        retention: backup.retention,
        schedule: backup.schedule.trim(),
      },
    }),
  };
}

/** A client's variables from managed databases, sorted by name; the rules checked each names one. */
export function databaseVariables(env: ParsedEnvironment, service: ParsedService): DatabaseVariable[] {
  const services = env.systems.flatMap((system) => system.services);
  return Object.entries(service.databaseEnv)
    .flatMap(([name, { database, setting }]): DatabaseVariable[] => {
      const server = services.find((candidate) => candidate.name === database);
      const declared = server?.database;
      const port = server?.ports[0]?.port;
      if (!declared || port === undefined) return [];
      const dbname = own(env.overrides, database)?.database?.name ?? declared.name;
      return [{ name, setting, database, dbname, user: declared.owner, port, password: refOf(declared.password) }];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Secrets a managed database reads on Kubernetes: its object store's credentials. */
export function databaseStoreSecrets(database: Database): SecretRef[] {
  const credentials = database.backup?.s3Credentials;
  return credentials ? [credentials.accessKeyId, credentials.secretAccessKey] : [];
}

function refOf(ref: { readonly secret: string; readonly key: string }): SecretRef {
  return { name: ref.secret, key: ref.key };
}
