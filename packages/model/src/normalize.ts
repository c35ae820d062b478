/**
 * From a schema-valid, rule-clean environment to the resolved model: overrides applied, defaults
 * filled, ports resolved, orders fixed. Runs only when `checkEnvironment` found no errors.
 */
import type { ParsedEnvironment } from './environment.js';
import { imageIn } from './image.js';
import { compareText } from './model.js';
import type { ConnectionPool, EnvVar, Environment, External, Gateway, Port, Probe, Probes, SecretFile, Service, System, Ulimit } from './model.js';
import { databaseContainerArgs, databaseContainerEnv, databaseVariables, resolveDatabase } from './database.js';
import { gracePeriodSeconds } from './lifecycle.js';
import { environmentMetrics } from './metrics.js';
import type { Alert, Metric } from './monitoring-model.js';
import { own } from './records.js';
import { textOf } from './secret-ref.js';
import { compileSlo } from './slo.js';
import { portUrl, tlsSecretFiles, tlsSecretName } from './tls.js';
import type { TuningPlan } from './tuning/plan.js';

type ParsedSystem = ParsedEnvironment['systems'][number];
type ParsedService = ParsedSystem['services'][number];
type ParsedProbe = NonNullable<NonNullable<ParsedService['probes']>['liveness']>;

export interface Sources {
  /** The environment file, relative to the repository root. */
  readonly environment: string;
  /** The file that defined a system, when known. */
  readonly system: (index: number) => string | undefined;
}

export function normalizeEnvironment(env: ParsedEnvironment, sources: Sources): Environment {
  const labels: Record<string, string> = { ...env.labels };
  if (env.region !== undefined) labels['kiln.dev/region'] = env.region;
  const { kubernetes, compose, hosts } = env.targets;
  const metrics = environmentMetrics(env);
  const systems: System[] = env.systems
    .map((system, index) => normalizeSystem(env, system, sources.system(index) ?? sources.environment, metrics))
    .sort((a, b) => compareText(a.name, b.name));
  return {
    name: env.name,
    stage: env.stage,
    ...(env.description === undefined ? {} : { description: env.description }),
    source: sources.environment,
    ...(env.region === undefined ? {} : { region: env.region }),
    labels: sortKeys(labels),
    targets: {
      ...(kubernetes && {
        kubernetes: {
          cluster: kubernetes.cluster,
          version: { major: 1, minor: Number(kubernetes.version.split('.')[1]) },
          namespace: kubernetes.namespace ?? env.name,
          // Argo CD knows clusters by name: the target's cluster unless a server or name is given.
          destination: kubernetes.destination ?? { name: kubernetes.cluster },
          secretStore: { kind: kubernetes.secretStore.kind, name: kubernetes.secretStore.name, keyPrefix: kubernetes.secretStore.keyPrefix ?? `${env.name}/` },
          monitoringNamespace: kubernetes.monitoringNamespace,
          allowedUnsafeSysctls: [...kubernetes.allowedUnsafeSysctls].sort(compareText),
          nodePools: kubernetes.nodePools.map((pool) => {
            const ulimits = pool.ulimits ?? kubernetes.ulimits;
            return {
              name: pool.name,
              nodeSelector: sortKeys(pool.nodeSelector),
              ...(pool.kernel === undefined ? {} : { kernel: pool.kernel }),
              allowedUnsafeSysctls: [...pool.allowedUnsafeSysctls].sort(compareText),
              profile: pool.profile ?? pool.name,
              nodeSysctls: pool.nodeSysctls,
              // A pool that does not say takes the target's choice.
              ...(ulimits === undefined ? {} : { ulimits }),
              containerRuntime: pool.containerRuntime,
            };
          }),
          ...(kubernetes.ulimits === undefined ? {} : { ulimits: kubernetes.ulimits }),
          featureGates: [...kubernetes.featureGates].sort(compareText),
          ...(kubernetes.tls && { tls: { issuer: { name: kubernetes.tls.issuer.name, kind: kubernetes.tls.issuer.kind } } }),
          ...(kubernetes.gateway && { gateway: gatewayOf(kubernetes.gateway) }),
        },
      }),
      ...(compose && { compose: { secretsDir: compose.secretsDir, hostProfile: compose.hostProfile } }),
      ...(hosts && {
        hosts: {
          machines: hosts.machines.map((m) => ({
            name: m.name,
            address: m.address,
            services: [...m.services],
            profile: m.profile ?? m.services[0] ?? m.name,
            ...(m.containerHost === undefined ? {} : { containerHost: m.containerHost }),
          })),
          containerHosts: hosts.containerHosts.map((h) => ({ name: h.name, ...(h.address === undefined ? {} : { address: h.address }), profile: h.profile ?? h.name })),
        },
      }),
    },
    systems,
    monitoring: env.monitoring,
    ...(env.delivery && { delivery: env.delivery }),
    ...(env.acknowledge.length > 0 && { acknowledge: env.acknowledge }),
    ...(env.waivers.length > 0 && { waivers: env.waivers }),
    ...(env.follows && { follows: env.follows }),
    tuning: EMPTY_PLAN,
  };
}

