/**
 * Cross-reference rules over a schema-valid environment: what zod cannot see field by field.
 * Paths point into the input, so a diagnostic lands on the line the author must change.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { checkConfigSize, checkDependencyCycles, checkExpansion, checkKilnVariables, checkMounts } from './container-rules.js';
import { checkExternals, checkHostReferences } from './external-rules.js';
import { checkDatabases } from './database-rules.js';
import { checkLifecycle } from './lifecycle-rules.js';
import { checkBesuChain } from './besu-rules.js';
import { checkMembers, memberIdsIn } from './member-rules.js';
import { checkMonitoring } from './monitoring-rules.js';
import { suggestName } from './names.js';
import { own } from './records.js';
import { checkSecrets } from './secret-detector.js';
import { serviceSchema } from './service.js';
import { checkTls } from './tls-rules.js';
import { sysctlInfo, validateSysctlValue } from './sysctl-knowledge/index.js';
import { compareQuantities, parseQuantity } from './quantity.js';
import { isKnownUlimit, ULIMITS } from './tuning/ulimits.js';

type ParsedSystem = ParsedEnvironment['systems'][number];
type ParsedService = ParsedSystem['services'][number];
type Path = (string | number)[];

export function checkEnvironment(env: ParsedEnvironment): Issue[] {
  const issues: Issue[] = [];
  const services = new Map<string, { service: ParsedService; path: Path }>();

  const systemNames = new Set<string>();
  env.systems.forEach((system, s) => {
    if (systemNames.has(system.name)) {
      issues.push({ code: ModelCode.DUPLICATE_SYSTEM, path: ['systems', s, 'name'], message: `system '${system.name}' is listed twice`, hint: 'list each system once' });
    }
    systemNames.add(system.name);
    system.services.forEach((service, i) => {
      const path: Path = ['systems', s, 'services', i];
      const nameIssue = checkObjectName(service);
      if (nameIssue) issues.push({ ...nameIssue, path: [...path, 'name'] });
      const seen = services.get(service.name);
      if (seen) {
        issues.push({
          code: ModelCode.DUPLICATE_SERVICE,
          path: [...path, 'name'],
          message: `service '${service.name}' is defined twice in environment '${env.name}'`,
          hint: 'service names become object names in one namespace: rename one of them',
        });
        return;
      }
      services.set(service.name, { service, path });
    });
  });

  for (const { service, path } of services.values()) {
    issues.push(...checkService(service, path));
    const override = own(env.overrides, service.name);
    issues.push(...checkKilnVariables(service, path, override, ['overrides', service.name]), ...checkExpansion(service, path, override, ['overrides', service.name]));
    if (env.targets.kubernetes) issues.push(...checkConfigSize(service, path));
  }
  issues.push(...checkDependencyCycles(services), ...checkSecrets(env), ...checkLifecycle(env, services), ...checkTls(env, services));

  env.systems.forEach((system, s) => {
    const externals = system.externals.map((external) => external.name);
    system.flows.forEach((flow, f) => {
      const path: Path = ['systems', s, 'flows', f];
      // A flow to or from one of the system's external endpoints is checked with them (external-rules.ts).
      if (externals.includes(flow.from) || externals.includes(flow.to)) return;
      for (const end of ['from', 'to'] as const) {
        if (!services.has(flow[end])) {
          const issue = unknownService(flow[end], [...path, end], services);
          issues.push(externals.length > 0 ? { ...issue, hint: suggestName(flow[end], [...services.keys(), ...externals], 'services and externals') } : issue);
        }
      }
      const target = services.get(flow.to)?.service;
      if (target && !target.ports.some((port) => port.name === flow.port)) {
        issues.push(unknownPort(flow.port, target, [...path, 'port']));
      }
    });
  });

  for (const { service, path } of services.values()) {
    service.dependsOn.forEach((name, d) => {
      if (!services.has(name)) issues.push(unknownService(name, [...path, 'dependsOn', d], services));
    });
  }

  for (const [name, override] of Object.entries(env.overrides)) {
    const path: Path = ['overrides', name];
    const entry = services.get(name);
    if (!entry) {
      issues.push(unknownService(name, path, services));
      continue;
    }
    const { service } = entry;
    if (override.replicas !== undefined && (service.autoscaling || service.stateful)) {
      issues.push({
        code: ModelCode.REPLICAS_CONFLICT,
        path: [...path, 'replicas'],
        message: `service '${name}' is ${service.stateful ? 'stateful' : 'autoscaled'}; a fixed replica count does not apply`,
        hint: service.stateful ? 'override members instead' : 'override autoscaling.minReplicas and maxReplicas instead',
      });
    }
    if (override.autoscaling && !service.autoscaling) {
      issues.push({ code: ModelCode.REPLICAS_CONFLICT, path: [...path, 'autoscaling'], message: `service '${name}' does not autoscale`, hint: 'override replicas instead' });
    }
    for (const volume of Object.keys(override.volumeSizes ?? {})) {
      if (!service.volumes.some((v) => v.name === volume)) {
        issues.push({ code: ModelCode.INVALID_VALUE, path: [...path, 'volumeSizes', volume], message: `service '${name}' has no volume '${volume}'`, hint: `volumes: ${service.volumes.map((v) => v.name).join(', ') || 'none'}` });
      }
    }
    const min = override.autoscaling?.minReplicas ?? service.autoscaling?.minReplicas;
    const max = override.autoscaling?.maxReplicas ?? service.autoscaling?.maxReplicas;
    if (override.autoscaling && min !== undefined && max !== undefined && min > max) {
      issues.push({ code: ModelCode.AUTOSCALING_RANGE, path: [...path, 'autoscaling'], message: `minReplicas ${min} is above maxReplicas ${max}`, hint: 'raise maxReplicas or lower minReplicas' });
    }
    const resources = { requests: { ...service.resources?.requests, ...override.resources?.requests }, limits: { ...service.resources?.limits, ...override.resources?.limits } };
    if (override.resources) issues.push(...checkLimits(resources, [...path, 'resources']));
    const pools = env.targets.kubernetes?.nodePools ?? [];
    if (override.nodePool !== undefined && !pools.some((pool) => pool.name === override.nodePool)) {
      issues.push({
        code: ModelCode.UNKNOWN_NODE_POOL,
        path: [...path, 'nodePool'],
        message: `'${name}' is to run on node pool '${override.nodePool}', which targets.kubernetes.nodePools does not declare`,
        hint: pools.length > 0 ? suggestName(override.nodePool, pools.map((pool) => pool.name), 'pools') : 'declare the pool under targets.kubernetes.nodePools',
      });
    }
  }

  issues.push(...checkExternals(env, services), ...checkHostReferences(env, services));
  issues.push(...checkDatabases(env, services));
  issues.push(...checkMembers(env, services), ...checkBesuChain(env, services));
  issues.push(...checkImages(env, services));
  issues.push(...checkTargets(env, services));
  issues.push(...checkMonitoring(env, new Set(services.keys())));
  return issues;
}

/**
 * With schema errors elsewhere in the input, the rules that see one service alone still run over
 * each service that parses on its own: every mistake is reported in one run, not stage by stage.
 */
