/**
 * The Compose emitter: an environment with a `compose` target becomes one docker-compose.yml (the
 * Compose Specification, readable by docker-compose 1.29 and Compose v2) plus the configuration
 * files it bind-mounts. The document is validated against the spec's schema before it is returned.
 */
import { sourcePath } from '@kiln/core';
import { posix } from 'node:path';
import { compareText, composeRestart, servicesOf, systemSource } from '@kiln/model';
import type { Diagnostic, Environment, Service } from '@kiln/model';
import type { EmitResult, Emitter, Output } from '@kiln/core';
import { ComposeCode } from './codes.js';
import type { ComposeFile, ComposeService, KilnExtension, NamedResource } from './compose-file.js';
import { hasHealthcheck, healthcheckDiagnostics } from './healthcheck.js';
import { membersOf } from './members.js';
import { configFiles } from './mounts.js';
import { monitoringServices } from './monitoring.js';
import { monitoringConflicts, nameConflicts } from './name-conflicts.js';
import type { Emitted } from './name-conflicts.js';
import { flowLinks, networkNames, networksByService } from './networks.js';
import { hostPortDiagnostics } from './ports.js';
import { secretVariableDiagnostics, secretVariables } from './secret-variables.js';
import { topLevelSecrets } from './secrets.js';
import { composeService } from './service.js';
import type { ServiceContext } from './service.js';
import { containerSysctls } from './sysctls.js';
import { validateCompose } from './validate.js';

export const composeEmitter: Emitter = { name: 'compose', emit: emitCompose };

function emitCompose(environment: Environment): EmitResult {
  const target = environment.targets.compose;
  if (!target) return { outputs: [], diagnostics: [] };
  const services = servicesOf(environment).sort((a, b) => compareText(a.name, b.name));
  const source = (service: Service) => systemSource(environment, service);
  const monitoring = monitoringServices(environment);
  const networks = networksByService([...services.map((service) => service.name), ...Object.keys(monitoring?.services ?? {})], [...flowLinks(environment), ...(monitoring?.links ?? [])]);
  const context: ServiceContext = {
    members: new Map(services.map((service) => [service.name, membersOf(service)])),
    // Dependants wait for health only where health does not itself wait on them.
    healthy: new Set(services.filter((service) => hasHealthcheck(service) && !service.publishNotReadyAddresses).map((service) => service.name)),
    networks,
    restart: composeRestart(environment.stage),
    services,
  };

  const diagnostics: Diagnostic[] = [...hostPortDiagnostics(environment, services, source), ...secretVariableDiagnostics(environment, services), ...healthcheckDiagnostics(environment, services)];
  const emitted: (Emitted & { readonly compose: ComposeService })[] = [];
  for (const service of services) {
    const sysctls = containerSysctls(service);
    for (const member of context.members.get(service.name) ?? []) emitted.push({ service, member, compose: composeService(service, member, context, sysctls) });
  }
  diagnostics.push(...nameConflicts(environment, emitted));
  if (monitoring) diagnostics.push(...monitoringConflicts(environment, emitted, Object.keys(monitoring.services)));

  const volumes = [...new Set([...emitted.flatMap(({ compose }) => (compose.volumes ?? []).flatMap((m) => (m.type === 'volume' ? [m.source] : []))), ...(monitoring?.volumes ?? [])])].sort(compareText);
  const monitors = Object.entries(monitoring?.services ?? {}).map(([name, compose]) => [name, { ...compose, networks: [...(networks.get(name) ?? [])] }] as const);
  const secrets = topLevelSecrets(services, target.secretsDir, monitoring?.secrets ?? []);
  const variables = secretVariables(services);
  const kiln: KilnExtension = {
    project: environment.name,
    run: `docker compose -p ${environment.name} -f docker-compose.yml up -d`,
    ...(variables.length > 0 && { environment: variables }),
  };
  const document: ComposeFile = {
    'x-kiln': kiln,
    services: Object.fromEntries([...emitted.map(({ member, compose }) => [member.name, compose] as const), ...monitors].sort(([a], [b]) => compareText(a, b))),
    ...(networks.size > 0 && { networks: named(environment, networkNames(networks)) }),
    ...(volumes.length > 0 && { volumes: named(environment, volumes) }),
    ...(Object.keys(secrets).length > 0 && { secrets }),
  };
  const owners = new Map(emitted.map(({ service, member }) => [member.name, service]));
  diagnostics.push(...validateCompose(document).map((error) => schemaDiagnostic(environment, owners, error)));

  const folder = `${environment.name}/compose`;
  const outputs: Output[] = [{ path: `${folder}/docker-compose.yml`, format: 'yaml', data: document }];
  for (const service of services) {
    for (const { path, text } of configFiles(service)) outputs.push({ path: `${folder}/${path.slice('./'.length)}`, format: 'raw', text });
  }
  return { outputs, diagnostics, reserved: operatorPaths(folder, target.secretsDir) };
}

/**
 * Explicit Docker names, `<env>_<name>`. Without them Compose prefixes the project name, which
 * defaults to the folder, and every environment's folder is `compose/`: two environments on one
 * host would share volumes. `<env>_` is also what `-p <env>` gives, so nothing is renamed for
 * anyone who followed the `run` line.
 */
function named(environment: Environment, names: readonly string[]): Record<string, NamedResource> {
  return Object.fromEntries(names.map((name) => [name, { name: `${environment.name}_${name}` }]));
}

/** Points at the model service when the error is inside one Compose service, at the environment otherwise. */
function schemaDiagnostic(environment: Environment, owners: ReadonlyMap<string, Service>, error: string): Diagnostic {
  const service = owners.get(/^\/services\/([^/ ]+)/.exec(error)?.[1] ?? '');
  return {
    code: ComposeCode.COMPOSE_SCHEMA_INVALID,
    severity: 'error',
    file: service ? systemSource(environment, service) : environment.source,
    path: service ? sourcePath(['services', { name: service.name }]) : '',
    message: `the generated ${environment.name}/compose/docker-compose.yml breaks the Compose Specification: ${error}`,
    hint: 'this is a bug in Kiln: please report it with the environment file',
  };
}

/**
 * What the operator puts beside the Compose file, never Kiln: the `.env` with secret values, and
 * the secrets folder when it lies inside the Compose folder. Git ignores both.
 */
export function operatorPaths(folder: string, secretsDir: string): string[] {
  const inside = posix.normalize(posix.join(folder, secretsDir));
  return [`${folder}/.env`, ...(inside.startsWith(`${folder}/`) ? [`${inside}/`] : [])];
}
