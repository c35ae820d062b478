/**
 * veza: chat server and stream server (Rust), a Go API gateway, PostgreSQL and Redis.
 * Seed: shared/seeds/veza-stream-server-production-guide.txt (its settings are the production ones).
 */
import { defineSystem, goRuntime, plain, rustProcess, secret, url } from '@kiln/model';
import type { AlertInput, MetricInput, ServiceInput, WaiverInput } from '@kiln/model';

// Seed: `net.core.somaxconn`, `net.ipv4.tcp_max_syn_backlog` (namespaced: pod/container sysctls; unsafe in
// Kubernetes, so the cluster must allow them) and `net.core.netdev_max_backlog` (node-level: host profile).
// Seed's limits.conf `* nofile 1048576` is read by PAM logins only, never by containers or systemd units:
// Kiln carries it as the service's ulimit. 1048576 is also fs.nr_open's default, the most nofile can be.
const TUNING: ServiceInput['tuning'] = {
  sysctls: {
    'net.core.somaxconn': { value: 65535, reason: 'accept queue for bursts of 10k+ concurrent connections (seed: OS-level network tuning)' },
    'net.ipv4.tcp_max_syn_backlog': { value: 65535, reason: 'half-open connections during connection storms (seed: OS-level network tuning)' },
    'net.core.netdev_max_backlog': { value: 5000, reason: 'packets queued per CPU before the kernel drops them under streaming load (seed: OS-level network tuning)' },
  },
  ulimits: { nofile: { soft: 1048576, hard: 1048576, reason: 'one descriptor per client connection and stream (seed: file descriptor limits, 1048576)' } },
};

// Seed: "TLS 1.3 for every connection", certificates read from /certs/server.{crt,key}. Each service's
// certificate names its Service: on Kubernetes cert-manager issues it (Secret <service>-tls) from the
// environment's issuer; on Compose it is a secret file. The gateway calls the modules over TLS (url()
// makes its URLs https:// and wss://) and verifies them against the issuer's CA, ca.crt (the seed's
// "certificate pinning for inter-service communications"). The seed's TlsConfig reads the files once,
// at start: when cert-manager renews a certificate, the service restarts (Stakater Reloader).
const TLS = { certificate: '/certs/server.crt', key: '/certs/server.key' };

// The apps' images have no documented user: a fixed non-root uid.
const APP_SECURITY = { runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true };

// Seed's graceful shutdown: on ctrl_c (SIGINT only), stop accepting, drain up to 30s, force-close. Kiln
// sends SIGINT (Compose stop_signal; on Kubernetes 1.31, a preStop `kill -INT 1` through the image's
// shell) and waits 30s plus a margin before SIGKILL.
const RUST_STOP = { stopSignal: 'SIGINT', shutdownTimeoutSeconds: 30 } as const;

// The seed's runbooks run /bin/bash and curl inside the modules' containers (its memory-leak incident),
// so the image is a full distribution base with a shell.
const RUST_TOOLS = ['bash', 'curl', 'sh'];

// Seed: "JWT avec rotation automatique (24h)". JWT_SECRET is an environment variable, which a running
// process never sees change: its services restart when the secret does (Stakater Reloader on Kubernetes).
const JWT_ROTATION = { 'veza-jwt-secret': 'restart' } as const;
/** The JWT secret's rotation and the service's certificate's, which cert-manager renews. */
const tlsRotation = (name: string) => ({ ...JWT_ROTATION, [`${name}-tls`]: 'restart' as const });

// Seed: JAEGER_ENDPOINT=http://jaeger:14268/api/traces, a collector the seed runs nowhere: an endpoint
// outside the environment. Its HTTP collector port is declared once (the system's `externals`); each
// environment says where its collector is, and the modules' JAEGER_ENDPOINT follows from that host.
const JAEGER_PORT = 14268;

/** Where an environment's Jaeger collector is: its binding of the external endpoint and the modules' JAEGER_ENDPOINT, from one host. */
export function tracing(host: string): { externals: { jaeger: { host: string } }; env: { JAEGER_ENDPOINT: string } } {
  return { externals: { jaeger: { host } }, env: { JAEGER_ENDPOINT: `http://${host}:${JAEGER_PORT}/api/traces` } };
}

/** ALLOWED_ORIGINS: the public names browsers load the site from. Kiln checks the hosts values name; these are none it connects to. */
export function origins(...urls: string[]) {
  return plain(urls.join(','), { reason: 'CORS origins: the public names browsers load veza from; no service connects to them' });
}

type Ports = { http: number; ws: number; grpc: number; metrics: number };

// HTTP status codes the services answer with: declared so a matcher like status=~"5.." is checked
// against them, and so Kiln can write the SLO's test series.
const STATUS = ['200', '201', '204', '301', '302', '304', '400', '401', '403', '404', '409', '429', '500', '502', '503', '504'];

