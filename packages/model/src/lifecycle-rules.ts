/**
 * Rules on how services stop, write and connect, across services and targets: a stop signal the
 * target can deliver, a grace period with a margin over the application's own timeout, write paths
 * that are writable under a read-only root, connection pools that fit the server's limit at the
 * clients' most replicas, and rotation modes for secrets the service really reads, in a way it can.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { CONTAINER_STOP_SIGNALS, kubernetesStop, SHUTDOWN_MARGIN_SECONDS } from './lifecycle.js';
import { suggestName } from './names.js';
import { own } from './records.js';
import { tlsSecretFiles } from './tls.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type ParsedOverride = ParsedEnvironment['overrides'][string];
type Path = (string | number)[];
type Services = ReadonlyMap<string, { service: ParsedService; path: Path }>;

export function checkLifecycle(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [...checkFeatureGates(env)];
  for (const { service, path } of services.values()) {
    const override = own(env.overrides, service.name);
    issues.push(...checkStop(env, service, path), ...checkWrites(service, path), ...checkRotation(service, path, override));
    for (const server of Object.keys(service.connectionPools)) {
      if (!services.has(server)) issues.push({ code: ModelCode.UNKNOWN_SERVICE, path: [...path, 'connectionPools', server], message: `service '${service.name}' has a connection pool to '${server}', which is no service of this environment`, hint: suggestName(server, services.keys(), 'services') });
    }
    for (const server of Object.keys(override?.connectionPools ?? {})) {
      if (!Object.hasOwn(service.connectionPools, server)) {
        issues.push({ code: ModelCode.INVALID_VALUE, path: ['overrides', service.name, 'connectionPools', server], message: `service '${service.name}' declares no connection pool to '${server}'`, hint: `pools: ${Object.keys(service.connectionPools).join(', ') || 'none'}` });
      }
    }
  }
  issues.push(...checkConnectionBudgets(env, services));
  return issues;
}

function checkFeatureGates(env: ParsedEnvironment): Issue[] {
  const kubernetes = env.targets.kubernetes;
  if (!kubernetes) return [];
  const minor = Number(kubernetes.version.split('.')[1]);
  return kubernetes.featureGates.flatMap((gate, i) =>
    gate === CONTAINER_STOP_SIGNALS.gate && minor < CONTAINER_STOP_SIGNALS.since.minor
      ? [{ code: ModelCode.INVALID_VALUE, path: ['targets', 'kubernetes', 'featureGates', i], message: `Kubernetes ${kubernetes.version} has no ${gate} feature gate; it came in 1.${CONTAINER_STOP_SIGNALS.since.minor}`, hint: `remove it, or target '1.${CONTAINER_STOP_SIGNALS.since.minor}' or later` }]
      : [],
  );
}

function checkStop(env: ParsedEnvironment, service: ParsedService, path: Path): Issue[] {
  const issues: Issue[] = [];
  const { shutdownTimeoutSeconds: timeout, terminationGracePeriodSeconds: grace } = service;
  if (timeout !== undefined && grace !== undefined && grace < timeout + SHUTDOWN_MARGIN_SECONDS) {
    issues.push({
      code: ModelCode.GRACE_PERIOD_TOO_SHORT,
      path: [...path, 'terminationGracePeriodSeconds'],
      message: `service '${service.name}' may take ${timeout}s to shut down, but is killed ${grace}s after the stop signal: a drain that uses its whole timeout ends in SIGKILL`,
      hint: `raise it to at least ${timeout + SHUTDOWN_MARGIN_SECONDS} (the timeout plus a ${SHUTDOWN_MARGIN_SECONDS}s margin), or leave it out: Kiln computes that`,
    });
  }
  const kubernetes = env.targets.kubernetes;
  if (kubernetes && !kubernetesStop(service, { minor: Number(kubernetes.version.split('.')[1]), featureGates: kubernetes.featureGates })) {
    const signal = service.stopSignal ?? 'SIGTERM';
    issues.push({
      code: ModelCode.STOP_SIGNAL_UNDELIVERABLE,
      path: [...path, 'stopSignal'],
      message: `service '${service.name}' drains on ${signal}, which Kubernetes ${kubernetes.version} cannot send it: lifecycle.stopSignal needs 1.${CONTAINER_STOP_SIGNALS.since.minor} with the ${CONTAINER_STOP_SIGNALS.gate} feature gate, and a preStop hook that sends ${signal} to PID 1 needs \`kill\` or \`sh\` in the image`,
      hint: `declare the image's tools (tools: ['sh'] or ['kill']) if it has them, enable ${CONTAINER_STOP_SIGNALS.gate} (targets.kubernetes.featureGates) on a 1.${CONTAINER_STOP_SIGNALS.since.minor}+ cluster, or make the application drain on SIGTERM`,
    });
  }
  return issues;
}

/** `/backup` is writable when it is, or lies under, a volume or scratch directory. */
function checkWrites(service: ParsedService, path: Path): Issue[] {
  if (!service.security.readOnlyRootFilesystem) return [];
  const writable = [...service.scratch, ...service.volumes.map((volume) => volume.mountPath)].map(directory);
  return service.writes.flatMap((written, i) => {
    const at = directory(written);
    if (writable.some((root) => at === root || at.startsWith(root === '/' ? '/' : `${root}/`))) return [];
    return [
      {
        code: ModelCode.WRITE_PATH_READ_ONLY,
        path: [...path, 'writes', i],
        message: `service '${service.name}' writes to ${at}, which is on its read-only root filesystem: the write fails at run time`,
        hint: `add '${at}' to scratch (emptied when the pod or container goes) or mount a volume there (kept)`,
      },
    ];
  });
}

