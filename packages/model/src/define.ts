/**
 * What environment files call. The helpers check nothing themselves (Kiln validates everything at
 * once, with file and path); they give the editor types and remember which file defined a system.
 */
import type { EnvironmentInput, ExternalBindingInput, OverrideInput } from './environment.js';
import type { PeersRefInput, SecretRefInput, UrlRefInput } from './service.js';
import type { SystemInput } from './system.js';

/** Where a system was defined, kept off the data (a symbol key is invisible to the schema). */
export const SOURCE: unique symbol = Symbol.for('kiln.source') as never;

/** The service names of a system, as literal types when the system was written inline. */
type ServiceNameOf<S> = S extends { readonly services: readonly (infer V)[] } ? (V extends { readonly name: infer N extends string } ? N : never) : never;

/** The external endpoint names of a system, as literal types when the system was written inline. */
type ExternalNameOf<S> = S extends { readonly externals?: readonly (infer E)[] | undefined } ? (E extends { readonly name: infer N extends string } ? N : never) : never;

/** The fields of an environment that name its systems' services and externals, typed by those names. */
type Named<Systems extends readonly SystemInput[]> = {
  systems: Systems;
  images: { [Name in ServiceNameOf<Systems[number]>]?: string } | undefined;
  overrides: { [Name in ServiceNameOf<Systems[number]>]?: OverrideInput } | undefined;
  externals: { [Name in ExternalNameOf<Systems[number]>]?: ExternalBindingInput } | undefined;
};

/**
 * An environment whose `overrides`, `images` and `externals` may name only services and externals of
 * its systems (checked in the editor). Mapped over the environment's own fields, those keep their
 * optionality and their documentation.
 */
export type EnvironmentOf<Systems extends readonly SystemInput[]> = Omit<EnvironmentInput, keyof Named<Systems>> & {
  [Field in keyof Pick<EnvironmentInput, keyof Named<Systems>>]: Named<Systems>[Field];
};

/** Defines a system once; environments instantiate it. Service names stay literal types. */
export function defineSystem<const S extends SystemInput>(system: S): S {
  const source = callerFile();
  if (source !== undefined) Object.defineProperty(system, SOURCE, { value: source, enumerable: false });
  return system;
}

/** Defines an environment; the file's default export. A typo in an override's service name is a type error. */
export function defineEnvironment<const Systems extends readonly SystemInput[]>(environment: EnvironmentOf<Systems>): EnvironmentInput {
  return environment as unknown as EnvironmentInput;
}

/** A reference to a secret kept outside git: `JWT_SECRET: secret('jwt-secret')`. */
export function secret(name: string, key?: string): SecretRefInput {
  return key === undefined ? { secret: name } : { secret: name, key };
}

/**
 * The URL of a port of a service of the environment, for an environment value:
 * `CHAT_WS_URL: url('chat-server', 'ws')` is `wss://chat-server:8082` when the port serves TLS. The
 * scheme follows the port's `appProtocol` and `tls`; the host is the service's name.
 */
export function url(service: string, port: string, path?: string): UrlRefInput {
  return { url: { service, port, ...(path === undefined ? {} : { path }) } };
}

/**
 * The peer list of another stateful service, for an environment value: `SEED_NODES:
 * peersOf('rpcnet-director')` lists the directors' stable member addresses in their `stateful.peers`
 * format, as each target names them (`rpcnet-director-1:7946,…` on Compose, `rpcnet-director-1.
 * rpcnet-director-headless.<namespace>.svc:7946,…` on Kubernetes). Needs a flow to that port.
 */
export function peersOf(service: string): PeersRefInput {
  return { peersOf: service };
}

/**
 * A value that looks like a secret and is none, allowed where it stands with the reason, which
 * reviewers read: `API_KEY_HEADER: plain('X-Api-Key', { reason: 'a header name, not a key' })`.
 * Kiln reads no hosts from it either: for URLs no service connects to (CORS origins).
 */
export function plain<T extends string | number>(value: T, options: { readonly reason: string }): { plain: T; reason: string } {
  return { plain: value, reason: options.reason };
}

/** The file a system was defined in, as the stack names it (a path or a file: URL). */
export function sourceOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? ((value as Record<symbol, unknown>)[SOURCE] as string | undefined) : undefined;
}

function callerFile(): string | undefined {
  // Frames: Error, callerFile, defineSystem, the system file.
  const frame = new Error().stack?.split('\n')[3] ?? '';
  const match = /\((.+?):\d+:\d+\)$/.exec(frame) ?? /at (.+?):\d+:\d+$/.exec(frame);
  return match?.[1];
}