export function checkParsedServices(input: unknown): Issue[] {
  const issues: Issue[] = [];
  const systems = typeof input === 'object' && input !== null ? (input as { systems?: unknown }).systems : undefined;
  if (!Array.isArray(systems)) return issues;
  systems.forEach((system: unknown, s) => {
    const services = typeof system === 'object' && system !== null ? (system as { services?: unknown }).services : undefined;
    if (!Array.isArray(services)) return;
    services.forEach((input: unknown, i) => {
      const parsed = serviceSchema.safeParse(input);
      if (!parsed.success) return;
      const path: Path = ['systems', s, 'services', i];
      const nameIssue = checkObjectName(parsed.data);
      if (nameIssue) issues.push({ ...nameIssue, path: [...path, 'name'] });
      issues.push(...checkService(parsed.data, path), ...checkSecrets(parsed.data, path));
    });
  });
  return issues;
}

function checkService(service: ParsedService, path: Path): Issue[] {
  const issues: Issue[] = [];
  const portNames = new Set<string>();
  const bound = new Map<string, string>();
  service.ports.forEach((port, p) => {
    if (portNames.has(port.name)) {
      issues.push({ code: ModelCode.DUPLICATE_PORT_NAME, path: [...path, 'ports', p, 'name'], message: `port name '${port.name}' is used twice in service '${service.name}'`, hint: 'give each port its own name' });
    }
    portNames.add(port.name);
    const key = `${port.port}/${port.protocol}`;
    const other = bound.get(key);
    if (other !== undefined) {
      issues.push({ code: ModelCode.PORT_CONFLICT, path: [...path, 'ports', p, 'port'], message: `port ${key} is already taken by '${other}' in service '${service.name}'`, hint: 'choose another port number' });
    }
    bound.set(key, port.name);
  });

  const probes = service.probes ?? {};
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = probes[kind];
    if (!probe) continue;
    const probePath: Path = [...path, 'probes', kind];
    const actions = [probe.http, probe.tcp, probe.exec].filter((action) => action !== undefined);
    if (actions.length !== 1) {
      issues.push({ code: ModelCode.PROBE_ACTION, path: probePath, message: `a probe needs exactly one of http, tcp or exec; this one has ${actions.length}`, hint: 'keep one action' });
    }
    if (kind !== 'readiness' && probe.successThreshold !== 1) {
      issues.push({
        code: ModelCode.INVALID_VALUE,
        path: [...probePath, 'successThreshold'],
        message: `a ${kind} probe's successThreshold must be 1; the API server rejects anything else`,
        hint: 'remove successThreshold, or move the check to the readiness probe',
      });
    }
    const port = probe.http?.port ?? probe.tcp?.port;
    if (port !== undefined && !service.ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port) && p.protocol === 'TCP')) {
      issues.push({
        code: ModelCode.UNKNOWN_PORT,
        path: [...probePath, probe.http ? 'http' : 'tcp', 'port'],
        message: `probe port '${port}' is not a TCP port of service '${service.name}'`,
        hint: `declare it under ports, or use one of: ${service.ports.filter((p) => p.protocol === 'TCP').map((p) => p.name).join(', ') || 'none'}`,
      });
    }
  }

  if (service.metrics && !service.ports.some((p) => p.name === service.metrics?.port)) {
    issues.push(unknownPort(service.metrics.port, service, [...path, 'metrics', 'port']));
  }
  const peers = service.stateful?.peers;
  if (peers && !service.ports.some((p) => p.name === peers.port)) {
    issues.push(unknownPort(peers.port, service, [...path, 'stateful', 'peers', 'port']));
  }

  const shapes = [service.replicas !== undefined && 'replicas', service.autoscaling && 'autoscaling', service.stateful && 'stateful'].filter(Boolean);
  if (shapes.length > 1) {
    issues.push({ code: ModelCode.REPLICAS_CONFLICT, path, message: `service '${service.name}' sets ${shapes.join(' and ')}; they exclude each other`, hint: 'keep one way of counting replicas' });
  }
  if (service.autoscaling && service.autoscaling.minReplicas > service.autoscaling.maxReplicas) {
    issues.push({ code: ModelCode.AUTOSCALING_RANGE, path: [...path, 'autoscaling'], message: `minReplicas ${service.autoscaling.minReplicas} is above maxReplicas ${service.autoscaling.maxReplicas}`, hint: 'raise maxReplicas or lower minReplicas' });
  }
  if (service.autoscaling && service.autoscaling.cpuUtilization === undefined && service.autoscaling.podsMetrics.length === 0) {
    issues.push({ code: ModelCode.INVALID_VALUE, path: [...path, 'autoscaling'], message: 'autoscaling needs a target', hint: 'set cpuUtilization or podsMetrics' });
  }

  issues.push(...checkLimits({ requests: service.resources?.requests ?? {}, limits: service.resources?.limits ?? {} }, [...path, 'resources']));
  issues.push(...checkTuning(service, [...path, 'tuning']));
  issues.push(...checkMounts(service, path));
  return issues;
}

