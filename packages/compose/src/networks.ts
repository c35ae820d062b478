/**
 * Networks that mirror the declared flows. Every service has a network named after it and joins it
 * (all members of a stateful service share one); a flow from A to B also attaches A to B's network,
 * so A can resolve and reach B, and a service nobody flows to is reachable by no one.
 *
 * Compose cannot restrict ports within a network: a flow opens every port of B to A, not just the
 * flow's port. Flows are enforced per service pair here; per-port policy needs the Kubernetes target.
 */
import { compareText, servicesOf } from '@kiln/model';
import type { Environment } from '@kiln/model';

/** The networks each service (by model name) joins, sorted. */
export function networksByService(environment: Environment): Map<string, string[]> {
  const joined = new Map<string, Set<string>>(servicesOf(environment).map((service) => [service.name, new Set([service.name])]));
  for (const flow of environment.systems.flatMap((system) => system.flows)) {
    // The model's rules check that both ends exist; a flow to a service outside this environment has no network.
    if (joined.has(flow.to)) joined.get(flow.from)?.add(flow.to);
  }
  return new Map([...joined].map(([name, networks]) => [name, [...networks].sort(compareText)]));
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

/** Top-level network names: one per service (a bridge network, Compose's default). */
export function networkNames(environment: Environment): string[] {
  return servicesOf(environment)
    .map((service) => service.name)
    .sort(compareText);
}