// The seed's performance metrics. It writes the latency both as a summary
// (http_request_duration_seconds{quantile="0.99"}) and as a histogram (histogram_quantile over it): the
// histogram is the one that aggregates across replicas, so that is what the services export.
const HTTP: MetricInput[] = [
  { name: 'http_requests_total', type: 'counter', help: 'HTTP requests by method and status', labels: ['method', { name: 'status', values: STATUS }] },
  { name: 'http_request_duration_seconds', type: 'histogram', help: 'HTTP request latency', unit: 'seconds', labels: ['method'] },
];

// Business metrics (seed's "Business Metrics"), on the module that owns them. The seed's
// active_users_total is named like a counter but falls when users leave: it is a gauge.
const CHAT: MetricInput[] = [
  { name: 'websocket_connections_active', type: 'gauge', help: 'Open WebSocket connections' },
  { name: 'message_delivery_success_rate', type: 'gauge', help: 'Share of messages delivered, 0 to 1', unit: 'ratio' },
  { name: 'active_users_total', type: 'gauge', help: 'Users connected now' },
];
const STREAM: MetricInput[] = [
  { name: 'websocket_connections_active', type: 'gauge', help: 'Open WebSocket connections' },
  { name: 'stream_quality_degraded_percent', type: 'gauge', help: 'Streams served below their target bitrate, in percent' },
];

const APPS = 'api-gateway|chat-server|stream-server';

/** An alert's test input: one series per sample list, on one instance of a job. */
function on(job: string, series: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(series).map(([metric, values]) => [metric.replace('{', `{job="${job}",instance="${job}-1",`).replace(',}', '}'), values]));
}

/** A Rust module (chat or stream): the seed's shared configuration, ports and probes. */
function rustModule<const Name extends string>(name: Name, description: string, ports: Ports, env: ServiceInput['env'], exports: MetricInput[]): ServiceInput & { name: Name } {
  return {
    name,
    description,
    // Seed: `veza/stream-server:v2.1.0` in its rolling update, VERSION=2.0.0 in its env: pinned at v2.0.0.
    image: `veza/${name}:v2.0.0`,
    ports: [
      { name: 'http', port: ports.http, appProtocol: 'http', tls: true },
      { name: 'ws', port: ports.ws, appProtocol: 'ws', tls: true },
      { name: 'grpc', port: ports.grpc, tls: true },
      { name: 'metrics', port: ports.metrics },
    ],
    env: {
      RUST_LOG: 'info', // ENVIRONMENT is set per environment by overrides.
      SERVICE_NAME: `veza-${name}`,
      VERSION: '2.0.0', // Duplicates the image tag (seed): an environment that sets `images` for the module must override this as well.
      HOST: '0.0.0.0',
      PORT: ports.http,
      WS_PORT: ports.ws,
      GRPC_PORT: ports.grpc,
      PROMETHEUS_PORT: ports.metrics,
      // DATABASE_POOL_SIZE and REDIS_POOL_SIZE come from connectionPools below.
      DATABASE_TIMEOUT_MS: 5000,
      REDIS_URL: 'redis://redis:6379',
      REDIS_TTL_DEFAULT: 3600,
      // JAEGER_ENDPOINT: set by each environment, beside its binding of the external endpoint 'jaeger' (tracing()).
      METRICS_ENABLED: true,
      TRACING_ENABLED: true,
      MAX_CONNECTIONS: 100000,
      WORKER_THREADS: 16, // 2 × the 8-core limit, as the seed's tokio tuning (num_cpus * 2)
      BLOCKING_THREADS: 32,
      MEMORY_LIMIT_MB: 8192, // below the 16Gi limit: the app's cap hits before the OOM killer
      // Seed: JWT_SECRET=your_production_jwt_secret_here, ENCRYPTION_KEY=your_32_byte_… in plain text.
      JWT_SECRET: secret('veza-jwt-secret'),
      ENCRYPTION_KEY: secret('veza-encryption-key'),
      RATE_LIMIT_PER_MINUTE: 1000,
      ENABLE_CORS: true,
      ALLOWED_ORIGINS: origins('https://veza.live', 'https://app.veza.live'),
      ...env,
    },
    // Seed: cpu_request "2000m", cpu_limit "8000m": written canonically as '2' and '8'. Its
    // ephemeral_storage "10Gi" is a limit: past it the kubelet evicts the pod rather than fill the node.
    resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '8', memory: '16Gi', ephemeralStorage: '10Gi' } },
    probes: {
      readiness: { http: { path: '/health/ready', port: 'http' }, timeoutSeconds: 5, periodSeconds: 10 },
      liveness: { http: { path: '/health/live', port: 'http' }, timeoutSeconds: 5, periodSeconds: 30, failureThreshold: 3 },
    },
    // Seed: `kubectl autoscale deployment/stream-server --cpu-percent=70 --min=5 --max=50`.
    autoscaling: { minReplicas: 5, maxReplicas: 50, cpuUtilization: 70 },
    // Seed: DATABASE_POOL_SIZE=100, REDIS_POOL_SIZE=50 per instance. At 50 instances of each module the
    // database pools reach 10,000 connections against max_connections=500: Kiln refuses that, and each
    // environment sizes the pools for its own replica bounds (overrides.<module>.connectionPools).
    connectionPools: { postgres: { size: 100, env: 'DATABASE_POOL_SIZE' }, redis: { size: 50, env: 'REDIS_POOL_SIZE' } },
    // Seed: DATABASE_URL=postgresql://veza:secure_pass@postgres:5432/veza_prod, a password in plain
    // text. Kiln builds it from the database it manages: on Kubernetes from the secret CloudNativePG
    // writes (host postgres-rw, the primary), on Compose from the postgres service and its password.
    databaseEnv: { DATABASE_URL: { database: 'postgres' } },
    ...RUST_STOP,
    tools: RUST_TOOLS,
    security: APP_SECURITY,
    scratch: ['/tmp'],
    tls: TLS,
    secretRotation: tlsRotation(name),
    dependsOn: ['postgres', 'redis'],
    metrics: { port: 'metrics', exports: [...HTTP, ...exports, ...rustProcess.metrics] },
    tuning: TUNING,
  };
}

