/**
 * Endpoints outside the environment, and the hosts values name. A system declares its externals and
 * the flows to or from them; every environment binds each one to a host or an address block. Every
 * host a value names (a URL, `host:port`, a DSN) must then be a service of the environment, in a
 * form some target resolves, or a bound external, and a flow from the value's service must reach
 * it: with default-deny egress, a connection nobody declared fails at run time.
 */
import { BlockList, isIP } from 'node:net';
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { hostReferences, isOwnAddress } from './host-references.js';
import { externalSelection } from './model.js';
import { hasOwnFiles, memberPodName } from './member-rules.js';
import { suggestName } from './names.js';
import { memberIds } from './normalize.js';
import { own } from './records.js';

type ParsedSystem = ParsedEnvironment['systems'][number];
type ParsedService = ParsedSystem['services'][number];
type ParsedExternal = ParsedSystem['externals'][number];
type Path = (string | number)[];
type Services = ReadonlyMap<string, { readonly service: ParsedService; readonly path: Path }>;

const BIND = "bind it in the environment: externals: { <name>: { host: '…' } }, or { cidr: '…' }";

/** Declarations, bindings, and the flows that have an external at one end. */
export function checkExternals(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [];
  const declared = new Set<string>();
  env.systems.forEach((system, s) => {
    system.externals.forEach((external, x) => {
      const path: Path = ['systems', s, 'externals', x];
      if (services.has(external.name) || declared.has(external.name)) {
        issues.push({ code: ModelCode.DUPLICATE_NAME, path: [...path, 'name'], message: `'${external.name}' names a service or another external endpoint of this environment`, hint: 'flows name both: give the external endpoint a name of its own' });
      }
      declared.add(external.name);
      const binding = own(env.externals, external.name);
      if (!binding) {
        issues.push({
          code: ModelCode.EXTERNAL_NOT_BOUND,
          path: ['externals', external.name],
          message: `system '${system.name}' uses the external endpoint '${external.name}', which environment '${env.name}' does not say where to find`,
          hint: BIND.replace('<name>', external.name),
        });
      } else if ((binding.host === undefined) === (binding.cidr === undefined)) {
        issues.push({ code: ModelCode.INVALID_VALUE, path: ['externals', external.name], message: `external endpoint '${external.name}' needs exactly one of host and cidr`, hint: "e.g. { host: 'db.example.org' } or { cidr: '10.20.0.0/16' }" });
      }
    });
    issues.push(...checkExternalFlows(env, system, s, services));
  });
  for (const name of Object.keys(env.externals)) {
    if (!declared.has(name)) {
      issues.push({
        code: ModelCode.UNKNOWN_EXTERNAL,
        path: ['externals', name],
        message: `no system of environment '${env.name}' declares an external endpoint '${name}'`,
        hint: declared.size > 0 ? `externals: ${[...declared].sort().join(', ')}` : "declare it in the system: externals: [{ name: '…', ports: [{ name: '…', port: … }] }]",
      });
    }
  }
  return issues;
}

function checkExternalFlows(env: ParsedEnvironment, system: ParsedSystem, s: number, services: Services): Issue[] {
  const issues: Issue[] = [];
  const externals = new Map(system.externals.map((external) => [external.name, external]));
  system.flows.forEach((flow, f) => {
    const path: Path = ['systems', s, 'flows', f];
    const to = externals.get(flow.to);
    const from = externals.get(flow.from);
    if (!to && !from) return; // between services: checked with the services
    if (to && from) {
      issues.push({ code: ModelCode.INVALID_VALUE, path, message: `a flow between two external endpoints ('${flow.from}' to '${flow.to}') is nothing this environment runs`, hint: 'one end of a flow is a service of the system' });
      return;
    }
    if (to) {
      if (!to.ports.some((port) => port.name === flow.port)) {
        issues.push({ code: ModelCode.UNKNOWN_PORT, path: [...path, 'port'], message: `external endpoint '${to.name}' has no port '${flow.port}'`, hint: `ports: ${to.ports.map((p) => p.name).join(', ') || "none; declare it: ports: [{ name: '…', port: … }]"}` });
      }
      return;
    }
    const target = services.get(flow.to)?.service;
    if (target && !target.ports.some((port) => port.name === flow.port)) {
      issues.push({ code: ModelCode.UNKNOWN_PORT, path: [...path, 'port'], message: `service '${target.name}' has no port '${flow.port}'`, hint: suggestName(flow.port, target.ports.map((p) => p.name), 'ports') });
    }
    // A NetworkPolicy admits clients by address block or cluster namespace, never by a DNS name.
    const host = own(env.externals, flow.from)?.host;
    if (env.targets.kubernetes && host !== undefined && 'anywhere' in externalSelection({ address: { host } })) {
      issues.push({
        code: ModelCode.INVALID_VALUE,
        path: ['externals', flow.from],
        message: `external endpoint '${flow.from}' calls '${flow.to}', but a NetworkPolicy admits clients by address or cluster namespace, and '${host}' is neither`,
        hint: "bind its clients by address ({ cidr: '10.20.0.0/16' }, { host: '<an IP address>' }) or, inside the cluster, by a Service name in their namespace ('<name>.<namespace>.svc')",
      });
    }
  });
  return issues;
}