const EMPTY_PLAN: TuningPlan = { profiles: [], pods: {}, units: [], accepted: [], daemonSets: [] };

function normalizeSystem(env: ParsedEnvironment, system: ParsedSystem, source: string, metrics: readonly Metric[]): System {
  const services = system.services.map((service) => normalizeService(env, system, service));
  const byName = new Map(services.map((service) => [service.name, service]));
  const compiled = system.slos.map((slo) => compileSlo(slo, metrics));
  const platform = new Set(env.monitoring.platform.map((catalog) => catalog.name));
  const externals = system.externals.map((external) => normalizeExternal(env, external)).sort((a, b) => compareText(a.name, b.name));
  const ends = new Map<string, { ports: readonly Port[] }>([...byName, ...externals.map((external) => [external.name, external] as const)]);
  const isExternal = (flow: { from: string; to: string }) => externals.some((external) => external.name === flow.from || external.name === flow.to);
  const resolveFlows = (list: typeof system.flows) =>
    list
      .map((flow) => ({ from: flow.from, to: flow.to, port: portNamed(ends.get(flow.to), flow.port) }))
      .sort((a, b) => compareText(`${a.to}/${a.from}/${a.port.name}`, `${b.to}/${b.from}/${b.port.name}`));
  const flows = resolveFlows(system.flows.filter((flow) => !isExternal(flow)));
  return {
    name: system.name,
    ...(system.description === undefined ? {} : { description: system.description }),
    source,
    services: services.sort((a, b) => compareText(a.name, b.name)),
    flows,
    externals,
    externalFlows: resolveFlows(system.flows.filter(isExternal)),
    // SLOs become rules and alerts here, once: the Prometheus emitter renders them and the runbook
    // generator documents them from the same objects.
    alerts: [...(system.alerts as Alert[]).filter((alert) => alert.requires.every((name) => platform.has(name))), ...compiled.flatMap((slo) => slo.alerts)],
    recordingRules: [...system.recordingRules, ...compiled.flatMap((slo) => slo.records)],
    slos: system.slos,
    dashboards: system.dashboards.map((dashboard) => ({ ...dashboard, uid: dashboardUidOf(system.name, dashboard) })),
    procedures: system.procedures,
  };
}