/** Sysctls against the knowledge base; ulimits soft ≤ hard. */
function checkTuning(service: ParsedService, path: Path): Issue[] {
  const issues: Issue[] = [];
  for (const [key, need] of Object.entries(service.tuning?.sysctls ?? {})) {
    const value = String(typeof need === 'object' ? need.value : need);
    const unlisted = typeof need === 'object' && need.unlisted;
    if (!sysctlInfo(key)) {
      if (!unlisted) {
        issues.push({
          code: ModelCode.UNKNOWN_SYSCTL,
          path: [...path, 'sysctls', key],
          message: `'${key}' is not a sysctl Kiln knows, so it cannot tell where it takes effect`,
          hint: `check the spelling; if it is right, declare it: { value: '${value}', reason: '…', unlisted: true } (Kiln then sets it on the host)`,
        });
      }
      continue;
    }
    const problem = validateSysctlValue(key, value);
    if (problem) issues.push({ code: ModelCode.INVALID_SYSCTL_VALUE, path: [...path, 'sysctls', key], message: problem.message, ...(problem.hint === undefined ? {} : { hint: problem.hint }) });
  }
  for (const [name, limit] of Object.entries(service.tuning?.ulimits ?? {})) {
    if (!isKnownUlimit(name)) {
      issues.push({
        code: ModelCode.UNKNOWN_ULIMIT,
        path: [...path, 'ulimits', name],
        message: `'${name}' is not a resource limit systemd, pam_limits or Docker know`,
        hint: `use one of: ${Object.keys(ULIMITS).join(', ')}`,
      });
      continue;
    }
    if (typeof limit === 'object' && limit.soft > limit.hard) {
      issues.push({ code: ModelCode.INVALID_VALUE, path: [...path, 'ulimits', name, 'soft'], message: `the soft ${name} limit ${limit.soft} is above the hard limit ${limit.hard}; no process can raise its soft limit past the hard one`, hint: `lower soft to at most ${limit.hard}, or raise hard` });
    }
  }
  return issues;
}

