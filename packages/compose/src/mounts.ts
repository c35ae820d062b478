/**
 * What a service mounts: persistent volumes as named volumes, one set per member, and its
 * configuration files as read-only bind mounts of the files Kiln writes beside the Compose file.
 * Top-level `configs:` would be the spec's way, but docker-compose 1.29 ignores them outside Swarm
 * and rejects inline `content`.
 */
import { posix } from 'node:path';
import { compareText } from '@kiln/model';
import type { Service } from '@kiln/model';
import type { Mount } from './compose-file.js';
import type { Member } from './members.js';

/** Named volumes of one Compose service: `<service>-<volume>`, or `<service>-<id>-<volume>` per member. */
export function namedVolumes(service: Service, member: Member): Mount[] {
  return service.volumes.map((volume) => ({ type: 'volume', source: `${member.name}-${volume.name}`, target: volume.mountPath }));
}

/** The path of a configuration file, relative to the Compose file. */
export function configFilePath(service: Service, file: string): string {
  return `./config/${service.name}/${file}`;
}

export function mounts(service: Service, member: Member): Mount[] {
  const files = Object.keys(service.config?.files ?? {}).sort(compareText);
  const configs: Mount[] = files.map((file) => ({
    type: 'bind',
    source: configFilePath(service, file),
    target: posix.join(service.config?.mountPath ?? '/', file),
    read_only: true,
  }));
  return [...namedVolumes(service, member), ...configs];
}
