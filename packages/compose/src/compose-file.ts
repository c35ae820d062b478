/**
 * The part of the Compose Specification Kiln writes, as types. Property order in these interfaces is
 * the order the builders fill them in, so the emitted file reads the same way every time.
 */

export interface ComposeFile {
  readonly 'x-kiln': KilnExtension;
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly networks?: Readonly<Record<string, NamedResource>>;
  readonly volumes?: Readonly<Record<string, NamedResource>>;
  readonly secrets?: Readonly<Record<string, { readonly file: string }>>;
}

/** Compose ignores `x-` fields; the project name lives here because 1.29 rejects `name:`. */
export interface KilnExtension {
  readonly project: string;
  readonly run: string;
  /** Variables the operator must set (shell or `.env` beside the file): the secret environment values. */
  readonly environment?: readonly string[];
}

/** A top-level network or volume with an explicit Docker name, so it is not derived from the folder. */
export interface NamedResource {
  readonly name: string;
}

export interface ComposeService {
  image: string;
  /** `kiln.dev/config-hash`: a change of the bind-mounted configuration changes the service, so `up -d` recreates it. */
  labels?: Record<string, string>;
  entrypoint?: string[];
  command?: string[];
  hostname?: string;
  user?: string;
  environment?: Record<string, string>;
  secrets?: SecretMount[];
  /** Long form; the short `ip:host:container` form where an address is bound (docker-compose 1.29 has no host_ip). */
  ports?: (PublishedPort | string)[];
  expose?: string[];
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: 'service_healthy' | 'service_started' }>;
  deploy?: Deploy;
  ulimits?: Record<string, { soft: number; hard: number }>;
  sysctls?: Record<string, string>;
  read_only?: true;
  security_opt?: string[];
  cap_drop?: string[];
  tmpfs?: string[];
  volumes?: Mount[];
  networks?: string[] | Record<string, { readonly aliases: readonly string[] }>;
  restart?: 'on-failure' | 'unless-stopped';
  stop_signal?: string;
  stop_grace_period?: string;
}

export interface SecretMount {
  readonly source: string;
  readonly target: string;
}

export interface PublishedPort {
  readonly target: number;
  /** A string, as the spec allows ranges; docker-compose 1.29 reads it as a number. */
  readonly published: string;
  readonly protocol: 'tcp' | 'udp';
}

export interface Healthcheck {
  readonly test: string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly start_period: string;
}

export interface Deploy {
  replicas?: number;
  resources?: {
    limits?: ResourceSpec;
    reservations?: ResourceSpec;
  };
}

export interface ResourceSpec {
  cpus?: string;
  memory?: string;
}

export type Mount =
  | { readonly type: 'volume'; readonly source: string; readonly target: string }
  | { readonly type: 'bind'; readonly source: string; readonly target: string; readonly read_only: true };
