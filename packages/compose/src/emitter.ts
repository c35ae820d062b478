/**
 * The Compose emitter: an environment with a `compose` target becomes one docker-compose.yml (the
 * Compose Specification, readable by docker-compose 1.29 and Compose v2) plus the configuration
 * files it bind-mounts. The document is validated against the spec's schema before it is returned.
 */
import { compareText, servicesOf, systemSource } from '@kiln/model';
import type { Diagnostic, Environment, Service } from '@kiln/model';
import type { EmitResult, Emitter, Output } from '@kiln/core';
import { ComposeCode } from './codes.js';
import type { ComposeFile, ComposeService } from './compose-file.js';
import { environmentDiagnostics } from './environment.js';
import { hasHealthcheck } from './healthcheck.js';
import { membersOf } from './members.js';
import { configFilePath } from './mounts.js';
import { networksByService, topLevelNetworks } from './networks.js';
import { hostPortDiagnostics } from './ports.js';
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
  const context: ServiceContext = {
    members: new Map(services.map((service) => [service.name, membersOf(service)])),
    healthy: new Set(services.filter(hasHealthcheck).map((service) => service.name)),
    networks: networksByService(environment),
  };

  const diagnostics: Diagnostic[] = [...hostPortDiagnostics(environment, services, source)];
  const composeServices: [string, ComposeService][] = [];
  for (const service of services) {
    const { sysctls, diagnostics: dropped } = containerSysctls(service, source(service));
    diagnostics.push(...dropped, ...environmentDiagnostics(service, source(service)));
    for (const member of context.members.get(service.name) ?? []) composeServices.push([member.name, composeService(service, member, context, sysctls)]);
  }
  diagnostics.push(...nameConflicts(environment, composeServices));

  const volumes = [...new Set(composeServices.flatMap(([, s]) => (s.volumes ?? []).flatMap((m) => (m.type === 'volume' ? [m.source] : []))))].sort(compareText);
  const secrets = topLevelSecrets(environment, target.secretsDir);
  const networks = topLevelNetworks(environment);
  const document: ComposeFile = {
    'x-kiln': { project: environment.name, run: `docker compose -p ${environment.name} -f docker-compose.yml up -d` },
    services: Object.fromEntries(composeServices),
    ...(Object.keys(networks).length > 0 && { networks }),
    ...(volumes.length > 0 && { volumes: Object.fromEntries(volumes.map((name) => [name, {}])) }),
    ...(Object.keys(secrets).length > 0 && { secrets }),
  };
  diagnostics.push(...validateCompose(document).map((error) => schemaDiagnostic(environment, error)));

  const folder = `${environment.name}/compose`;
  const outputs: Output[] = [{ path: `${folder}/docker-compose.yml`, format: 'yaml', data: document }];
  for (const service of services) {
    for (const [file, text] of Object.entries(service.config?.files ?? {}).sort(([a], [b]) => compareText(a, b))) {
      outputs.push({ path: `${folder}/${configFilePath(service, file).slice('./'.length)}`, format: 'raw', text });
    }
  }
  return { outputs, diagnostics };
}

/**
 * Member names (`db-0`) and volume names (`<service>-<volume>`) are made up here, so they can meet a
 * name that already exists: two containers would then be one, or share one disk.
 */
function nameConflicts(environment: Environment, services: readonly (readonly [string, ComposeService])[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const conflict = (message: string): Diagnostic => ({
    code: ComposeCode.COMPOSE_NAME_CONFLICT,
    severity: 'error',
    file: environment.source,
    path: '',
    message,
    hint: 'rename one of the services (or volumes): Compose names members `<service>-<id>` and volumes `<service>-<volume>`',
  });
  const serviceNames = new Set<string>();
  const volumeOwners = new Map<string, string>();
  for (const [name, service] of services) {
    if (serviceNames.has(name)) diagnostics.push(conflict(`two Compose services would be named '${name}'`));
    serviceNames.add(name);
    for (const mount of service.volumes ?? []) {
      if (mount.type !== 'volume') continue;
      const owner = volumeOwners.get(mount.source);
      if (owner !== undefined && owner !== name) diagnostics.push(conflict(`Compose services '${owner}' and '${name}' would share volume '${mount.source}'`));
      volumeOwners.set(mount.source, name);
    }
  }
  return diagnostics;
}

function schemaDiagnostic(environment: Environment, error: string): Diagnostic {
  return {
    code: ComposeCode.COMPOSE_SCHEMA_INVALID,
    severity: 'error',
    file: environment.source,
    path: '',
    message: `the generated ${environment.name}/compose/docker-compose.yml breaks the Compose Specification: ${error}`,
    hint: 'this is a bug in Kiln: please report it with the environment file',
  };
}
