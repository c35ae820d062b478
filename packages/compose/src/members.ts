/**
 * Compose has no StatefulSet: a stateful service becomes one Compose service per member, each with
 * a stable name (`<service>-<id>`) that is also its hostname and its entry in the peer list.
 */
import { peerList } from '@kiln/model';
import type { Service } from '@kiln/model';

export interface Member {
  /** The Compose service name. */
  readonly name: string;
  /** The member id, for stateful services only. */
  readonly id?: number;
}

export function membersOf(service: Service): Member[] {
  if (!service.stateful) return [{ name: service.name }];
  return service.stateful.ids.map((id) => ({ name: memberName(service, id), id }));
}

export function memberName(service: Service, id: number): string {
  return `${service.name}-${id}`;
}

/** The variables that tell a member who it is and who its peers are. */
export function memberEnvironment(service: Service, member: Member): Record<string, string> {
  const stateful = service.stateful;
  if (!stateful || member.id === undefined) return {};
  // Entries, not assignments: a variable may be named `__proto__`.
  const environment: [string, string][] = [];
  if (stateful.idEnv !== undefined) environment.push([stateful.idEnv, String(member.id)]);
  const peers = stateful.peers;
  if (peers) {
    // Every member listens on the peer port itself; Compose does not remap container ports.
    const list = peerList(service, (id) => memberName(service, id), () => peers.port.port);
    if (list !== undefined) environment.push([peers.env, list]);
  }
  return Object.fromEntries(environment);
}