function normalizeService(env: ParsedEnvironment, system: ParsedSystem, service: ParsedService): Service {
  const override = own(env.overrides, service.name) ?? {};
  const ports: Port[] = service.ports.map((p) => {
    const hostnames = own(override.hostnames ?? {}, p.name);
    return { name: p.name, port: p.port, protocol: p.protocol, expose: p.expose, ...(p.appProtocol && { appProtocol: p.appProtocol }), ...(p.tls && { tls: true }), ...(hostnames && { hostnames: [...hostnames] }) };
  });
  // The rules checked that a probe's port, by name or number, is a TCP port of the service.
  const resolvePort = (port: string | number): Port => portNamed({ ports }, typeof port === 'number' ? (ports.find((p) => p.port === port && p.protocol === 'TCP')?.name ?? '') : port);
  const tlsSecret = tlsSecretName(service);

  const image = imageIn(env.images, service);
  const database = resolveDatabase(service, own(env.overrides, service.name), ports);
  const databaseEnv = databaseVariables(env, service);
  const connectionPools: ConnectionPool[] = Object.entries(service.connectionPools)
    .map(([server, pool]) => ({ server, size: own(override.connectionPools ?? {}, server) ?? pool.size, ...(pool.env === undefined ? {} : { env: pool.env }) }))
    .sort((a, b) => compareText(a.server, b.server));
  const values = Object.entries({ ...service.env, ...override.env });
  const env_: EnvVar[] = [
    ...values.flatMap(([name, value]) => (typeof value === 'object' && 'peersOf' in value ? [] : [[name, value] as const])).map(([name, value]): EnvVar =>
      typeof value === 'object' && 'secret' in value ? { name, secret: { name: value.secret, key: value.key } } : { name, value: typeof value === 'object' && 'url' in value ? urlOf(env, value.url) : String(textOf(value)) },
    ),
    // A pool's variable carries its size: what the check counted is what the service runs with.
    ...connectionPools.flatMap((pool) => (pool.env === undefined ? [] : [{ name: pool.env, value: String(pool.size) }])),
    // A managed database's container: what the official image's entrypoint reads (the rules keep the author's out).
    ...(database ? databaseContainerEnv(database, service.volumes[0]?.mountPath ?? '/') : []),
  ].sort((a, b) => compareText(a.name, b.name));

  const probes: Probes = {};
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = service.probes?.[kind];
    if (probe) (probes as Record<string, Probe>)[kind] = normalizeProbe(probe, resolvePort);
  }

  // Another service's peer list is the target's to fill in, as the service's own.
  const peerEnv = values.flatMap(([name, value]) => (typeof value === 'object' && 'peersOf' in value ? [{ name, service: value.peersOf }] : [])).sort((a, b) => compareText(a.name, b.name));

  const autoscaling = service.autoscaling;
  const stateful = service.stateful && { ...service.stateful, members: override.members ?? service.stateful.members };
  const ids = stateful ? memberIds(stateful) : [];
  const args = override.args ?? service.args;
  const volumeSizes = override.volumeSizes ?? {};
  return {
    name: service.name,
    system: system.name,
    ...(service.description === undefined ? {} : { description: service.description }),
    image,
    ...(service.command && { command: service.command.map(textOf) }),
    ...(args && { args: args.map(textOf) }),
    ...(database && { args: databaseContainerArgs(database) }),
    ...(service.expand && { expand: true }),
    ports,
    env: env_,
    resources: {
      requests: { ...service.resources?.requests, ...override.resources?.requests },
      limits: { ...service.resources?.limits, ...override.resources?.limits },
    },
    probes,
    scaling: autoscaling
      ? {
          kind: 'autoscaled',
          minReplicas: override.autoscaling?.minReplicas ?? autoscaling.minReplicas,
          maxReplicas: override.autoscaling?.maxReplicas ?? autoscaling.maxReplicas,
          ...(autoscaling.cpuUtilization === undefined ? {} : { cpuUtilization: autoscaling.cpuUtilization }),
          podsMetrics: autoscaling.podsMetrics.map((m) => ({ metric: m.metric, averageValue: m.averageValue })),
        }
      : { kind: 'fixed', replicas: stateful ? stateful.members : (override.replicas ?? service.replicas ?? 1) },
    ...(stateful && {
      stateful: {
        ids,
        ...(stateful.idEnv === undefined ? {} : { idEnv: stateful.idEnv }),
        ...(stateful.peers && {
          peers: { env: stateful.peers.env, port: portNamed({ ports }, stateful.peers.port), format: textOf(stateful.peers.format), separator: stateful.peers.separator },
        }),
        maxUnavailable: stateful.maxUnavailable,
      },
    }),
    ...(service.stopSignal === undefined ? {} : { stopSignal: service.stopSignal }),
    ...(service.shutdownTimeoutSeconds === undefined ? {} : { shutdownTimeoutSeconds: service.shutdownTimeoutSeconds }),
    terminationGracePeriodSeconds: gracePeriodSeconds(service.terminationGracePeriodSeconds, service.shutdownTimeoutSeconds),
    tools: [...new Set(service.tools)].sort(compareText),
    writes: [...service.writes].sort(compareText),
    connectionPools,
    ...(service.maxConnections === undefined ? {} : { maxConnections: service.maxConnections }),
    ...(database && { database }),
    ...(databaseEnv.length > 0 && { databaseEnv }),
    ...(peerEnv.length > 0 && { peerEnv }),
    secretRotation: sortKeys(service.secretRotation),
    security: service.security,
    volumes: service.volumes.map((v) => ({ ...v, size: volumeSizes[v.name] ?? v.size })),
    scratch: [...service.scratch].sort(compareText),
    ...(service.config && { config: configOf(service.config, override.configFiles, ids) }),
    secretFiles: [...service.secretFiles.flatMap((file) => secretFilesOfMembers(file, ids)), ...tlsSecretFiles(service).map((file): SecretFile => ({ path: file.path, secret: { name: file.secret, key: file.key } }))].sort(
      (a, b) => compareText(a.path, b.path) || (a.member ?? -1) - (b.member ?? -1),
    ),
    ...(tlsSecret !== undefined && { tls: { secret: tlsSecret, issued: service.tls?.secret === undefined } }),
    ...(override.sourceRanges && { sourceRanges: [...override.sourceRanges].sort(compareText) }),
    publishNotReadyAddresses: service.publishNotReadyAddresses,
    dependsOn: [...service.dependsOn].sort(compareText),
    ...(service.metrics && { metrics: { port: portNamed({ ports }, service.metrics.port), path: service.metrics.path, exports: service.metrics.exports } }),
    sysctls: sortKeys(Object.fromEntries(Object.entries(service.tuning?.sysctls ?? {}).map(([k, v]) => [k, String(typeof v === 'object' ? v.value : v)]))),
    sysctlReasons: sortKeys(Object.fromEntries(Object.entries(service.tuning?.sysctls ?? {}).flatMap(([k, v]) => (typeof v === 'object' ? [[k, v.reason]] : [])))),
    ulimits: sortKeys(
      Object.fromEntries(Object.entries(service.tuning?.ulimits ?? {}).map(([k, v]): [string, Ulimit] => [k, typeof v === 'number' ? { soft: v, hard: v } : { soft: v.soft, hard: v.hard, ...(v.reason === undefined ? {} : { reason: v.reason }) }])),
    ),
    ...(override.nodePool === undefined ? {} : { nodePool: override.nodePool }),
  };
}

