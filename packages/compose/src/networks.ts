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

/** Top-level `networks:`: one per service, with Compose's defaults (a bridge network). */
export function topLevelNetworks(environment: Environment): Record<string, Record<string, never>> {
  const names = servicesOf(environment)
    .map((service) => service.name)
    .sort(compareText);
  return Object.fromEntries(names.map((name) => [name, {}]));
}