/** Every host named in a plain env value, argument or configuration file resolves, and a flow reaches it. */
export function checkHostReferences(env: ParsedEnvironment, services: Services): Issue[] {
  const hosts = hostTable(env, services);
  const reach = reachable(env, services);
  const issues: Issue[] = [];
  for (const { service, path } of services.values()) {
    const check = (text: string, where: string, at: Path): void => {
      const seen = new Set<string>();
      for (const reference of hostReferences(text)) {
        const key = `${reference.host}:${reference.port ?? ''}`;
        if (seen.has(key) || isOwnAddress(reference.host)) continue;
        seen.add(key);
        const issue = resolveReference(env, service.name, reference, hosts, reach, where);
        if (issue) issues.push({ ...issue, path: at });
      }
    };
    // What the service runs with here: the environment's values where it gives them, else the system's.
    const override = own(env.overrides, service.name);
    const overridePath: Path = ['overrides', service.name];
    const env_ = override?.env ?? {};
    for (const [name, value] of Object.entries(service.env)) {
      if (!Object.hasOwn(env_, name) && typeof value === 'string') check(value, `'${name}' of '${service.name}'`, [...path, 'env', name]);
    }
    for (const [name, value] of Object.entries(env_)) {
      if (typeof value === 'string') check(value, `'${name}' of '${service.name}'`, [...overridePath, 'env', name]);
    }
    const args = override?.args === undefined ? { list: service.args, at: path } : { list: override.args, at: overridePath };
    for (const [field, list, at] of [['command', service.command, path], ['args', args.list, args.at]] as const) {
      list?.forEach((arg, i) => {
        if (typeof arg === 'string') check(arg, `argument ${i} of the ${field} of '${service.name}'`, [...at, field, i]);
      });
    }
    const files = [
      ...Object.entries(service.config?.files ?? {}).filter(([file]) => !Object.hasOwn(override?.configFiles ?? {}, file)).map(([file, text]) => ({ file, text, at: [...path, 'config', 'files', file] })),
      ...Object.entries(override?.configFiles ?? {}).map(([file, text]) => ({ file, text, at: [...overridePath, 'configFiles', file] })),
    ];
    for (const { file, text, at } of files) {
      if (typeof text !== 'string') continue;
      text.split('\n').forEach((line, l) => check(line, `configuration file '${file}' of '${service.name}' (line ${l + 1})`, at));
    }
  }
  return issues;
}

/** Names of the environment's services and externals by the hosts that reach them; blocks for externals bound by address. */
interface HostTable {
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
  readonly blocks: readonly { readonly external: string; readonly list: BlockList }[];
}

/**
 * Every host a service answers to on some target: its name (Compose, Kubernetes), its Kubernetes
 * Services in every DNS form, its members (`<name>-<id>` on Compose, `<pod>.<name>-headless…` on
 * Kubernetes), the machines it runs on; and every external's bound host.
 */