/** An external endpoint with this environment's binding (the rules checked that there is one). */
function normalizeExternal(env: ParsedEnvironment, external: ParsedSystem['externals'][number]): External {
  const binding = own(env.externals, external.name);
  const address = binding?.host !== undefined ? { host: binding.host } : binding?.cidr !== undefined ? { cidr: binding.cidr } : undefined;
  if (!address) throw new Error(`normalize: external '${external.name}' should have been checked by the rules`);
  return {
    name: external.name,
    ...(external.description === undefined ? {} : { description: external.description }),
    address,
    ports: external.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, expose: 'internal' })),
  };
}

type TextValue = string | { readonly plain: string };

/** What a member's own file (`secretFiles` with `member: 'each'`, `config.memberFiles`) names the member's id by. */
export const MEMBER_ID = '{id}';

/** The configuration files after the environment's own, with each member's copies of `memberFiles`. */
function configOf(config: NonNullable<ParsedService['config']>, overrides: Readonly<Record<string, TextValue>> | undefined, ids: readonly number[]): NonNullable<Service['config']> {
  const texts = (files: Readonly<Record<string, TextValue>>, id?: number) =>
    sortKeys(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, id === undefined ? textOf(text) : textOf(text).replaceAll(MEMBER_ID, String(id))])));
  const memberFiles = config.memberFiles;
  return {
    mountPath: config.mountPath,
    files: texts({ ...config.files, ...overrides }),
    ...(memberFiles && { memberFiles: Object.fromEntries(ids.map((id) => [String(id), texts(memberFiles, id)])) }),
  };
}

