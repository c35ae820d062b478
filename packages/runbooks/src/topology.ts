/**
 * An environment's topology as a Mermaid `architecture-beta` diagram: a group per system, a service
 * per Kiln service (its port numbers in the label), one per endpoint outside the environment, an edge
 * per pair that talk (port names on it, arrows the way connections go), and the Internet in front of
 * the public ports.
 *
 * Why architecture-beta and not a flowchart: the diagram must parse with Mermaid's own parser, and
 * `@mermaid-js/parser` (the Langium grammars Mermaid itself uses) has architecture but no flowchart,
 * which lives in Mermaid's Jison parser inside the full `mermaid` package. The grammar limits labels
 * to letters, digits, `_` and spaces, so names are shown with spaces for `-`; the exact names are in
 * the tables beside the diagram. Ids get a prefix (`svc_`, `sys_`) so no service name can be read
 * as one of the grammar's keywords (`group`, `service`, `in`, `true` …).
 */
import type { Environment, External, Flow, Port, Service } from '@kiln/model';
import { baseReplicas, externalFlowsOf, externalSelection, externalsOf } from '@kiln/model';

const INTERNET = 'public_internet';
const serviceId = (name: string) => `svc_${name}`;
const externalId = (name: string) => `ext_${name}`;
const groupId = (name: string) => `sys_${name}`;

/** Text the grammar's `[title]` accepts: `[\w ]+`. */
export function diagramLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9_ ]+/g, ' ').replace(/\s+/g, ' ').trim() || '_';
}

/** `ws 8082/TCP (TLS, public)`: the port, whether it serves TLS, and any other facts given. */
function portText(port: Port, facts: readonly string[] = []): string {
  const all = [...(port.tls ? ['TLS'] : []), ...facts];
  return `${port.name} ${port.port}/${port.protocol}${all.length > 0 ? ` (${all.join(', ')})` : ''}`;
}

/**
 * Mermaid keeps one neighbour per (own side, other side) pair of a service when it lays the diagram
 * out, so each edge takes a side pair neither end has used yet, straight ones first.
 */
const SIDES = ['RL', 'BT', 'LR', 'TB', 'RT', 'BL', 'LB', 'TR', 'RB', 'BR', 'LT', 'TL'] as const;

export function architectureDiagram(environment: Environment): string {
  const lines = ['architecture-beta'];
  for (const system of environment.systems) lines.push(`    group ${groupId(system.name)}(cloud)[${diagramLabel(system.name)}]`);
  const publicPorts = environment.systems.flatMap((system) => system.services.flatMap((service) => service.ports.filter((p) => p.expose === 'public').map((port) => ({ service, port }))));
  if (publicPorts.length > 0) lines.push(`    service ${INTERNET}(internet)[Internet]`);
  for (const external of externalsOf(environment)) lines.push(`    service ${externalId(external.name)}(internet)[${diagramLabel(external.name)}]`);
  for (const system of environment.systems) {
    for (const service of system.services) {
      const self = system.flows.filter((flow) => flow.from === service.name && flow.to === service.name).map((flow) => flow.port.name);
      const label = [service.name, ...new Set(service.ports.map((port) => String(port.port))), ...(self.length > 0 ? ['peers on', ...self] : [])].join(' ');
      // Members that keep data on volumes of their own are drawn as a store; a stateful service without any (gossip directors) as a server.
      const store = service.database !== undefined || (service.stateful !== undefined && service.volumes.length > 0);
      lines.push(`    service ${serviceId(service.name)}(${store ? 'database' : 'server'})[${diagramLabel(label)}] in ${groupId(system.name)}`);
    }
  }
  const used = new Map<string, Set<string>>();
  const sides = (from: string, to: string): readonly [string, string] => {
    const mine = used.get(from) ?? new Set<string>();
    const theirs = used.get(to) ?? new Set<string>();
    const pair = SIDES.find((p) => !mine.has(p) && !theirs.has(`${p[1]}${p[0]}`)) ?? 'RL';
    used.set(from, mine.add(pair));
    used.set(to, theirs.add(`${pair.charAt(1)}${pair.charAt(0)}`));
    return [pair.charAt(0), pair.charAt(1)] as const;
  };
  for (const [name, ports] of grouped(publicPorts, (p) => p.service.name)) {
    const [lhs, rhs] = sides(INTERNET, serviceId(name));
    lines.push(`    ${INTERNET}:${lhs} -[${diagramLabel(ports.map((p) => `${p.port.name} ${p.port.port}`).join(' '))}]-> ${rhs}:${serviceId(name)}`);
  }
  const externals = new Set(externalsOf(environment).map((external) => external.name));
  const id = (name: string) => (externals.has(name) ? externalId(name) : serviceId(name));
  for (const edge of serviceEdges([...environment.systems.flatMap((system) => system.flows), ...externalFlowsOf(environment)])) {
    const [lhs, rhs] = sides(id(edge.a), id(edge.b));
    lines.push(`    ${id(edge.a)}:${lhs} ${edge.toA ? '<' : ''}-[${diagramLabel(edge.ports.join(' '))}]-${edge.toB ? '>' : ''} ${rhs}:${id(edge.b)}`);
  }
  return lines.join('\n');
}

