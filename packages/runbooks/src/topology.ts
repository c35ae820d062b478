/**
 * An environment's topology as a Mermaid `architecture-beta` diagram: a group per system, a service
 * per Kiln service (its port numbers in the label), an edge per pair of services that talk (port
 * names on it, arrows the way connections go), and the Internet in front of the public ports.
 *
 * Why architecture-beta and not a flowchart: the diagram must parse with Mermaid's own parser, and
 * `@mermaid-js/parser` (the Langium grammars Mermaid itself uses) has architecture but no flowchart,
 * which lives in Mermaid's Jison parser inside the full `mermaid` package. The grammar limits labels
 * to letters, digits, `_` and spaces, so names are shown with spaces for `-`; the exact names are in
 * the tables beside the diagram. Ids get a prefix (`svc_`, `sys_`) so no service name can be read
 * as one of the grammar's keywords (`group`, `service`, `in`, `true` …).
 */
import type { Environment, Flow, Port, Service } from '@kiln/model';
import { baseReplicas } from '@kiln/model';

const INTERNET = 'public_internet';
const serviceId = (name: string) => `svc_${name}`;
const groupId = (name: string) => `sys_${name}`;

/** Text the grammar's `[title]` accepts: `[\w ]+`. */
export function diagramLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9_ ]+/g, ' ').replace(/\s+/g, ' ').trim() || '_';
}

const portText = (port: Port) => `${port.name} ${port.port}/${port.protocol}`;

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
  for (const system of environment.systems) {
    for (const service of system.services) {
      const self = system.flows.filter((flow) => flow.from === service.name && flow.to === service.name).map((flow) => flow.port.name);
      const label = [service.name, ...new Set(service.ports.map((port) => String(port.port))), ...(self.length > 0 ? ['peers on', ...self] : [])].join(' ');
      lines.push(`    service ${serviceId(service.name)}(${service.stateful ? 'database' : 'server'})[${diagramLabel(label)}] in ${groupId(system.name)}`);
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
  for (const edge of serviceEdges(environment.systems.flatMap((system) => system.flows))) {
    const [lhs, rhs] = sides(serviceId(edge.a), serviceId(edge.b));
    lines.push(`    ${serviceId(edge.a)}:${lhs} ${edge.toA ? '<' : ''}-[${diagramLabel(edge.ports.join(' '))}]-${edge.toB ? '>' : ''} ${rhs}:${serviceId(edge.b)}`);
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
      system.services.map((service) => ({ name: service.name, system: system.name, kind: instances(service), ports: service.ports.map((port) => `${portText(port)}${port.expose === 'public' ? ' (public)' : ''}`).join(', ') || 'none' })),
    ),
    flows: environment.systems.flatMap((system) => system.flows.map((flow) => ({ from: flow.from, to: flow.to, port: portText(flow.port) }))),
    entryPoints: environment.systems.flatMap((system) => system.services.flatMap((service) => service.ports.filter((p) => p.expose === 'public').map((port) => ({ service: service.name, port: portText(port) })))),
  };
}

function instances(service: Service): string {
  if (service.stateful) return `stateful, members ${service.stateful.ids.join(', ')}`;
  if (service.scaling.kind === 'autoscaled' && service.scaling.maxReplicas > service.scaling.minReplicas) return `autoscaled, ${service.scaling.minReplicas} to ${service.scaling.maxReplicas} replicas`;
  return baseReplicas(service) === 1 ? '1 replica' : `${baseReplicas(service)} replicas`;
}
