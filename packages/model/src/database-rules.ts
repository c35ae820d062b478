/**
 * Rules on managed databases and their clients: a database is a service CloudNativePG can run (one
 * port, 5432; one volume; nothing the operator owns, such as pods, flags or variables), with the same
 * PostgreSQL in its operand image as in its container image, parameters the operator allows, and in
 * production backups to an object store on a schedule the operator reads as written. A client reads
 * a database's settings only with a flow to it.
 */
import { ModelCode } from './codes.js';
import { cronProblem } from './cron.js';
import { FIXED_PARAMETERS, MAX_CONNECTIONS_PARAMETER, POSTGRES_PORT } from './database.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { imageIn, parseImage } from './image.js';
import { suggestName } from './names.js';
import { own } from './records.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type Path = (string | number)[];
type Services = ReadonlyMap<string, { service: ParsedService; path: Path }>;

/** Service fields that do not go with `database`, and why. */
const CONFLICTS = {
  command: 'the operator runs its instance manager; the container runs `postgres` with the parameters as flags',
  args: 'Kiln builds the server flags from `database.parameters`',
  env: 'Kiln sets the container variables from `database`; server settings go in `database.parameters`',
  replicas: 'Kubernetes runs `overrides.<service>.database.instances`; a container target runs one',
  autoscaling: 'a database does not autoscale',
  stateful: 'CloudNativePG gives each instance its identity and volume',
  metrics: "CloudNativePG's exporter serves them on Kubernetes (Kiln adds its PodMonitor); the container image has none",
  config: 'configuration files have no place in CloudNativePG pods; use `database.parameters`',
  secretFiles: 'secret files have no place in CloudNativePG pods',
  tuning: 'Kiln cannot place sysctls or limits on the pods CloudNativePG makes',
} as const;

const OVERRIDE_CONFLICTS = { replicas: CONFLICTS.replicas, autoscaling: CONFLICTS.autoscaling, env: CONFLICTS.env } as const;

export function checkDatabases(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [];
  for (const { service, path } of services.values()) {
    issues.push(...checkClient(env, service, path, services));
    const override = own(env.overrides, service.name);
    if (!service.database) {
      if (override?.database) {
        issues.push({ code: ModelCode.NOT_A_DATABASE, path: ['overrides', service.name, 'database'], message: `service '${service.name}' is no managed database`, hint: "declare `database` on the service in its system, or remove this override" });
      }
      continue;
    }
    issues.push(...checkShape(service, path));
    for (const [field, why] of Object.entries(OVERRIDE_CONFLICTS)) {
      if (override?.[field as keyof typeof OVERRIDE_CONFLICTS] !== undefined) {
        issues.push({ code: ModelCode.DATABASE_CONFLICT, path: ['overrides', service.name, field], message: `managed database '${service.name}' cannot take ${field}: ${why}`, hint: `remove overrides.${service.name}.${field}` });
      }
    }
    const version = versionProblem(imageIn(env.images, service), service.database.operandImage);
    if (version) issues.push({ code: ModelCode.DATABASE_VERSION_MISMATCH, path: [...path, 'database', 'operandImage'], ...version });
    issues.push(...checkBackup(env, service));
  }
  const hosts = env.targets.hosts;
  if (hosts) {
    hosts.machines.forEach((machine, m) =>
      machine.services.forEach((name, i) => {
        if (services.get(name)?.service.database) {
          issues.push({
            code: ModelCode.DATABASE_TARGET_UNSUPPORTED,
            path: ['targets', 'hosts', 'machines', m, 'services', i],
            message: `managed database '${name}' cannot run on a hosts target: Kiln runs it with CloudNativePG on Kubernetes or as a container on Compose`,
            hint: 'run it on a Kubernetes or Compose target, or declare it as a plain service without `database`',
          });
        }
      }),
    );
  }
  return issues;
}

