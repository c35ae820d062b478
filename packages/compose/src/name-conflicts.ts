/**
 * Member names (`db-0`) and volume names (`<service>-<volume>`) are made up here, so they can meet a
 * name that already exists: two containers would then be one, or share one disk.
 */
import { sourcePath } from '@kiln/core';
import { systemSource } from '@kiln/model';
import type { Diagnostic, Environment, Service } from '@kiln/model';
import { ComposeCode } from './codes.js';
import type { Member } from './members.js';
import { namedVolumes } from './mounts.js';

/** One Compose service and the model service (and member) it comes from. */
export interface Emitted {
  readonly service: Service;
  readonly member: Member;
}

/** Each error points at the service (or volume) that meets a name already taken, in its system file. */
export function nameConflicts(environment: Environment, emitted: readonly Emitted[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const conflict = (service: Service, path: string, message: string): Diagnostic => ({
    code: ComposeCode.COMPOSE_NAME_CONFLICT,
    severity: 'error',
    file: systemSource(environment, service),
    path,
    message,
    hint: 'rename one of the services (or volumes): Compose names members `<service>-<id>` and volumes `<service>-<volume>`',
  });
  const serviceNames = new Set<string>();
  const volumeOwners = new Map<string, string>();
  for (const { service, member } of emitted) {
    const at = sourcePath(['services', { name: service.name }]);
    if (serviceNames.has(member.name)) diagnostics.push(conflict(service, at, `two Compose services would be named '${member.name}'`));
    serviceNames.add(member.name);
    // namedVolumes keeps the order of service.volumes.
    namedVolumes(service, member).forEach((mount, index) => {
      const owner = volumeOwners.get(mount.source);
      volumeOwners.set(mount.source, member.name);
      if (owner === undefined || owner === member.name) return;
      const path = sourcePath(['services', { name: service.name }, 'volumes', { name: service.volumes[index]?.name ?? '' }]);
      diagnostics.push(conflict(service, path, `Compose services '${owner}' and '${member.name}' would share volume '${mount.source}'`));
    });
  }
  return diagnostics;
}

/** Prometheus and Alertmanager are Compose services of Kiln's: a service of the same name would be replaced. */
export function monitoringConflicts(environment: Environment, emitted: readonly Emitted[], names: readonly string[]): Diagnostic[] {
  return emitted
    .filter(({ member }) => names.includes(member.name))
    .map(({ service, member }) => ({
      code: ComposeCode.COMPOSE_NAME_CONFLICT,
      severity: 'error' as const,
      file: systemSource(environment, service),
      path: sourcePath(['services', { name: service.name }, 'name']),
      message: `'${member.name}' is the Compose service Kiln runs for monitoring this environment`,
      hint: `rename the service, e.g. '${member.name}-app'`,
    }));
}
