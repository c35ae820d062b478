/** The authoring schema of one service: what a person types in a system file. */
import { z } from 'zod';
import { dnsLabel, envVarName, imageReference, int32, portName, quantity, sysctlKey, userRecord } from './checks.js';
import { databaseEnvSchema, databaseSchema } from './database.js';
import { metricSchema } from './monitoring.js';
import { STOP_SIGNALS } from './lifecycle.js';
import { dataKey, plainSchemaOf, plainText, secretRefSchema } from './secret-ref.js';

const positiveInt = int32(1);
const seconds = int32(0);
/** An absolute path of a file (not a directory) in the container. */
const filePath = z.string().regex(/^\/[^\0]*[^/]$/, "an absolute path of a file, e.g. '/etc/app/config.yaml'");
/** A secret's key, in which a member's own file may name the member as `{id}`. */
const memberDataKey = z.string().regex(/^(?!\.\.?$)(?!\.\.)(?:[-._a-zA-Z0-9]|\{id\})+$/, "use letters, digits, '-', '_' and '.', and '{id}' in a member's own file");

export const portSchema = z.strictObject({
  /** Port name, unique in the service; flows, probes and metrics refer to it. At most 15 characters. */
  name: portName,
  /** The port the container listens on. */
  port: z.number().int().min(1).max(65535),
  /**
   * The transport protocol.
   * @default 'TCP'
   */
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
  /**
   * `internal`: reachable only by services with a flow to it. `public`: also from outside, through a
   * LoadBalancer (Kubernetes) or a published host port (Compose).
   * @default 'internal'
   */
  expose: z.enum(['internal', 'public']).default('internal'),
  /**
   * What speaks on the port, where Kiln needs to know: `'http'` or `'ws'` (WebSocket). `url()` builds
   * `http(s)://` or `ws(s)://` URLs to it, and only such a port can take a public route (`hostnames`).
   */
  appProtocol: z.enum(['http', 'ws']).optional(),
  /**
   * The port serves TLS with the service's certificate (`tls` on the service says where the process
   * reads it): URLs to it are `https://`/`wss://`, HTTP probes use HTTPS. TCP only.
   * @default false
   */
  tls: z.boolean().optional(),
});

/**
 * Where a service reads its TLS certificate, key and CA, as PEM files. On Kubernetes the files come
 * from the Secret `<service>-tls` that a cert-manager Certificate issues (DNS names: the Service's
 * names) from the issuer `targets.kubernetes.tls.issuer` names, unless `secret` names one from the
 * secret store; on Compose they are secret files (`<secretsDir>/<secret>.tls.crt`, `.tls.key`, `.ca.crt`).
 */
export const serviceTlsSchema = z.strictObject({
  /** The certificate chain's path in the container (`'/certs/server.crt'`): the secret's `tls.crt`. */
  certificate: filePath,
  /** The private key's path in the container: the secret's `tls.key`. */
  key: filePath,
  /**
   * The issuing CA's certificate, to verify peers (mutual TLS, pinning): the secret's `ca.crt`, which
   * CA, Vault and self-signed issuers write and ACME issuers do not.
   */
  ca: filePath.optional(),
  /**
   * A secret from the secret store holding `tls.crt`, `tls.key` (and `ca.crt`), when the certificate
   * is not Kiln's to issue (a CA outside the cluster).
   * @default '<service>-tls', issued by cert-manager on Kubernetes
   */
  secret: dnsLabel.optional(),
});

/** `url('chat-server', 'ws')`: the URL of a port of a service of the environment, scheme from its `appProtocol` and `tls`. */
export const urlRefSchema = z.strictObject({
  /** What the URL is built from; `url(service, port, path)` writes it. */
  url: z.strictObject({
    /** The service called. */
    service: dnsLabel,
    /** Its port, by name; it must declare `appProtocol`. */
    port: portName,
    /** Appended as written (`'/api/traces'`). */
    path: z.string().startsWith('/').optional(),
  }),
});

/**
 * `peersOf('rpcnet-director')`: the peer list of another stateful service (its `stateful.peers` format,
 * port and separator), which Kiln fills in per target as it fills the service's own: a gossip seed
 * list of stable member addresses.
 */
export const peersRefSchema = z.strictObject({
  /** The stateful service whose members are listed. */
  peersOf: dnsLabel,
});

