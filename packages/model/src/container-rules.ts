/**
 * What the targets would reject about a container, found before anything is emitted: two mounts on
 * one path, a ConfigMap over its size limit, a variable Kiln sets itself also set by the author,
 * `$(NAME)` references to nothing, and services that wait for each other in a circle.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { dependentVariables } from './expansion.js';
import { textOf } from './secret-ref.js';
import { tlsSecretFiles } from './tls.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type Path = (string | number)[];

/** What a ConfigMap's data may hold in all (the API server's MaxSecretSize, also for ConfigMaps). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/** `/etc//app/` and `/etc/app` are one mount point. */
function mountPoint(path: string): string {
  return path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/**
 * Every mount point of the container once: scratch directories, the configuration directory,
 * volumes, and secret files — on Kubernetes the files of one secret in one directory are mounted as
 * that directory, so a directory holding two secrets, or another mount, is taken twice.
 */
export function checkMounts(service: ParsedService, path: Path): Issue[] {
  const mounts: { at: string; what: string; path: Path }[] = [
    ...service.scratch.map((at, i) => ({ at, what: 'a scratch directory', path: [...path, 'scratch', i] })),
    ...(service.config ? [{ at: service.config.mountPath, what: 'the configuration files', path: [...path, 'config', 'mountPath'] }] : []),
    ...service.volumes.map((volume, i) => ({ at: volume.mountPath, what: `volume '${volume.name}'`, path: [...path, 'volumes', i, 'mountPath'] })),
  ];
  const secretDirectories = new Set<string>();
  // The TLS files are secret files of the certificate's secret.
  const secretFiles = [
    ...service.secretFiles.map((file, i) => ({ ...file, at: [...path, 'secretFiles', i, 'path'] })),
    ...tlsSecretFiles(service).map((file) => ({ ...file, at: [...path, 'tls', file.field] })),
  ];
  for (const file of secretFiles) {
    const directory = file.path.slice(0, file.path.lastIndexOf('/')) || '/';
    const group = `${file.secret}\u0000${mountPoint(directory)}`;
    if (!secretDirectories.has(group)) mounts.push({ at: directory, what: `the files of secret '${file.secret}'`, path: file.at });
    secretDirectories.add(group);
  }
  const issues: Issue[] = [];
  const taken = new Map<string, string>();
  for (const mount of mounts) {
    const point = mountPoint(mount.at);
    const other = taken.get(point);
    if (other !== undefined) {
      issues.push({
        code: ModelCode.MOUNT_PATH_CONFLICT,
        path: mount.path,
        message: `${mount.what} and ${other} are both mounted at ${point} in service '${service.name}'; a container takes one mount per path`,
        hint: 'give each its own directory (secret files of different secrets too: each secret is mounted as its directory)',
      });
    }
    taken.set(point, other ?? mount.what);
  }
  const files = new Set<string>();
  for (const file of secretFiles) {
    if (files.has(file.path)) {
      issues.push({ code: ModelCode.MOUNT_PATH_CONFLICT, path: file.at, message: `two secret files of service '${service.name}' are both ${file.path}`, hint: 'list each file once' });
    }
    files.add(file.path);
  }
  return issues;
}

/** The configuration files of one service become one ConfigMap, whose data the API server caps at 1 MiB. */
export function checkConfigSize(service: ParsedService, path: Path): Issue[] {
  if (!service.config) return [];
  const encoder = new TextEncoder();
  const bytes = Object.values(service.config.files).reduce((sum, text) => sum + encoder.encode(textOf(text)).length, 0);
  if (bytes <= CONFIG_MAP_MAX_BYTES) return [];
  return [
    {
      code: ModelCode.CONFIG_TOO_LARGE,
      path: [...path, 'config', 'files'],
      message: `the configuration files of service '${service.name}' hold ${bytes} bytes; their ConfigMap may hold at most ${CONFIG_MAP_MAX_BYTES} (1 MiB)`,
      hint: 'ship large files in the image or a volume, or split them across services',
    },
  ];
}

/** The variables Kiln sets in a service's container: a member's id, the peer list, connection pool sizes, database settings. */
function kilnVariables(service: ParsedService, path: Path): { name: string; what: string; path: Path }[] {
  const stateful = service.stateful;
  return [
    ...(stateful?.idEnv === undefined ? [] : [{ name: stateful.idEnv, what: "each member's id", path: [...path, 'stateful', 'idEnv'] }]),
    ...(stateful?.peers ? [{ name: stateful.peers.env, what: 'the peer list', path: [...path, 'stateful', 'peers', 'env'] }] : []),
    ...Object.entries(service.connectionPools).flatMap(([server, pool]) =>
      pool.env === undefined ? [] : [{ name: pool.env, what: `the size of its connection pool to '${server}'`, path: [...path, 'connectionPools', server, 'env'] }],
    ),
    ...Object.entries(service.databaseEnv).map(([name, { database, setting }]) => ({ name, what: `the ${setting} of database '${database}'`, path: [...path, 'databaseEnv', name] })),
  ];
}

/**
 * The variables Kiln sets itself (a member's id, the peer list, a pool's size) are the service's own:
 * the author setting one too would give Kubernetes two entries and Compose silently one.
 */
export function checkKilnVariables(service: ParsedService, path: Path, override: { readonly env?: Record<string, unknown> | undefined } | undefined, overridePath: Path): Issue[] {
  const issues: Issue[] = [];
  const kiln = kilnVariables(service, path);
  kiln.forEach((variable, i) => {
    const first = kiln.findIndex((other) => other.name === variable.name);
    if (first < i) {
      issues.push({ code: ModelCode.ENV_SET_BY_KILN, path: variable.path, message: `${variable.name} would carry both ${kiln[first]?.what} and ${variable.what}`, hint: `give ${variable.what} a variable of its own` });
    }
  });
  for (const variable of kiln) {
    for (const [env, where] of [
      [service.env, [...path, 'env']],
      [override?.env ?? {}, [...overridePath, 'env']],
    ] as const) {
      if (!Object.hasOwn(env, variable.name)) continue;
      issues.push({
        code: ModelCode.ENV_SET_BY_KILN,
        path: [...where, variable.name],
        message: `${variable.name} is set by Kiln to ${variable.what} (${variable.path.slice(path.length).join('.')})`,
        hint: `remove it from env, or choose another variable for ${variable.what}`,
      });
    }
  }
  return issues;
}

/**
 * With `expand: true`, each `$(NAME)` in env values, command and args must name a variable of the
 * container (Kubernetes would leave it as written), and env values must not refer to each other in
 * a circle (Kubernetes expands from variables listed before, so one of them would stay unexpanded).
 */
export function checkExpansion(service: ParsedService, path: Path, override: { readonly env?: Record<string, unknown> | undefined } | undefined, overridePath: Path): Issue[] {
  if (!service.expand) return [];
  const env: Record<string, { value: unknown; path: Path }> = {};
  for (const [name, value] of Object.entries(service.env)) Object.defineProperty(env, name, { value: { value, path: [...path, 'env', name] }, enumerable: true });
  for (const [name, value] of Object.entries(override?.env ?? {})) Object.defineProperty(env, name, { value: { value, path: [...overridePath, 'env', name] }, enumerable: true });
  const known = new Set([...Object.keys(env), ...kilnVariables(service, path).map((variable) => variable.name)]);
  const texts: { text: string; path: Path }[] = [
    ...Object.values(env).flatMap(({ value, path: at }) => (typeof value === 'string' || (typeof value === 'object' && value !== null && 'plain' in value) ? [{ text: String(textOf(value as string)), path: at }] : [])),
    ...(['command', 'args'] as const).flatMap((field) => (service[field] ?? []).map((arg, i) => ({ text: textOf(arg), path: [...path, field, i] }))),
  ];
  const issues: Issue[] = [];
  for (const { text, path: at } of texts) {
    for (const name of dependentVariables(text).filter((n) => !known.has(n))) {
      issues.push({
        code: ModelCode.UNKNOWN_VARIABLE,
        path: at,
        message: `$(${name}) names no variable of service '${service.name}'; Kubernetes would leave it as written`,
        hint: `variables: ${[...known].sort().join(', ') || 'none'}; write $$(${name}) for the literal text`,
      });
    }
  }
  const references = new Map(texts.filter(({ path: at }) => at[at.length - 2] === 'env').map(({ text, path: at }) => [String(at[at.length - 1]), dependentVariables(text)]));
  for (const cycle of cycles(references)) {
    const first = cycle[0] ?? '';
    issues.push({
      code: ModelCode.DEPENDENCY_CYCLE,
      path: env[first]?.path ?? [...path, 'env'],
      message: `the env values of service '${service.name}' refer to each other in a circle: ${[...cycle, first].join(' → ')}`,
      hint: 'break the circle: one of them must not refer to the others',
    });
  }
  return issues;
}

/** `dependsOn` in a circle (or a service waiting for itself): Compose starts none of them. */
export function checkDependencyCycles(services: ReadonlyMap<string, { service: ParsedService; path: Path }>): Issue[] {
  const graph = new Map([...services].map(([name, { service }]) => [name, service.dependsOn]));
  return cycles(graph).map((cycle) => {
    const first = cycle[0] ?? '';
    const entry = services.get(first);
    const index = entry?.service.dependsOn.indexOf(cycle[1] ?? first) ?? -1;
    return {
      code: ModelCode.DEPENDENCY_CYCLE,
      path: entry ? [...entry.path, 'dependsOn', Math.max(index, 0)] : [],
      message: cycle.length === 1 ? `service '${first}' depends on itself` : `services depend on each other in a circle: ${[...cycle, first].join(' → ')}; none of them could start first`,
      hint: 'remove one of the dependencies',
    };
  });
}

/**
 * One cycle through each circle of a graph (a strongly connected component with more than one
 * name, or a name that refers to itself), starting at its smallest name, in a stable order.
 */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const edges = (name: string) => [...new Set(graph.get(name) ?? [])].filter((next) => graph.has(next)).sort();
  // Tarjan's algorithm: linear, whatever the graph.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (name: string): void => {
    index.set(name, index.size);
    low.set(name, index.get(name) ?? 0);
    stack.push(name);
    for (const next of edges(name)) {
      if (!index.has(next)) {
        connect(next);
        low.set(name, Math.min(low.get(name) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) low.set(name, Math.min(low.get(name) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(name) !== index.get(name)) return;
    const component: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === name ? undefined : stack.pop()) component.push(top);
    components.push(component.sort());
  };
  for (const name of [...graph.keys()].sort()) if (!index.has(name)) connect(name);
  return components
    .filter((component) => component.length > 1 || edges(component[0] ?? '').includes(component[0] ?? ''))
    .map((component) => cycleThrough(component, edges))
    .sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
}

/** The shortest way round a circle from its smallest name (breadth first). */
function cycleThrough(component: readonly string[], edges: (name: string) => string[]): string[] {
  const members = new Set(component);
  const start = component[0] ?? '';
  const parent = new Map<string, string>();
  const queue = [start];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const next of edges(name).filter((n) => members.has(n))) {
      if (next === start) {
        const trail = [name];
        for (let back = parent.get(name); back !== undefined; back = parent.get(back)) trail.unshift(back);
        return trail;
      }
      if (!parent.has(next) && next !== start) {
        parent.set(next, name);
        queue.push(next);
      }
    }
  }
  return [start];
}
