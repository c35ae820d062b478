/**
 * Compose has no StatefulSet: a stateful service becomes one Compose service per member, each with
 * a stable name (`<service>-<id>`) that is also its hostname and its entry in the peer list.
 */
import { peerVariables } from '@kiln/model';
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

export function memberName(service: Pick<Service, 'name'>, id: number): string {
  return `${service.name}-${id}`;
}

/**
 * The variables that tell a member who it is and who its peers are: its id, its own service's peer
 * list, and the peer lists of other services it names (`peersOf`), each member by its Compose name.
 */
export function memberEnvironment(service: Service, member: Member, services: readonly Service[]): Record<string, string> {
  // Entries, not assignments: a variable may be named `__proto__`.
  const environment: [string, string][] = [];
  const idEnv = service.stateful?.idEnv;
  if (idEnv !== undefined && member.id !== undefined) environment.push([idEnv, String(member.id)]);
  // Every member listens on the peer port itself; Compose does not remap container ports.
  environment.push(...peerVariables(service, services, memberName));
  return Object.fromEntries(environment);
}