/**
 * An environment value: plain text, a secret reference made with `secret('name')`, a URL made with
 * `url('service', 'port')`, another service's member list made with `peersOf('service')`, or, for a
 * value that only looks like a credential, `plain('…', { reason })`.
 */
export const envValueSchema = z.union([z.string(), z.number(), z.boolean(), secretRefSchema, plainSchemaOf(z.union([z.string(), z.number()])), urlRefSchema, peersRefSchema], {
  // What a diagnostic says the variable takes (schema-issues.ts): the helpers, not their objects.
  error: "a string, a finite number, a boolean, secret('…'), plain('…', { reason }), url('service', 'port') or peersOf('service')",
});

const computeResources = z.strictObject({
  /** CPU in cores or millicores, canonical: `'500m'`, `'2'`. */
  cpu: quantity.optional(),
  /** Memory with a binary suffix, canonical: `'512Mi'`, `'4Gi'`. */
  memory: quantity.optional(),
  /**
   * Local scratch disk (container writable layer, logs, emptyDir), canonical: `'10Gi'`. Kubernetes
   * evicts a pod over its limit; Compose has no per-container equivalent and leaves it out.
   */
  ephemeralStorage: quantity.optional(),
});

export const resourcesSchema = z.strictObject({
  /** What the scheduler reserves. */
  requests: computeResources.optional(),
  /** The most the container may use; never below the request. */
  limits: computeResources.optional(),
});

const probePort = z.union([portName, z.number().int().min(1).max(65535)]);

export const probeSchema = z.strictObject({
  /** An HTTP GET that must answer 2xx or 3xx. */
  http: z
    .strictObject({
      /** The path requested (`'/healthz'`). */
      path: z.union([z.string().startsWith('/'), plainSchemaOf(z.string().startsWith('/'))]),
      /** The port, by name or number. */
      port: probePort,
    })
    .optional(),
  /** A TCP connect. */
  tcp: z
    .strictObject({
      /** The port, by name or number. */
      port: probePort,
    })
    .optional(),
  /** A command run in the container that must exit 0. */
  exec: z
    .strictObject({
      /** The program and its arguments, run without a shell. */
      command: z.array(plainText).min(1),
    })
    .optional(),
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  initialDelaySeconds: seconds.default(0),
  /**
   * Seconds between probes.
   * @default 10
   */
  periodSeconds: positiveInt.default(10),
  /**
   * Seconds a probe may take before it counts as failed.
   * @default 1
   */
  timeoutSeconds: positiveInt.default(1),
  /**
   * Failures in a row that count as down.
   * @default 3
   */
  failureThreshold: positiveInt.default(3),
  /**
   * Successes in a row that count as up again (1 for liveness and startup probes).
   * @default 1
   */
  successThreshold: positiveInt.default(1),
});

export const autoscalingSchema = z.strictObject({
  /** Fewest replicas, also what Compose runs. */
  minReplicas: positiveInt,
  /** Most replicas the HorizontalPodAutoscaler may run. */
  maxReplicas: positiveInt,
  /** Target average CPU utilization, percent of the request. */
  cpuUtilization: z.number().int().min(1).max(100).optional(),
  /**
   * Per-pod custom metrics (HPA `Pods` metrics), each with a target average value.
   * @default []
   */
  podsMetrics: z
    .array(
      z.strictObject({
        /** Metric name as the custom metrics API serves it (`rpc_requests_per_second`). */
        metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a metric name is letters, digits, _ and :, not starting with a digit'),
        /** Target average per pod, a canonical quantity (`'5k'`, `'500m'`). */
        averageValue: quantity,
      }),
    )
    .default([]),
});

export const statefulSchema = z.strictObject({
  /** How many members, each with a stable id and network name. */
  members: positiveInt,
  /**
   * Id of the first member; the rest count up. Kubernetes uses it as the StatefulSet's first ordinal.
   * @default 0
   */
  firstId: int32(0).default(0),
  /** Environment variable that tells each member its own id. */
  idEnv: envVarName.optional(),
  /** Environment variable that carries the list of all members (a Raft peer list). */
  peers: z
    .strictObject({
      /** The variable's name (`DT_SERVERS`). */
      env: envVarName,
      /** Port (by name) that peers use to reach each member. */
      port: portName,
      /** One member's entry; `{id}`, `{host}` and `{port}` are replaced. @default '{host}:{port}' */
      format: plainText.default('{host}:{port}'),
      /**
       * Between two members' entries.
       * @default ','
       */
      separator: z.string().default(','),
    })
    .optional(),
  /**
   * How many members may be down at once, voluntarily (drains, rollouts). For a Raft group of 3, 1.
   * @default 1
   */
  maxUnavailable: positiveInt.default(1),
});

