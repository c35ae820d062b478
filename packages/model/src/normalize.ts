/**
 * From a schema-valid, rule-clean environment to the resolved model: overrides applied, defaults
 * filled, ports resolved, orders fixed. Runs only when `checkEnvironment` found no errors.
 */
import type { ParsedEnvironment } from './environment.js';
import { imageIn } from './image.js';
import { compareText } from './model.js';
import type { ConnectionPool, EnvVar, Environment, Port, Probe, Probes, Service, System, Ulimit } from './model.js';
import { gracePeriodSeconds } from './lifecycle.js';
import { environmentMetrics } from './metrics.js';
import type { Alert, Metric } from './monitoring-model.js';
import { own } from './records.js';
import { textOf } from './secret-ref.js';
import { compileSlo } from './slo.js';
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
  const flows = system.flows
    .map((flow) => ({ from: flow.from, to: flow.to, port: portNamed(byName.get(flow.to), flow.port) }))
    .sort((a, b) => compareText(`${a.to}/${a.from}/${a.port.name}`, `${b.to}/${b.from}/${b.port.name}`));
  return {
    name: system.name,
    ...(system.description === undefined ? {} : { description: system.description }),
    source,
    services: services.sort((a, b) => compareText(a.name, b.name)),
    flows,
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
  const ports: Port[] = service.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, expose: p.expose }));
  const resolvePort = (port: string | number): number => (typeof port === 'number' ? port : portNamed({ ports }, port).port);

  const image = imageIn(env.images, service);
  const connectionPools: ConnectionPool[] = Object.entries(service.connectionPools)
    .map(([server, pool]) => ({ server, size: own(override.connectionPools ?? {}, server) ?? pool.size, ...(pool.env === undefined ? {} : { env: pool.env }) }))
    .sort((a, b) => compareText(a.server, b.server));
  const env_: EnvVar[] = [
    ...Object.entries({ ...service.env, ...override.env }).map(([name, value]): EnvVar => (typeof value === 'object' && 'secret' in value ? { name, secret: { name: value.secret, key: value.key } } : { name, value: String(textOf(value)) })),
    // A pool's variable carries its size: what the check counted is what the service runs with.
    ...connectionPools.flatMap((pool) => (pool.env === undefined ? [] : [{ name: pool.env, value: String(pool.size) }])),
  ].sort((a, b) => compareText(a.name, b.name));

  const probes: Probes = {};
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = service.probes?.[kind];
    if (probe) (probes as Record<string, Probe>)[kind] = normalizeProbe(probe, resolvePort);
  }

  const autoscaling = service.autoscaling;
  const stateful = service.stateful;
  const volumeSizes = override.volumeSizes ?? {};
  return {
    name: service.name,
    system: system.name,
    ...(service.description === undefined ? {} : { description: service.description }),
    image,
    ...(service.command && { command: service.command.map(textOf) }),
    ...(service.args && { args: service.args.map(textOf) }),
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
        ids: Array.from({ length: stateful.members }, (_, i) => stateful.firstId + i),
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
    secretRotation: sortKeys(service.secretRotation),
    security: service.security,
    volumes: service.volumes.map((v) => ({ ...v, size: volumeSizes[v.name] ?? v.size })),
    scratch: [...service.scratch].sort(compareText),
    ...(service.config && { config: { mountPath: service.config.mountPath, files: sortKeys(Object.fromEntries(Object.entries(service.config.files).map(([name, text]) => [name, textOf(text)]))) } }),
    secretFiles: service.secretFiles
      .map((file) => ({ path: file.path, secret: { name: file.secret, key: file.key } }))
      .sort((a, b) => compareText(a.path, b.path)),
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

function normalizeProbe(probe: ParsedProbe, resolvePort: (port: string | number) => number): Probe {
  const action = probe.http
    ? { kind: 'http' as const, path: textOf(probe.http.path), port: resolvePort(probe.http.port) }
    : probe.tcp
      ? { kind: 'tcp' as const, port: resolvePort(probe.tcp.port) }
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