type Compute = { cpu?: string | undefined; memory?: string | undefined; ephemeralStorage?: string | undefined } | undefined;

/**
 * A service name becomes a Service name (DNS-1035: it must start with a letter) and the prefix of
 * derived names: `<name>-headless` and `<name>-public` must stay within 63 characters, and a
 * StatefulSet's name within 52, because its pods carry a `controller-revision-hash` label of the
 * name plus 11 characters.
 */
function checkObjectName(service: ParsedService): Omit<Issue, 'path'> | undefined {
  const statefulSet = service.stateful !== undefined || service.volumes.length > 0;
  const max = statefulSet ? 52 : service.ports.some((p) => p.expose === 'public') ? 56 : 63;
  if (!/^[a-z]/.test(service.name)) {
    return { code: ModelCode.INVALID_NAME, message: `service name '${service.name}' must start with a letter: it names a Kubernetes Service (DNS-1035)`, hint: `use 's-${service.name}' or another name starting with a letter` };
  }
  if (service.name.length > max) {
    const why = statefulSet ? 'a StatefulSet name (its pods carry a revision label 11 characters longer)' : "the prefix of '<name>-public'";
    return { code: ModelCode.INVALID_NAME, message: `service name '${service.name}' has ${service.name.length} characters; as ${why} it may have at most ${max}`, hint: `shorten it to ${max} characters or fewer` };
  }
  return undefined;
}

function checkLimits(resources: { requests?: Compute; limits?: Compute }, path: Path): Issue[] {
  const issues: Issue[] = [];
  for (const resource of ['cpu', 'memory', 'ephemeralStorage'] as const) {
    const request = resources.requests?.[resource];
    const limit = resources.limits?.[resource];
    if (request === undefined || limit === undefined) continue;
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (r && l && compareQuantities(l, r) < 0) {
      issues.push({
        code: ModelCode.LIMIT_BELOW_REQUEST,
        path: [...path, 'limits', resource],
        message: `${resource} limit ${limit} is below its request ${request}; the API server rejects the pod`,
        hint: `raise the limit to at least '${request}' or lower the request`,
      });
    }
  }
  return issues;
}