export const volumeSchema = z.strictObject({
  /** Volume name, a DNS-1123 label unique in the service; names the claim. */
  name: dnsLabel,
  /** Where the volume is mounted in the container. */
  mountPath: z.string().startsWith('/'),
  /** Capacity, canonical (`'100Gi'`). */
  size: quantity,
  /** Storage class; the cluster default when absent. */
  storageClass: dnsLabel.optional(),
});

export const securitySchema = z.strictObject({
  /**
   * Refuse to start a container whose user is root.
   * @default true
   */
  runAsNonRoot: z.boolean().default(true),
  /** User id to run as; the image's user when absent. */
  runAsUser: z.number().int().min(0).optional(),
  /** Primary group id to run as; the image's group when absent. */
  runAsGroup: z.number().int().min(0).optional(),
  /** Group that owns mounted volumes. */
  fsGroup: z.number().int().min(0).optional(),
  /**
   * Mount the image's filesystem read-only: writes go to `volumes` and `scratch`.
   * @default true
   */
  readOnlyRootFilesystem: z.boolean().default(true),
  /**
   * Let a process gain more privileges than its parent (setuid binaries).
   * @default false
   */
  allowPrivilegeEscalation: z.boolean().default(false),
});

const ulimitValue = z.union([
  z.number().int().min(0),
  z.strictObject({
    /** The limit a process starts with. */
    soft: z.number().int().min(0),
    /** The most a process may raise its soft limit to. */
    hard: z.number().int().min(0),
    /** Why the service needs it (it ends up in the files and the runbook). */
    reason: z.string().min(1).optional(),
  }),
]);

/** A sysctl need: the value, and why the service needs it (it ends up in the files and the runbook). */
export const sysctlNeedSchema = z.strictObject({
  /** The value the service needs (`65535`, `'1024 65535'`). */
  value: z.union([z.string(), z.number()]),
  /** Why the service needs it. */
  reason: z.string().min(1),
  /**
   * A key Kiln's knowledge base does not list, declared on purpose: Kiln treats it as node-level.
   * @default false
   */
  unlisted: z.boolean().default(false),
});

export const tuningSchema = z.strictObject({
  /**
   * Kernel settings the service needs, each with its reason: `{ value: 65535, reason: '…' }` (a bare
   * value is accepted, with no reason to show). Kiln checks key and value against its knowledge base
   * and places each where the kernel will apply it.
   * @default {}
   */
  sysctls: z.record(sysctlKey, z.union([z.string(), z.number(), sysctlNeedSchema])).default({}),
  /**
   * Resource limits (`nofile`, `nproc`, …), a number or `{ soft, hard, reason }`.
   * @default {}
   */
  ulimits: z.record(z.string().regex(/^[a-z]+$/, "a resource limit's lower-case name, e.g. 'nofile'"), ulimitValue).default({}),
});

export const metricsSchema = z.strictObject({
  /** Port (by name) that serves metrics. */
  port: portName,
  /**
   * The path Prometheus scrapes.
   * @default '/metrics'
   */
  path: z.string().startsWith('/').default('/metrics'),
  /**
   * The metrics served there: alerts, recording rules, SLOs and dashboards may use only these,
   * the platform's catalogs and the environment's recording rules. Spread an imported catalog in
   * (`...rustProcess.metrics`) for what a client library exports on its own.
   * @default []
   */
  exports: z.array(metricSchema).default([]),
});

