/**
 * What a service mounts: persistent volumes as named volumes, one set per member, and its
 * configuration files as read-only bind mounts of the files Kiln writes beside the Compose file.
 * Top-level `configs:` would be the spec's way, but docker-compose 1.29 ignores them outside Swarm
 * and rejects inline `content`.
 */
import { posix } from 'node:path';
import { compareText, configFilesOf } from '@kiln/model';
import type { Service } from '@kiln/model';
import type { Mount } from './compose-file.js';
import { memberName } from './members.js';
import type { Member } from './members.js';

/** Named volumes of one Compose service: `<service>-<volume>`, or `<service>-<id>-<volume>` per member. */
export function namedVolumes(service: Service, member: Member): Mount[] {
  return service.volumes.map((volume) => ({ type: 'volume', source: `${member.name}-${volume.name}`, target: volume.mountPath }));
}

/** The path of a configuration file, relative to the Compose file: a member's own copy under the member's name. */
export function configFilePath(service: Service, file: string, member?: Member): string {
  const own = member?.id !== undefined && Object.hasOwn(service.config?.memberFiles?.[String(member.id)] ?? {}, file);
  return `./config/${own && member ? member.name : service.name}/${file}`;
}

/** The configuration files Kiln writes beside the Compose file for a service: the shared ones, and each member's own. */
export function configFiles(service: Service): { readonly path: string; readonly text: string }[] {
  const shared = Object.entries(service.config?.files ?? {}).map(([file, text]) => ({ path: configFilePath(service, file), text }));
  const own = Object.entries(service.config?.memberFiles ?? {}).flatMap(([id, files]) =>
    Object.entries(files).map(([file, text]) => ({ path: configFilePath(service, file, { name: memberName(service, Number(id)), id: Number(id) }), text })),
  );
  return [...shared, ...own].sort((a, b) => compareText(a.path, b.path));
}

export function mounts(service: Service, member: Member): Mount[] {
  const configs: Mount[] = Object.keys(configFilesOf(service, member.id)).map((file) => ({
    type: 'bind',
    source: configFilePath(service, file, member),
    target: posix.join(service.config?.mountPath ?? '/', file),
    read_only: true,
  }));
  return [...namedVolumes(service, member), ...configs];
}