function checkShape(service: ParsedService, path: Path): Issue[] {
  const issues: Issue[] = [];
  const database = service.database;
  if (!database) return issues;
  const [port] = service.ports;
  if (service.ports.length !== 1 || port?.port !== POSTGRES_PORT || port.protocol !== 'TCP') {
    issues.push({
      code: ModelCode.DATABASE_PORT,
      path: [...path, 'ports'],
      message: `managed database '${service.name}' must declare one port, TCP ${POSTGRES_PORT}: CloudNativePG's instances listen there and nowhere else`,
      hint: `ports: [{ name: 'postgres', port: ${POSTGRES_PORT} }]`,
    });
  }
  if (service.volumes.length !== 1) {
    issues.push({
      code: ModelCode.DATABASE_VOLUME,
      path: [...path, 'volumes'],
      message: `managed database '${service.name}' has ${service.volumes.length} volumes; it needs exactly one, its data (the Cluster's storage, the container's PGDATA)`,
      hint: "volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '100Gi' }]",
    });
  }
  for (const [field, why] of Object.entries(CONFLICTS)) {
    const value = service[field as keyof typeof CONFLICTS];
    const set = Array.isArray(value) ? value.length > 0 : typeof value === 'object' && value !== null ? Object.keys(value).length > 0 : value !== undefined;
    if (set) issues.push({ code: ModelCode.DATABASE_CONFLICT, path: [...path, field], message: `managed database '${service.name}' cannot have ${field}: ${why}`, hint: `remove ${field}` });
  }
  for (const name of Object.keys(database.parameters)) {
    const at = [...path, 'database', 'parameters', name];
    if (name === MAX_CONNECTIONS_PARAMETER) {
      issues.push({ code: ModelCode.DATABASE_CONFLICT, path: at, message: `${name} comes from the service's maxConnections, which the connection budget check holds the clients to`, hint: 'set maxConnections instead' });
    } else if (FIXED_PARAMETERS.has(name)) {
      issues.push({ code: ModelCode.DATABASE_PARAMETER_FIXED, path: at, message: `CloudNativePG sets ${name} itself and refuses a Cluster that sets it`, hint: `remove ${name}` });
    }
  }
  return issues;
}

/** PostgreSQL `major` or `major.minor` at the start of an image's tag. */
function postgresVersion(image: string): string | undefined {
  return /^([0-9]+(\.[0-9]+)?)/.exec(parseImage(image)?.tag ?? '')?.[1];
}

function versionProblem(image: string, operandImage: string): { message: string; hint: string } | undefined {
  const container = postgresVersion(image);
  const operand = postgresVersion(operandImage);
  if (container === undefined || operand === undefined) return undefined;
  const [short, long] = container.length <= operand.length ? [container, operand] : [operand, container];
  if (long === short || long.startsWith(`${short}.`)) return undefined;
  return {
    message: `the CloudNativePG image '${operandImage}' runs PostgreSQL ${operand}, the container image '${image}' ${container}: Kubernetes and the container targets would run different servers`,
    hint: `use the operand image of PostgreSQL ${container}, or change both`,
  };
}

function checkBackup(env: ParsedEnvironment, service: ParsedService): Issue[] {
  const overridePath: Path = ['overrides', service.name];
  const backup = own(env.overrides, service.name)?.database?.backup;
  if (!backup) {
    if (env.stage !== 'production' || !env.targets.kubernetes) return [];
    return [
      {
        code: ModelCode.DATABASE_BACKUP_REQUIRED,
        path: own(env.overrides, service.name)?.database ? [...overridePath, 'database'] : overridePath,
        message: `production database '${service.name}' has no backups: without WAL archiving and base backups in an object store there is no point-in-time recovery, and losing the volumes loses the data`,
        hint: "declare overrides.<service>.database.backup: { destinationPath: 's3://…', s3Credentials: { … }, retention: '30d', schedule: '0 0 3 * * *' }",
      },
    ];
  }
  const problem = cronProblem(backup.schedule);
  if (!problem) return [];
  return [{ code: ModelCode.DATABASE_SCHEDULE_INVALID, path: [...overridePath, 'database', 'backup', 'schedule'], message: `base backup schedule ${problem}`, hint: "write six fields, seconds first: '0 0 3 * * *' is 03:00 every day; or '@daily'" }];
}

/** Each setting a client reads names a managed database it has a flow to. */
function checkClient(env: ParsedEnvironment, service: ParsedService, path: Path, services: Services): Issue[] {
  return Object.entries(service.databaseEnv).flatMap(([name, { database }]): Issue[] => {
    const at = [...path, 'databaseEnv', name, 'database'];
    const server = services.get(database)?.service;
    if (!server) return [{ code: ModelCode.UNKNOWN_SERVICE, path: at, message: `there is no service '${database}' in this environment`, hint: suggestName(database, services.keys(), 'services') }];
    if (!server.database) {
      const databases = [...services.values()].filter(({ service: s }) => s.database).map(({ service: s }) => s.name);
      return [{ code: ModelCode.NOT_A_DATABASE, path: at, message: `service '${database}' is no managed database: Kiln knows no connection settings for it`, hint: databases.length > 0 ? `managed databases: ${databases.sort().join(', ')}` : `declare \`database\` on '${database}', or set ${name} in env` }];
    }
    const flows = env.systems.flatMap((system) => system.flows).some((flow) => flow.from === service.name && flow.to === database);
    if (flows) return [];
    return [
      {
        code: ModelCode.HOST_WITHOUT_FLOW,
        path: at,
        message: `'${service.name}' reads the connection settings of '${database}', but no flow from '${service.name}' to '${database}' is declared: NetworkPolicies and Compose networks let only declared flows through`,
        hint: `add a flow { from: '${service.name}', to: '${database}', port: '${server.ports[0]?.name ?? 'postgres'}' } to the system's flows`,
      },
    ];
  });
}