export const serviceSchema = z.strictObject({
  /** Service name, a DNS-1123 label unique in the environment; objects are named after it. */
  name: dnsLabel,
  /** One line on what it does; shown in generated indexes. */
  description: z.string().optional(),
  /** Image with a tag or digest: `'ghcr.io/acme/api:1.4.2'`. Staging and production require one other than `latest`. */
  image: imageReference,
  /** Replaces the image's entrypoint. */
  command: z.array(plainText).optional(),
  /** Replaces the image's default arguments. */
  args: z.array(plainText).optional(),
  /**
   * Ports the container listens on.
   * @default []
   */
  ports: z.array(portSchema).default([]),
  /**
   * Environment variables; secret values must be `secret('name')` references.
   * @default {}
   */
  env: userRecord(envVarName, envValueSchema).default({}),
  /**
   * Let Kubernetes expand `$(NAME)` in this service's env values, command and args, from the
   * container's variables (`DATABASE_URL: 'postgres://shop:$(DB_PASSWORD)@db/shop'`), with `$$`
   * for a literal `$`. Compose gets each reference replaced by the variable's value. Without it,
   * values are literal: Kiln escapes every `$(` so that Kubernetes leaves it alone.
   * @default false
   */
  expand: z.boolean().default(false),
  /** CPU, memory and scratch-disk requests and limits. */
  resources: resourcesSchema.optional(),
  /** Health checks: liveness restarts, readiness routes traffic, startup holds the others off. */
  probes: z
    .strictObject({
      /** Restarts the container when it fails. */
      liveness: probeSchema.optional(),
      /** Takes the replica out of its Services' endpoints while it fails. */
      readiness: probeSchema.optional(),
      /** Holds the other probes off until it first succeeds, for a slow start. */
      startup: probeSchema.optional(),
    })
    .optional(),
  /**
   * Fixed replica count; not with `autoscaling` or `stateful`.
   * @default 1
   */
  replicas: int32(0).optional(),
  /** Horizontal autoscaling between bounds, on CPU and per-pod metrics; not with `replicas`. */
  autoscaling: autoscalingSchema.optional(),
  /** Ordered members with stable ids and names (a Raft group, a validator set). */
  stateful: statefulSchema.optional(),
  /**
   * The signal the process drains on: what its shutdown handler waits for (`'SIGINT'` for Rust's
   * `tokio::signal::ctrl_c()`). Compose gets `stop_signal`, systemd `KillSignal=`; Kubernetes gets
   * `lifecycle.stopSignal` where the cluster has it (`targets.kubernetes.featureGates`), else a preStop
   * hook that sends it to PID 1 (`kill -INT 1`), which needs `kill` or `sh` in the image (`tools`).
   * @default the image's STOPSIGNAL, else SIGTERM
   */
  stopSignal: z.enum(STOP_SIGNALS).optional(),
  /**
   * How long the application's own shutdown may take, in seconds: its drain timeout. Kiln waits that
   * long plus a margin (`terminationGracePeriodSeconds`) before SIGKILL.
   */
  shutdownTimeoutSeconds: seconds.optional(),
  /**
   * Seconds between the stop signal and SIGKILL: Kubernetes `terminationGracePeriodSeconds`, Compose
   * `stop_grace_period`, systemd `TimeoutStopSec=`. At least `shutdownTimeoutSeconds` plus 10.
   * @default shutdownTimeoutSeconds + 10, else 30
   */
  terminationGracePeriodSeconds: seconds.optional(),
  /**
   * Programs the image ships that Kiln may run inside it (`'sh'`, `'kill'`): a preStop hook that
   * delivers `stopSignal` on Kubernetes needs `kill` or `sh`. Kiln runs nothing the image does not list.
   * @default []
   */
  tools: z.array(z.string().regex(/^[a-z0-9][a-z0-9._+-]*$/, "a program's file name, e.g. 'sh'")).default([]),
  /**
   * Directories the application writes to (`'/backup'`): with a read-only root filesystem each must be
   * a volume or scratch space, or the write fails at run time.
   * @default []
   */
  writes: z.array(z.string().startsWith('/')).default([]),
  /**
   * Connection pools the service opens to the services it calls, by server name:
   * `{ postgres: { size: 100, env: 'DATABASE_POOL_SIZE' } }`. Kiln sets `env` to the size and checks
   * that the server's `maxConnections` holds every client's pool at its most replicas.
   * @default {}
   */
  connectionPools: z
    .record(
      dnsLabel,
      z.strictObject({
        /** The most connections one replica opens to the server. */
        size: positiveInt,
        /** The variable the service reads the size from. */
        env: envVarName.optional(),
      }),
    )
    .default({}),
  /** The most client connections the service accepts (PostgreSQL's `max_connections`, Redis' `maxclients`). */
  maxConnections: positiveInt.optional(),
  /**
   * The service is a database Kiln manages: a CloudNativePG Cluster on Kubernetes (instances, storage
   * from its one volume, backups from `overrides.<service>.database`), one container of `image`
   * elsewhere, with the variables and flags Kiln derives. Clients read it through `databaseEnv`.
   */
  database: databaseSchema.optional(),
  /**
   * Variables set from managed databases' connection settings, by name:
   * `{ DATABASE_URL: { database: 'postgres', setting: 'uri' } }`. Kubernetes reads them from the
   * secret CloudNativePG writes (`<database>-app`); Compose builds them from the service name, port,
   * database, owner and password secret. Needs a flow to the database.
   * @default {}
   */
  databaseEnv: databaseEnvSchema.default({}),
  /**
   * How each secret rotated outside git (by secret name) reaches the running service: `'reload'`, the
   * app re-reads its secret files, which Kubernetes updates in place; `'restart'`, the pods restart when
   * the secret changes (Stakater Reloader's `secret.reloader.stakater.com/reload` annotation on the
   * workload: Reloader must run in the cluster). Environment variables never change in a running
   * process: a secret read from one needs `'restart'`.
   * @default {}
   */
  secretRotation: z.record(dnsLabel, z.enum(['reload', 'restart'])).default({}),
  /**
   * Security context; the defaults are non-root, read-only root filesystem, no privilege escalation.
   * @default { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }
   */
  security: securitySchema.default({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }),
  /**
   * Persistent volumes, one claim per replica or member.
   * @default []
   */
  volumes: z.array(volumeSchema).default([]),
  /**
   * Writable scratch directories (emptyDir, tmpfs), needed with a read-only root filesystem.
   * @default []
   */
  scratch: z.array(z.string().startsWith('/')).default([]),
  /** Configuration files, mounted read-only in one directory. */
  config: z
    .strictObject({
      /** Directory the files appear in. */
      mountPath: z.string().startsWith('/'),
      /** File contents by file name. */
      files: userRecord(dataKey, plainText),
      /**
       * Files each member of a stateful service gets its own copy of, `{id}` in the text replaced by
       * its id (`'node-private-key-file="/keys/validator-{id}/key.pem"'`), beside `files` in the same
       * directory. Like a member's own secret files, they give each member a workload of its own on
       * Kubernetes.
       */
      memberFiles: userRecord(dataKey, plainText).optional(),
    })
    .optional(),
  /** Where the process reads its TLS certificate: needed by ports that serve `tls`. */
  tls: serviceTlsSchema.optional(),
  /**
   * Secrets delivered as read-only files (TLS certificates, signing keys), for software that reads
   * a path rather than a variable. On Kubernetes the files of one secret in one directory are
   * mounted as that directory (so rotation reaches them), which hides anything else in it: give
   * them a directory of their own.
   * @default []
   */
  secretFiles: z
    .array(
      z.strictObject({
        /** Absolute path of the file in the container; with `member: 'each'`, `{id}` is the member's id. */
        path: filePath,
        /** Name of the secret. */
        secret: dnsLabel,
        /** The key in the secret; with `member: 'each'`, `{id}` is the member's id (`'validator-{id}'`). @default 'value' */
        key: memberDataKey.default('value'),
        /**
         * Which member of a stateful service mounts it: one member by id (`3`), or `'each'`, every member
         * its own file, `{id}` in `path` and `key` replaced by its id. No other member ever sees it: on
         * Compose each member is a service of its own, on Kubernetes each member gets a StatefulSet of
         * its own (`<service>-<id>`, pod `<service>-<id>-0`), as a pod template cannot differ by ordinal.
         * @default every replica mounts it
         */
        member: z.union([int32(0), z.literal('each')]).optional(),
      }),
    )
    .default([]),
  /**
   * Let other services reach replicas that are not ready yet: the internal Service publishes
   * not-ready addresses, and Compose dependants wait for the start, not the health. For a service
   * whose readiness waits on its callers (a director that is ready once workers registered).
   * Public traffic still goes only to ready replicas.
   * @default false
   */
  publishNotReadyAddresses: z.boolean().default(false),
  /**
   * Services that must be healthy before this one starts (Compose `depends_on`).
   * @default []
   */
  dependsOn: z.array(dnsLabel).default([]),
  /** Where Prometheus scrapes the service. */
  metrics: metricsSchema.optional(),
  /** Kernel and resource-limit needs, placed per target. */
  tuning: tuningSchema.optional(),
});

export type ServiceInput = z.input<typeof serviceSchema>;
export type SecretRefInput = z.input<typeof secretRefSchema>;
export type EnvValueInput = z.input<typeof envValueSchema>;
export type UrlRefInput = z.input<typeof urlRefSchema>;
export type PeersRefInput = z.input<typeof peersRefSchema>;
export type ResourcesInput = z.input<typeof resourcesSchema>;