/** One edge per pair of distinct services, with the ports of both directions. */
function serviceEdges(flows: readonly Flow[]): { a: string; b: string; toA: boolean; toB: boolean; ports: string[] }[] {
  const edges = new Map<string, { a: string; b: string; toA: boolean; toB: boolean; ports: string[] }>();
  for (const flow of flows) {
    if (flow.from === flow.to) continue; // shown as "peers on …" in the service's label
    const key = [flow.from, flow.to].sort().join('\u0000');
    const edge = edges.get(key) ?? { a: flow.from, b: flow.to, toA: false, toB: false, ports: [] };
    if (flow.to === edge.b) edge.toB = true;
    else edge.toA = true;
    const port = `${flow.port.name} ${flow.port.port}`;
    if (!edge.ports.includes(port)) edge.ports.push(port);
    edges.set(key, edge);
  }
  return [...edges.values()];
}

function grouped<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The same facts as the diagram, exactly, for the tables. */
export function topologyTables(environment: Environment) {
  return {
    services: environment.systems.flatMap((system) =>
      system.services.map((service) => ({ name: service.name, system: system.name, kind: instances(service), ports: service.ports.map((port) => portText(port, port.expose === 'public' ? ['public'] : [])).join(', ') || 'none' })),
    ),
    flows: environment.systems.flatMap((system) => system.flows.map((flow) => ({ from: flow.from, to: flow.to, port: portText(flow.port) }))),
    entryPoints: environment.systems.flatMap((system) => system.services.flatMap((service) => service.ports.filter((p) => p.expose === 'public').map((port) => ({ service: service.name, port: entryText(service, port) })))),
    externals: externalsOf(environment).map((external) => ({
      name: external.name,
      where: whereIs(external, environment.targets.kubernetes !== undefined),
      ports: external.ports.map((port) => portText(port)).join(', ') || 'none',
      flows: externalFlowsOf(environment)
        .filter((flow) => flow.from === external.name || flow.to === external.name)
        .map((flow) => `${flow.from} → ${flow.to} ${portText(flow.port)}`)
        .join('; ') || 'none',
    })),
  };
}

/** Where an external is, and on Kubernetes what NetworkPolicies admit of it (egress to it, or ingress from it). */
function whereIs(external: External, kubernetes: boolean): string {
  const where = 'host' in external.address ? external.address.host : external.address.cidr;
  if (!kubernetes) return where;
  const selection = externalSelection(external);
  const admitted = 'block' in selection ? (selection.block === where ? 'this block' : selection.block) : 'namespace' in selection ? `any pod of namespace ${selection.namespace}` : 'any address, since a name cannot be selected';
  return `${where} (NetworkPolicies: ${admitted})`;
}

/** A public port as clients reach it: its host names through the Gateway, which ends TLS, or the port itself, from the source ranges. */
function entryText(service: Service, port: Port): string {
  if (port.hostnames) return `${port.hostnames.map((host) => `${port.appProtocol === 'ws' ? 'wss' : 'https'}://${host}`).join(', ')} through the Gateway, which ends TLS, to ${portText(port)}`;
  return `${portText(port)}${service.sourceRanges ? `, from ${service.sourceRanges.join(', ')} only` : ''}`;
}

function instances(service: Service): string {
  // A managed database runs as many instances as the environment says on Kubernetes, one container elsewhere.
  if (service.database) return service.database.instances === 1 ? 'managed database, 1 instance' : `managed database, ${service.database.instances} instances on Kubernetes`;
  if (service.stateful) return `stateful, members ${service.stateful.ids.join(', ')}`;
  if (service.scaling.kind === 'autoscaled' && service.scaling.maxReplicas > service.scaling.minReplicas) return `autoscaled, ${service.scaling.minReplicas} to ${service.scaling.maxReplicas} replicas`;
  return baseReplicas(service) === 1 ? '1 replica' : `${baseReplicas(service)} replicas`;
}