/** A secret file as each member that mounts it sees it: `'each'` becomes one file per member, `{id}` replaced. */
function secretFilesOfMembers(file: ParsedService['secretFiles'][number], ids: readonly number[]): SecretFile[] {
  const one = (id?: number): SecretFile => {
    const fill = (text: string) => (id === undefined ? text : text.replaceAll(MEMBER_ID, String(id)));
    return { path: fill(file.path), secret: { name: file.secret, key: fill(file.key) }, ...(id === undefined ? {} : { member: id }) };
  };
  if (file.member === 'each') return ids.map(one);
  return [one(file.member)];
}

/** A stateful service's member ids, in order: from `firstId`, one per member. */
export function memberIds(stateful: { readonly members: number; readonly firstId: number }): number[] {
  return Array.from({ length: stateful.members }, (_, i) => stateful.firstId + i);
}

function normalizeProbe(probe: ParsedProbe, resolvePort: (port: string | number) => Port): Probe {
  const http = probe.http && resolvePort(probe.http.port);
  const action = probe.http && http
    ? { kind: 'http' as const, path: textOf(probe.http.path), port: http.port, ...(http.tls && { tls: true as const }) }
    : probe.tcp
      ? { kind: 'tcp' as const, port: resolvePort(probe.tcp.port).port }
      : { kind: 'exec' as const, command: (probe.exec?.command ?? []).map(textOf) };
  return {
    action,
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
    successThreshold: probe.successThreshold,
  };
}

/** The URL a `url()` value names: the service's name as host, the scheme its port's. */
function urlOf(env: ParsedEnvironment, ref: { readonly service: string; readonly port: string; readonly path?: string | undefined }): string {
  const port = env.systems.flatMap((system) => system.services).find((service) => service.name === ref.service)?.ports.find((p) => p.name === ref.port);
  const url = port && portUrl({ port: port.port, ...(port.appProtocol && { appProtocol: port.appProtocol }), ...(port.tls && { tls: true }) }, ref.service, ref.path);
  if (url === undefined) throw new Error(`normalize: url(${ref.service}, ${ref.port}) should have been checked by the rules`);
  return url;
}

function gatewayOf(gateway: { name: string; namespace: string; sectionName?: string | undefined; proxyNamespace?: string | undefined }): Gateway {
  return { name: gateway.name, namespace: gateway.namespace, ...(gateway.sectionName === undefined ? {} : { sectionName: gateway.sectionName }), proxyNamespace: gateway.proxyNamespace ?? gateway.namespace };
}

function portNamed(service: { ports: readonly Port[] } | undefined, name: string): Port {
  const port = service?.ports.find((p) => p.name === name);
  if (!port) throw new Error(`normalize: port '${name}' should have been checked by the rules`);
  return port;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

/** A dashboard's uid: its own, or `<system>-<title slug>` within Grafana's 40 characters. */
export function dashboardUidOf(system: string, dashboard: { readonly uid?: string | undefined; readonly title: string }): string {
  if (dashboard.uid !== undefined) return dashboard.uid;
  const slug = dashboard.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${system}-${slug}`.slice(0, 40).replace(/-+$/, '');
}