function checkImages(env: ParsedEnvironment, services: Map<string, { service: ParsedService; path: Path }>): Issue[] {
  const issues: Issue[] = Object.keys(env.images)
    .filter((name) => !services.has(name))
    .map((name) => unknownService(name, ['images', name], services));
  // Whether an image is pinned is a stage policy (policies.ts `pinned-images`), which a waiver can cover.
  return issues;
}

function checkTargets(env: ParsedEnvironment, services: Map<string, { service: ParsedService; path: Path }>): Issue[] {
  const issues: Issue[] = [];
  const { kubernetes, compose, hosts } = env.targets;
  if (!kubernetes && !compose && !hosts) {
    issues.push({ code: ModelCode.NO_TARGET, path: ['targets'], message: 'the environment has no target', hint: 'add kubernetes, compose or hosts under targets' });
  }
  if (kubernetes?.destination && !kubernetes.destination.server === !kubernetes.destination.name) {
    issues.push({ code: ModelCode.INVALID_VALUE, path: ['targets', 'kubernetes', 'destination'], message: 'an Argo CD destination needs exactly one of server or name', hint: "e.g. { server: 'https://kubernetes.default.svc' }" });
  }
  if (!hosts) return issues;
  const placed = new Map<string, number>();
  const machines = new Set<string>();
  hosts.machines.forEach((machine, m) => {
    const path: Path = ['targets', 'hosts', 'machines', m];
    if (machines.has(machine.name)) {
      issues.push({ code: ModelCode.DUPLICATE_MACHINE, path: [...path, 'name'], message: `machine '${machine.name}' is listed twice`, hint: 'give each machine its own name' });
    }
    machines.add(machine.name);
    machine.services.forEach((name, i) => {
      if (!services.has(name)) issues.push(unknownService(name, [...path, 'services', i], services));
      placed.set(name, (placed.get(name) ?? 0) + 1);
    });
    if (machine.containerHost !== undefined && !hosts.containerHosts.some((host) => host.name === machine.containerHost)) {
      issues.push({
        code: ModelCode.UNKNOWN_CONTAINER_HOST,
        path: [...path, 'containerHost'],
        message: `machine '${machine.name}' is a container on '${machine.containerHost}', which targets.hosts.containerHosts does not declare`,
        hint: hosts.containerHosts.length > 0 ? `container hosts: ${hosts.containerHosts.map((host) => host.name).join(', ')}` : `declare it: containerHosts: [{ name: '${machine.containerHost}' }]`,
      });
    }
  });
  hosts.containerHosts.forEach((host, h) => {
    if (machines.has(host.name)) {
      issues.push({ code: ModelCode.DUPLICATE_MACHINE, path: ['targets', 'hosts', 'containerHosts', h, 'name'], message: `'${host.name}' is listed twice, among the machines or the container hosts`, hint: 'give each machine and container host its own name' });
    }
    machines.add(host.name);
  });
  for (const { service, path } of services.values()) {
    const count = placed.get(service.name) ?? 0;
    if (count === 0) {
      issues.push({ code: ModelCode.SERVICE_NOT_PLACED, path: ['targets', 'hosts', 'machines'], message: `service '${service.name}' runs on no machine`, hint: `add '${service.name}' to a machine's services` });
    } else if (service.stateful && count !== memberIdsIn(env, service).length) {
      const overridden = own(env.overrides, service.name)?.members !== undefined;
      issues.push({
        code: ModelCode.MEMBER_COUNT_MISMATCH,
        path: overridden ? ['overrides', service.name, 'members'] : [...path, 'stateful', 'members'],
        message: `service '${service.name}' has ${memberIdsIn(env, service).length} members but runs on ${count} machines`,
        hint: 'place one member per machine',
      });
    }
  }
  return issues;
}

function unknownService(name: string, path: Path, services: Map<string, unknown>): Issue {
  return {
    code: ModelCode.UNKNOWN_SERVICE,
    path,
    message: `there is no service '${name}' in this environment`,
    hint: suggestName(name, services.keys(), 'services'),
  };
}

function unknownPort(name: string, service: ParsedService, path: Path): Issue {
  return {
    code: ModelCode.UNKNOWN_PORT,
    path,
    message: `service '${service.name}' has no port '${name}'`,
    hint: suggestName(name, service.ports.map((p) => p.name), 'ports'),
  };
}