/**
 * The seed's alerts and dashboards watch the Rust modules and the gateway (its rule group
 * veza-rust-modules); it names no exporter for PostgreSQL or Redis, so nothing watches them yet: a
 * waiver of the `alert-and-dashboard` policy for each, in staging and production.
 */
export const DATA_STORES_UNMONITORED: WaiverInput[] = (['postgres', 'redis'] as const).map((service) => ({
  policy: 'alert-and-dashboard',
  service,
  reason: "the seed's alerts and dashboards watch the Rust modules and the gateway only, and it names no exporter for PostgreSQL or Redis (postgres_exporter, redis_exporter) for Prometheus to scrape",
  expires: '2027-03-31',
}));

export const veza = defineSystem({
  name: 'veza',
  description: 'Veza platform: real-time chat and audio streaming behind a Go API gateway',
  services: [
    // The seed gives the stream server's ports (8080, 8081, 50051, metrics 9090).
    rustModule('stream-server', 'Audio streaming: 10k+ streams, adaptive bitrate', { http: 8080, ws: 8081, grpc: 50051, metrics: 9090 }, {
      MAX_STREAMS: 10000,
      MAX_LISTENERS_PER_STREAM: 10000,
      ADAPTIVE_BITRATE: true,
      DEFAULT_BITRATE: 128,
      CODECS_ENABLED: 'opus,aac,mp3',
    }, STREAM),
    // The seed gives none for the chat server; our choice keeps them distinct from the stream server's
    // (ws 8082, http 8083, grpc 50052, metrics 9091), so both can share a host. Its HPA mirrors the stream
    // server's: the seed sizes "the Rust modules" together.
    rustModule('chat-server', 'Chat: 100k+ WebSocket connections, moderation, E2E encryption', { http: 8083, ws: 8082, grpc: 50052, metrics: 9091 }, {
      MAX_MESSAGE_SIZE: 8192,
      MESSAGE_HISTORY_LIMIT: 1000,
      MODERATION_ENABLED: true,
      E2E_ENCRYPTION: 'optional',
    }, CHAT),
    {
      name: 'api-gateway',
      // The public entry (the seed's "Load Balancer with SSL termination" in front of the Go backend).
      // Image, env and sizing are our choices: the seed describes the gateway only in its diagram.
      description: 'Go API gateway: the only public entry, routes to chat and stream servers',
      image: 'veza/api-gateway:v2.0.0',
      // Ours: the Go binary on debian:bookworm-slim, with bash and sh (Compose's TCP check uses bash).
      tools: ['bash', 'sh'],
      // Plain HTTP: TLS ends at the load balancer in front of it (on Kubernetes, the environment's Gateway).
      ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }, { name: 'metrics', port: 9090 }],
      env: {
        PORT: 8080,
        METRICS_PORT: 9090,
        CHAT_HTTP_URL: url('chat-server', 'http'),
        CHAT_WS_URL: url('chat-server', 'ws'),
        CHAT_GRPC_ADDR: 'chat-server:50052',
        STREAM_HTTP_URL: url('stream-server', 'http'),
        STREAM_WS_URL: url('stream-server', 'ws'),
        STREAM_GRPC_ADDR: 'stream-server:50051',
        JWT_SECRET: secret('veza-jwt-secret'),
        ALLOWED_ORIGINS: origins('https://veza.live', 'https://app.veza.live'),
      },
      resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '4', memory: '2Gi' } },
      // No health endpoint is documented for the gateway: TCP on its HTTP port.
      probes: {
        readiness: { tcp: { port: 'http' }, periodSeconds: 10 },
        liveness: { tcp: { port: 'http' }, periodSeconds: 30, failureThreshold: 3 },
      },
      autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70 },
      // Ours, in Go: it drains on SIGTERM (signal.NotifyContext) for up to 30s, like the modules.
      shutdownTimeoutSeconds: 30,
      security: APP_SECURITY,
      scratch: ['/tmp'],
      // Its own certificate (a client identity it can present) and the CA that verifies the modules.
      tls: { ...TLS, ca: '/certs/ca.crt' },
      secretRotation: tlsRotation('api-gateway'),
      dependsOn: ['chat-server', 'stream-server'],
      // A Go service: client_golang's default registry adds the process and Go collectors.
      metrics: { port: 'metrics', exports: [...HTTP, ...goRuntime.metrics] },
      tuning: TUNING, // it carries every client connection: same kernel and fd tuning as the modules
    },
    {
      name: 'postgres',
      description: 'PostgreSQL: users, rooms, messages',
      // 16.10 on every target: CloudNativePG's operand images with barman-cloud (the `system` ones)
      // exist from the 16.6 era on, and a container target runs the same server as Kubernetes.
      image: 'postgres:16.10',
      ports: [{ name: 'postgres', port: 5432 }],
      // Seed: "PostgreSQL 14+ with High Availability" and point-in-time recovery: a database Kiln
      // manages. On Kubernetes a CloudNativePG Cluster (instances, WAL archiving and base backups per
      // environment: overrides.postgres.database); on Compose one container of the image above.
      database: {
        engine: 'postgresql',
        name: 'veza_prod',
        owner: 'veza',
        // The container's POSTGRES_PASSWORD; on Kubernetes CloudNativePG generates the owner's password.
        password: secret('veza-postgres-password'),
        operandImage: 'ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie',
        // The seed tunes with ALTER SYSTEM, which lives in the data directory, outside git (and which
        // CloudNativePG forbids): as parameters here. max_connections comes from maxConnections.
        // (Its CREATE INDEX is a schema migration, not deployment configuration.)
        parameters: { shared_buffers: '4GB', effective_cache_size: '12GB', work_mem: '64MB' },
      },
      // effective_cache_size=12GB assumes ~16GB for the server.
      resources: { requests: { cpu: '2', memory: '16Gi' }, limits: { cpu: '4', memory: '16Gi' } },
      // The container's health check; CloudNativePG probes its instances itself.
      probes: {
        readiness: { exec: { command: ['pg_isready', '-U', 'veza'] }, periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { exec: { command: ['pg_isready', '-U', 'veza'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
      },
      // The seed's ALTER SYSTEM max_connections (max_connections on every instance): Kiln holds the
      // clients' pools to it. Clients reach the primary only (CloudNativePG's `-rw` Service).
      maxConnections: 500,
      // No stopSignal: the official image's STOPSIGNAL SIGINT (fast shutdown: roll back open transactions,
      // checkpoint, exit) applies on every target, since nothing overrides it. The checkpoint of a busy
      // 4GB buffer pool takes a while: 60s before SIGKILL, which would cost a crash recovery at start.
      terminationGracePeriodSeconds: 60,
      // The image's postgres user is uid 999; its socket directory and /tmp must be writable.
      security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999, readOnlyRootFilesystem: true },
      scratch: ['/tmp', '/var/run/postgresql'],
      volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '100Gi' }],
    },
    {
      name: 'redis',
      description: 'Redis: sessions, pub/sub and caches',
      image: 'redis:7.2.5',
      // Seed: "Redis 7.0+ cluster mode", but REDIS_URL=redis://redis:6379 is a single node, and cluster
      // mode needs 6 nodes and a bootstrap step: one node with AOF persistence; maxmemory stays under the
      // limit and evicts only keys with a TTL (REDIS_TTL_DEFAULT).
      args: ['redis-server', '--appendonly', 'yes', '--maxmemory', '1536mb', '--maxmemory-policy', 'volatile-lru'],
      ports: [{ name: 'redis', port: 6379 }],
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
      probes: {
        readiness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
      },
      stateful: { members: 1 },
      // Redis' default maxclients (it raises its own soft nofile limit to fit them).
      maxConnections: 10000,
      // The image's redis user is uid 999.
      security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999, readOnlyRootFilesystem: true },
      volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }],
    },
  ],
  // The seed's diagram: the gateway in front of both Rust modules; both use PostgreSQL and Redis, and
  // send traces to Jaeger.
  flows: [
    ...['stream-server', 'chat-server'].flatMap((to) => ['http', 'ws', 'grpc'].map((port) => ({ from: 'api-gateway', to, port }))),
    ...['stream-server', 'chat-server'].flatMap((from) => [
      { from, to: 'postgres', port: 'postgres' },
      { from, to: 'redis', port: 'redis' },
      { from, to: 'jaeger', port: 'collector' },
    ]),
  ],
  externals: [{ name: 'jaeger', description: 'Jaeger collector: the Rust modules send their traces here (seed: JAEGER_ENDPOINT)', ports: [{ name: 'collector', port: JAEGER_PORT }] }],
  recordingRules: [
    // Seed: histogram_quantile(0.99, http_request_duration_seconds), a quantile over the family name
    // (no such series): the p99 needs the buckets' rates, aggregated by le.
    { record: 'job:http_request_duration_seconds:p99_rate5m', expr: 'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))' },
    { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', why: 'the throughput panel (seed target: more than 10k requests per second)' },
    // Seed: rate(http_errors_total[5m]) / rate(http_requests_total[5m]) in the alert and status=~"5.." in
    // its targets; one source of truth: 5xx responses of http_requests_total.
    { record: 'job:http_requests_errors:ratio_rate5m', expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))' },
  ],
  alerts: vezaAlerts(),
  // Seed's key metrics: latency, throughput, errors, resources, connections, business.
  dashboards: [
    {
      uid: 'veza-overview',
      title: 'Veza overview',
      tags: ['veza'],
      rows: [
        {
          title: 'Requests',
          panels: [
            {
              title: 'P99 latency',
              description: 'P99 latency per service from the buckets; the target is 50ms.',
              unit: 's',
              queries: [{ expr: `histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~"${APPS}"}[$__rate_interval])))`, legend: '{{job}}' }],
              thresholds: [{ value: 0.05, color: 'red' }],
            },
            { title: 'Throughput', description: 'Requests per second per service; the target is above 10k at the gateway.', unit: 'reqps', queries: [{ expr: `sum by (job) (rate(http_requests_total{job=~"${APPS}"}[$__rate_interval]))`, legend: '{{job}}' }] },
            {
              title: 'Error ratio',
              description: 'Share of 5xx responses per service; the target is below 0.1%, HighErrorRate fires above 1%.',
              unit: 'percentunit',
              queries: [{ expr: `sum by (job) (rate(http_requests_total{job=~"${APPS}",status=~"5.."}[$__rate_interval])) / sum by (job) (rate(http_requests_total{job=~"${APPS}"}[$__rate_interval]))`, legend: '{{job}}' }],
              thresholds: [{ value: 0.001, color: 'orange' }, { value: 0.01, color: 'red' }],
            },
          ],
        },
        {
          title: 'Resources',
          panels: [
            { title: 'CPU', description: 'CPU seconds per second used by each process.', unit: 'short', queries: [{ expr: `rate(process_cpu_seconds_total{job=~"${APPS}"}[$__rate_interval])`, legend: '{{instance}}' }] },
            { title: 'Memory', description: 'Resident memory of each process.', unit: 'bytes', queries: [{ expr: `process_resident_memory_bytes{job=~"${APPS}"}`, legend: '{{instance}}' }] },
            {
              title: 'WebSocket connections',
              description: 'Open WebSocket connections per instance; an instance holds at most 100k (MAX_CONNECTIONS).',
              unit: 'short',
              queries: [{ expr: 'websocket_connections_active', legend: '{{instance}}' }],
              thresholds: [{ value: 90000, color: 'red' }],
            },
          ],
        },
        {
          title: 'Business',
          panels: [
            { title: 'Message delivery', description: 'Share of chat messages delivered; below 99.9% pages.', unit: 'percentunit', queries: [{ expr: 'message_delivery_success_rate', legend: '{{instance}}' }], thresholds: [{ value: 0.999, color: 'green' }] },
            { title: 'Degraded streams', description: 'Streams below their target bitrate, in percent.', unit: 'percent', queries: [{ expr: 'stream_quality_degraded_percent', legend: '{{instance}}' }], thresholds: [{ value: 5, color: 'red' }] },
            { title: 'Active users', description: 'Users connected to the chat servers.', unit: 'short', queries: [{ expr: 'sum(active_users_total)', legend: 'users' }] },
          ],
        },
      ],
    },
  ],
  // The seed's incident runbooks.
  procedures: [
    {
      name: 'high-latency',
      title: 'Incident: high latency',
      summary: 'P99 latency is above the 50ms target (HighLatency).',
      steps: [
        { text: 'Quick diagnosis: CPU and memory of the stream servers, and their last logs.', run: { kubernetes: 'kubectl -n {namespace} top pods -l app.kubernetes.io/name=stream-server', compose: 'docker compose -p {project} -f {compose} top stream-server' } },
        { text: 'Read the recent logs.', run: { kubernetes: 'kubectl -n {namespace} logs -l app.kubernetes.io/name=stream-server --tail=100', compose: 'docker compose -p {project} -f {compose} logs --tail=100 stream-server' } },
        { text: 'If CPU is above 80%, scale out at once (the HPA follows; raise its bounds in the environment file for good).', run: { kubernetes: 'kubectl -n {namespace} scale deployment/stream-server --replicas=20' } },
        'Investigate connections and CPU inside an instance (htop, ss -tulpn).',
      ],
      panels: [
        { dashboard: 'veza-overview', panel: 'P99 latency' },
        { dashboard: 'veza-overview', panel: 'CPU' },
      ],
      see: ['service-down'],
    },
    {
      name: 'service-down',
      title: 'Incident: service down',
      summary: 'A service answers nothing (ServiceDown), or its error ratio is at 100%.',
      steps: [
        { text: 'Restart it.', run: { kubernetes: 'kubectl -n {namespace} rollout restart deployment/stream-server', compose: 'docker compose -p {project} -f {compose} restart stream-server' } },
        { text: 'Check its dependencies, PostgreSQL and Redis.', run: { kubernetes: 'kubectl -n {namespace} get pods -l app.kubernetes.io/name=postgres; kubectl -n {namespace} get pods -l app.kubernetes.io/name=redis', compose: 'docker compose -p {project} -f {compose} ps postgres-0 redis-0' } },
        'If it stays down, roll back to the previous image tag in the environment file and regenerate.',
      ],
      panels: [{ dashboard: 'veza-overview', panel: 'Error ratio' }],
      see: ['high-latency'],
    },
    {
      name: 'memory-leak',
      title: 'Incident: memory leak',
      summary: 'Memory grows steadily without more connections (HighMemoryUsage), until the OOM killer acts.',
      steps: [
        { text: 'Check for connection and file-descriptor leaks inside an instance: ss -s, and lsof -p 1 | wc -l.', run: { kubernetes: 'kubectl -n {namespace} exec deploy/stream-server -- ss -s', compose: 'docker compose -p {project} -f {compose} exec stream-server ss -s' } },
        'Take a heap profile from the metrics port (/debug/pprof/heap) for the developers.',
        { text: 'Restart in batches, waiting for each replacement: connections move to the fresh instances.', run: { kubernetes: 'for pod in $(kubectl -n {namespace} get pods -l app.kubernetes.io/name=stream-server -o name); do kubectl -n {namespace} delete $pod; sleep 30; done', compose: 'docker compose -p {project} -f {compose} restart stream-server' } },
      ],
      panels: [{ dashboard: 'veza-overview', panel: 'Memory' }],
      see: ['service-down'],
    },
  ],
  slos: [
    {
      name: 'veza-api-availability',
      service: 'api-gateway',
      description: 'Requests through the API gateway succeed (no 5xx)',
      // Seed's error-rate target is < 0.1%; the platform promises 99.99% at the gateway.
      objective: 99.99,
      period: '30d',
      sli: { errors: 'http_requests_total{job="api-gateway",status=~"5.."}', total: 'http_requests_total{job="api-gateway"}' },
    },
  ],
});

