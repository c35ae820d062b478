/**
 * The part of the Compose Specification Kiln writes, as types. Property order in these interfaces is
 * the order the builders fill them in, so the emitted file reads the same way every time.
 */

export interface ComposeFile {
  /** Compose ignores `x-` fields; the project name lives here because 1.29 rejects `name:`. */
  readonly 'x-kiln': { readonly project: string; readonly run: string };
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly networks?: Readonly<Record<string, Record<string, never>>>;
  readonly volumes?: Readonly<Record<string, Record<string, never>>>;
  readonly secrets?: Readonly<Record<string, { readonly file: string }>>;
}

export interface ComposeService {
  image: string;
  entrypoint?: string[];
  command?: string[];
  hostname?: string;
  user?: string;
  environment?: Record<string, string>;
  secrets?: SecretMount[];
  ports?: PublishedPort[];
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
  networks?: string[];
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
