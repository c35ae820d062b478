/**
 * Networks that admit exactly the declared flows. Compose has no policy inside a network: containers
 * on one network reach each other on every port, both ways. So each pair of services with a flow
 * between them gets a network of its own that nothing else joins, `<client>.<server>` (one network
 * when flows go both ways, named in code-point order). Two clients of one server then share no
 * network, as they would if clients joined the server's network.
 *
 * The containers of one service (members of a stateful one, replicas) join every network of their
 * service and reach each other there. A service gets a network named after itself when it has a flow
 * to itself, or no other network: Compose would put it on the project's `default` network, shared
 * with every other service left without one.
 *
 * A `.` cannot occur in a service name (a DNS-1123 label), so a pair's network never takes the name
 * of a service's or of another pair's. Ports and directions are not enforced here: that needs the
 * Kubernetes target's NetworkPolicies.
 */
import { compareText } from '@kiln/model';
import type { Environment } from '@kiln/model';

/** A declared connection between two Compose services by model name: a flow, or a monitoring link. */
export interface Link {
  readonly client: string;
  readonly server: string;
}

/** The environment's flows as links. */
export function flowLinks(environment: Environment): Link[] {
  return environment.systems.flatMap((system) => system.flows.map((flow) => ({ client: flow.from, server: flow.to })));
}

/**
 * The networks each service joins, sorted, for the given services (model services and Kiln's
 * monitoring ones) and links. A link whose end is not among the services has no network.
 */
export function networksByService(services: readonly string[], links: readonly Link[]): Map<string, string[]> {
  const joined = new Map(services.map((name) => [name, new Set<string>()]));
  const pairs = new Map<string, string>();
  for (const { client, server } of links) {
    if (!joined.has(client) || !joined.has(server)) continue;
    if (client === server) {
      joined.get(client)?.add(client);
      continue;
    }
    const sorted = [client, server].sort(compareText).join('.');
    const name = `${client}.${server}`;
    const known = pairs.get(sorted);
    pairs.set(sorted, known === undefined || known === name ? name : sorted);
  }
  for (const name of pairs.values()) for (const end of name.split('.')) joined.get(end)?.add(name);
  for (const [name, networks] of joined) if (networks.size === 0) networks.add(name);
  return new Map([...joined].map(([name, networks]) => [name, [...networks].sort(compareText)]));
}

/** Top-level network names: every network some service joins (a bridge network, Compose's default). */
export function networkNames(networks: ReadonlyMap<string, readonly string[]>): string[] {
  return [...new Set([...networks.values()].flat())].sort(compareText);
}

/**
 * A member's `networks:` in long form. Members are Compose services `<service>-<id>`, but clients
 * connect to `<service>:<port>` as on Kubernetes, and Docker's DNS answers only service names and
 * aliases: each member answers to the model service's name on every network it joins, so the name
 * resolves to all members, round-robin.
 */
export function memberNetworks(networks: readonly string[], service: string): Record<string, { aliases: string[] }> {
  return Object.fromEntries(networks.map((network) => [network, { aliases: [service] }]));
}