function hostTable(env: ParsedEnvironment, services: Services): HostTable {
  const names = new Map<string, Set<string>>();
  const add = (host: string, name: string) => names.set(host.toLowerCase(), (names.get(host.toLowerCase()) ?? new Set()).add(name));
  const kubernetes = env.targets.kubernetes;
  const namespace = kubernetes?.namespace ?? env.name;
  const inCluster = (host: string, name: string) => {
    for (const suffix of ['', `.${namespace}`, `.${namespace}.svc`, `.${namespace}.svc.cluster.local`]) add(`${host}${suffix}`, name);
  };
  for (const { service } of services.values()) {
    add(service.name, service.name);
    const members = own(env.overrides, service.name)?.members;
    const ids = service.stateful ? memberIds({ members: members ?? service.stateful.members, firstId: service.stateful.firstId }) : [];
    if (env.targets.compose) for (const id of ids) add(`${service.name}-${id}`, service.name);
    if (!kubernetes) continue;
    const headless = `${service.name}-headless`;
    inCluster(service.name, service.name);
    if (service.ports.some((port) => port.expose === 'public')) inCluster(`${service.name}-public`, service.name);
    if (service.stateful || service.volumes.length > 0) inCluster(headless, service.name);
    for (const id of ids) inCluster(`${memberPodName(service.name, id, hasOwnFiles(service))}.${headless}`, service.name);
  }
  for (const machine of env.targets.hosts?.machines ?? []) {
    for (const name of machine.services) {
      add(machine.name, name);
      add(machine.address, name);
    }
  }
  const blocks: { external: string; list: BlockList }[] = [];
  for (const [name, binding] of Object.entries(env.externals)) {
    if (binding.host !== undefined) add(binding.host.replace(/\.$/, ''), name);
    const [address = '', bits] = binding.cidr?.split('/') ?? [];
    const family = isIP(address);
    if (family !== 0) {
      const list = new BlockList();
      list.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      blocks.push({ external: name, list });
    }
  }
  return { names, blocks };
}

/** Per calling service, what its flows reach: callee (service or external) → port numbers. */
function reachable(env: ParsedEnvironment, services: Services): Map<string, Map<string, Set<number>>> {
  const ports = new Map<string, readonly { name: string; port: number }[]>([
    ...[...services].map(([name, { service }]) => [name, service.ports] as const),
    ...env.systems.flatMap((system) => system.externals.map((external: ParsedExternal) => [external.name, external.ports] as const)),
  ]);
  const reach = new Map<string, Map<string, Set<number>>>();
  for (const flow of env.systems.flatMap((system) => system.flows)) {
    const port = ports.get(flow.to)?.find((p) => p.name === flow.port)?.port;
    if (port === undefined) continue;
    const callees = reach.get(flow.from) ?? new Map<string, Set<number>>();
    callees.set(flow.to, (callees.get(flow.to) ?? new Set()).add(port));
    reach.set(flow.from, callees);
  }
  return reach;
}

function resolveReference(
  env: ParsedEnvironment,
  caller: string,
  reference: { readonly host: string; readonly port?: number },
  hosts: HostTable,
  reach: Map<string, Map<string, Set<number>>>,
  where: string,
): Omit<Issue, 'path'> | undefined {
  const { host, port } = reference;
  const family = isIP(host);
  const callees = [...(hosts.names.get(host) ?? []), ...(family === 0 ? [] : hosts.blocks.filter((b) => b.list.check(host, family === 6 ? 'ipv6' : 'ipv4')).map((b) => b.external))];
  if (callees.length === 0) {
    return {
      code: ModelCode.UNKNOWN_HOST,
      message: `${where} names host '${host}', which is neither a service of environment '${env.name}' nor an external endpoint it binds`,
      hint: `for a service, use its name; for an endpoint outside the environment, declare it in the system (externals: [{ name: '…', ports: [{ name: '…', port: ${port ?? '…'} }] }], with a flow from '${caller}' to it) and bind it here (externals: { <name>: { host: '${host}' } }); if the value names no host to reach, write it as plain('…', { reason: '…' })`,
    };
  }
  // A service naming itself advertises its own address; it calls no one.
  if (callees.includes(caller)) return undefined;
  const reaches = (callee: string) => {
    const ports = reach.get(caller)?.get(callee);
    return ports !== undefined && (port === undefined || ports.has(port));
  };
  if (callees.some(reaches)) return undefined;
  const callee = callees[0] ?? host;
  return {
    code: ModelCode.HOST_WITHOUT_FLOW,
    message: `${where} names '${host}'${port === undefined ? '' : ` port ${port}`} (${callee}), but no flow from '${caller}' to '${callee}'${port === undefined ? '' : ' on that port'} is declared: NetworkPolicies and Compose networks let only declared flows through`,
    hint: `add a flow { from: '${caller}', to: '${callee}', port: '<port name>' } to the system's flows`,
  };
}