/** The seed's alerting rules and metric targets, corrected where the seed is wrong. */
function vezaAlerts(): AlertInput[] {
  const common = { escalation: 'Veza platform on-call; the database owner for postgres or redis causes.' };
  return [
    {
      // Seed: > 0.1 (100ms) for 2m, while its own target is P99 < 50ms: the alert holds the target.
      name: 'HighLatency',
      expr: `job:http_request_duration_seconds:p99_rate5m{job=~"${APPS}"} > 0.05`,
      for: '2m',
      severity: 'critical',
      summary: 'High latency on {{ $labels.job }}',
      description: 'P99 latency of {{ $labels.job }} is {{ $value | humanize }}s, above the 50ms target.',
      runbook: {
        impact: 'Chat messages and stream starts feel slow; clients may time out.',
        diagnosis: ['Which job: the gateway, or a module behind it?', 'Check CPU throttling, database pool waits (DATABASE_POOL_SIZE) and Redis latency.'],
        mitigation: ['Scale the slow module out (raise the HPA minimum).', 'Roll back a release that started it.'],
        panel: { dashboard: 'veza-overview', panel: 'P99 latency' },
        ...common,
      },
      tests: [
        {
          name: 'slow-chat',
          series: on('chat-server', {
            'http_request_duration_seconds_bucket{le="0.05",}': '0x20',
            'http_request_duration_seconds_bucket{le="0.25",}': '0+100x20',
            'http_request_duration_seconds_bucket{le="+Inf",}': '0+100x20',
          }),
          at: '10m',
          expect: [{ labels: { job: 'chat-server' }, value: 0.248 }],
        },
        {
          name: 'fast-chat',
          series: on('chat-server', { 'http_request_duration_seconds_bucket{le="0.05",}': '0+100x20', 'http_request_duration_seconds_bucket{le="+Inf",}': '0+100x20' }),
          at: '10m',
          expect: [],
        },
      ],
    },
    {
      name: 'HighErrorRate',
      expr: `job:http_requests_errors:ratio_rate5m{job=~"${APPS}"} > 0.01`,
      for: '1m',
      severity: 'critical',
      summary: 'High error rate on {{ $labels.job }}',
      description: '{{ $value | humanizePercentage }} of requests to {{ $labels.job }} fail with 5xx (threshold 1%).',
      runbook: {
        impact: 'Users see failed requests: messages not sent, streams not started.',
        diagnosis: ['Break errors down by status and instance.', 'Check postgres and redis reachability from the failing module.'],
        mitigation: ['Roll back a bad release.', 'Restart instances stuck on a broken connection pool.'],
        panel: { dashboard: 'veza-overview', panel: 'Error ratio' },
        ...common,
      },
      tests: [
        {
          name: 'five-percent-fail',
          series: on('api-gateway', { 'http_requests_total{status="200",}': '0+95x10', 'http_requests_total{status="503",}': '0+5x10' }),
          at: '8m',
          expect: [{ labels: { job: 'api-gateway' }, value: 0.05 }],
        },
      ],
    },
    {
      name: 'ServiceDown',
      expr: `up{job=~"${APPS}"} == 0`,
      // Seed: for 30s, one scrape interval: a single failed scrape would page. Two intervals.
      for: '1m',
      severity: 'critical',
      summary: '{{ $labels.job }} is down on {{ $labels.instance }}',
      description: 'Prometheus cannot scrape {{ $labels.instance }} of {{ $labels.job }}.',
      runbook: {
        impact: 'One instance serves nothing; with all instances down the service is out.',
        diagnosis: ['Is the process running? Check restarts and OOM kills.', 'Is the metrics port reachable from Prometheus (network policy)?'],
        mitigation: ['Restart the instance; if it crash-loops, roll back.'],
        ...common,
      },
      tests: [
        { name: 'scrape-fails', series: { 'up{job="stream-server",instance="stream-server-1"}': '1 1 0x10' }, at: '5m', expect: [{ labels: { job: 'stream-server', instance: 'stream-server-1' } }] },
        { name: 'one-missed-scrape', series: { 'up{job="stream-server",instance="stream-server-1"}': '1 1 0 1x10' }, at: '5m', expect: [] },
      ],
    },
    {
      // Seed: cpu_usage_percent > 80, a metric nothing exports. The container's CPU against its limit,
      // from cAdvisor and kube-state-metrics: Kubernetes only.
      name: 'HighCpuUsage',
      requires: ['cadvisor', 'kube-state-metrics'],
      expr: `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container=~"${APPS}"}[5m])) / sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="cpu",container=~"${APPS}"}) > 0.8`,
      for: '5m',
      severity: 'warning',
      summary: '{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its CPU limit',
      description: 'Container {{ $labels.container }} of {{ $labels.pod }} has used more than 80% of its CPU limit for 5 minutes; it is being throttled soon.',
      runbook: {
        impact: 'Throttled containers answer slower: latency rises.',
        diagnosis: ['Is the HPA at its maximum?', 'Did traffic grow, or did a release make requests more expensive?'],
        mitigation: ['Raise the HPA maximum or the CPU limit.'],
        panel: { dashboard: 'veza-overview', panel: 'CPU' },
        ...common,
      },
      tests: [
        {
          name: 'hot-pod',
          series: {
            'container_cpu_usage_seconds_total{namespace="veza",pod="chat-server-0",container="chat-server",cpu="total"}': '0+420x20',
            'kube_pod_container_resource_limits{namespace="veza",pod="chat-server-0",container="chat-server",resource="cpu",unit="core"}': '8x20',
          },
          at: '15m',
          expect: [{ labels: { namespace: 'veza', pod: 'chat-server-0', container: 'chat-server' }, value: 0.875 }],
        },
      ],
    },
    {
      // Seed: memory_usage_percent > 85, likewise nothing exports it: working set against the limit.
      name: 'HighMemoryUsage',
      requires: ['cadvisor', 'kube-state-metrics'],
      expr: `sum by (namespace, pod, container) (container_memory_working_set_bytes{container=~"${APPS}"}) / sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory",container=~"${APPS}"}) > 0.85`,
      for: '5m',
      severity: 'warning',
      summary: '{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit',
      description: 'Container {{ $labels.container }} of {{ $labels.pod }} is close to its memory limit; the OOM killer acts at 100%.',
      runbook: {
        impact: 'An OOM kill drops every connection of the pod.',
        diagnosis: ['Does memory grow steadily (a leak) or with connections?', 'Compare with MEMORY_LIMIT_MB, the app\'s own cap.'],
        mitigation: ['Restart the pod to buy time; roll back a leaking release.'],
        panel: { dashboard: 'veza-overview', panel: 'Memory' },
        ...common,
      },
      tests: [
        {
          name: 'near-limit',
          series: {
            'container_memory_working_set_bytes{namespace="veza",pod="stream-server-0",container="stream-server"}': '15032385536x20',
            'kube_pod_container_resource_limits{namespace="veza",pod="stream-server-0",container="stream-server",resource="memory",unit="byte"}': '17179869184x20',
          },
          at: '10m',
          expect: [{ labels: { namespace: 'veza', pod: 'stream-server-0', container: 'stream-server' }, value: 0.875 }],
        },
      ],
    },
    {
      name: 'TooManyWebSocketConnections',
      expr: 'websocket_connections_active > 90000',
      for: '5m',
      severity: 'warning',
      summary: '{{ $labels.instance }} holds {{ $value }} WebSocket connections',
      description: 'Above 90k of the 100k connections an instance may hold (MAX_CONNECTIONS): new clients will soon be refused.',
      runbook: {
        impact: 'New connections are refused once an instance reaches MAX_CONNECTIONS.',
        diagnosis: ['Are connections spread evenly across instances?'],
        mitigation: ['Scale out; connections rebalance as clients reconnect.'],
        panel: { dashboard: 'veza-overview', panel: 'WebSocket connections' },
        ...common,
      },
      tests: [{ name: 'crowded', series: on('chat-server', { 'websocket_connections_active{}': '95000x10' }), at: '6m', expect: [{ labels: { job: 'chat-server', instance: 'chat-server-1' }, value: 95000 }] }],
    },
    {
      name: 'MessageDeliveryDegraded',
      expr: 'message_delivery_success_rate < 0.999',
      for: '5m',
      severity: 'critical',
      summary: 'Message delivery below 99.9% on {{ $labels.instance }}',
      description: 'Only {{ $value | humanizePercentage }} of messages are delivered.',
      runbook: {
        impact: 'Chat messages are lost or late.',
        diagnosis: ['Check Redis pub/sub and the database for errors.'],
        mitigation: ['Fail over or restart the broken dependency.'],
        panel: { dashboard: 'veza-overview', panel: 'Message delivery' },
        ...common,
      },
      tests: [{ name: 'losing-messages', series: on('chat-server', { 'message_delivery_success_rate{}': '0.99x10' }), at: '6m', expect: [{ labels: { job: 'chat-server', instance: 'chat-server-1' }, value: 0.99 }] }],
    },
    {
      name: 'StreamsDegraded',
      expr: 'stream_quality_degraded_percent > 5',
      for: '5m',
      severity: 'warning',
      summary: '{{ $value }}% of streams degraded on {{ $labels.instance }}',
      description: 'More than 5% of streams are served below their target bitrate.',
      runbook: {
        impact: 'Listeners hear lower quality or buffering.',
        diagnosis: ['Check network throughput and CPU of the stream servers.'],
        mitigation: ['Scale stream servers out; lower DEFAULT_BITRATE if the network is saturated.'],
        panel: { dashboard: 'veza-overview', panel: 'Degraded streams' },
        ...common,
      },
      tests: [{ name: 'degraded', series: on('stream-server', { 'stream_quality_degraded_percent{}': '7x10' }), at: '6m', expect: [{ labels: { job: 'stream-server', instance: 'stream-server-1' }, value: 7 }] }],
    },
    {
      // Seed: increase(active_users_total[5m]) < -1000. increase() never goes below zero (it treats a
      // drop as a counter reset), so the seed's alert can never fire; delta() of the gauge can.
      name: 'ActiveUsersDrop',
      expr: 'delta(active_users_total[5m]) < -1000',
      severity: 'warning',
      summary: 'Active users dropped by {{ $value }} in 5 minutes',
      description: 'An unusual drop in connected users: a client release, a network problem or an outage.',
      runbook: {
        impact: 'Users are disconnected or cannot reconnect.',
        diagnosis: ['Compare with errors and WebSocket connections; check the public load balancer.'],
        mitigation: ['Fix what disconnected them; clients reconnect on their own.'],
        panel: { dashboard: 'veza-overview', panel: 'Active users' },
        ...common,
      },
      tests: [{ name: 'users-leave', series: on('chat-server', { 'active_users_total{}': '5000x5 3000x5' }), at: '8m', expect: [{ labels: { job: 'chat-server', instance: 'chat-server-1' }, value: -2000 }] }],
    },
  ];
}