function directory(path: string): string {
  return path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

function checkRotation(service: ParsedService, path: Path, override: ParsedOverride | undefined): Issue[] {
  const env = { ...service.env, ...override?.env };
  const fromEnv = new Set(Object.values(env).flatMap((value) => (typeof value === 'object' && value !== null && 'secret' in value ? [value.secret] : [])));
  const fromFiles = new Set([...service.secretFiles.map((file) => file.secret), ...tlsSecretFiles(service).map((file) => file.secret)]);
  return Object.entries(service.secretRotation).flatMap(([secret, mode]): Issue[] => {
    const at = [...path, 'secretRotation', secret];
    if (!fromEnv.has(secret) && !fromFiles.has(secret)) {
      return [{ code: ModelCode.UNKNOWN_SECRET, path: at, message: `service '${service.name}' reads no secret '${secret}'`, hint: `secrets it reads: ${[...new Set([...fromEnv, ...fromFiles])].sort().join(', ') || 'none'}` }];
    }
    if (mode === 'reload' && fromEnv.has(secret)) {
      return [
        {
          code: ModelCode.ROTATION_NEEDS_RESTART,
          path: at,
          message: `service '${service.name}' reads secret '${secret}' from an environment variable, which never changes in a running process: it cannot reload it`,
          hint: "use 'restart', or deliver the secret as a file (secretFiles) that the application re-reads",
        },
      ];
    }
    return [];
  });
}

/** The most replicas a service can run in this environment. */
function mostReplicas(service: ParsedService, override: ParsedOverride | undefined): number {
  if (service.stateful) return override?.members ?? service.stateful.members;
  if (service.autoscaling) return override?.autoscaling?.maxReplicas ?? service.autoscaling.maxReplicas;
  return override?.replicas ?? service.replicas ?? 1;
}

/** Per server with a limit: every client's pool at the client's most replicas, summed, within the limit. */
function checkConnectionBudgets(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [];
  for (const { service: server, path } of services.values()) {
    if (server.maxConnections === undefined) continue;
    const clients = [...services.values()].flatMap(({ service }) => {
      const pool = own(service.connectionPools, server.name);
      if (!pool) return [];
      const override = own(env.overrides, service.name);
      const size = own(override?.connectionPools ?? {}, server.name) ?? pool.size;
      const replicas = mostReplicas(service, override);
      return [{ name: service.name, size, replicas, total: size * replicas }];
    });
    const total = clients.reduce((sum, client) => sum + client.total, 0);
    if (total <= server.maxConnections) continue;
    issues.push({
      code: ModelCode.CONNECTION_BUDGET_EXCEEDED,
      path: [...path, 'maxConnections'],
      message: `at their most replicas, the connection pools to '${server.name}' open ${total} connections (${clients.map((c) => `${c.name}: ${c.replicas} × ${c.size}`).join(', ')}), but it accepts ${server.maxConnections}: clients beyond that fail to connect`,
      hint: `lower the pools in this environment (overrides.<client>.connectionPools.${server.name}), lower the clients' maxReplicas, or put a pooler such as PgBouncer in front of '${server.name}' and point the pools at it`,
    });
  }
  return issues;
}
