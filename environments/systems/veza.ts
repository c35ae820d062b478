/**
 * veza: chat server and stream server (Rust), a Go API gateway, PostgreSQL and Redis.
 * Seed: shared/seeds/veza-stream-server-production-guide.txt (its settings are the production ones).
 */
import { defineSystem, secret } from '@kiln/model';
import type { ServiceInput } from '@kiln/model';

// Seed: `net.core.somaxconn`, `net.ipv4.tcp_max_syn_backlog` (namespaced: pod/container sysctls; unsafe in
// Kubernetes, so the cluster must allow them) and `net.core.netdev_max_backlog` (node-level: host profile).
// Seed's limits.conf `* nofile 1048576` is read by PAM logins only, never by containers or systemd units:
// Kiln carries it as the service's ulimit. 1048576 is also fs.nr_open's default, the most nofile can be.
const TUNING: ServiceInput['tuning'] = {
  sysctls: { 'net.core.somaxconn': 65535, 'net.ipv4.tcp_max_syn_backlog': 65535, 'net.core.netdev_max_backlog': 5000 },
  ulimits: { nofile: 1048576 },
};

// Seed: "TLS 1.3 for every connection", certificates read from /certs/server.{crt,key}: files from the store.
const TLS_FILES = [
  { path: '/certs/server.crt', secret: 'veza-tls', key: 'tls.crt' },
  { path: '/certs/server.key', secret: 'veza-tls', key: 'tls.key' },
];

// The apps' images have no documented user: a fixed non-root uid.
const APP_SECURITY = { runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true };

// Seed's graceful shutdown: stop accepting, drain up to 30s, force-close: 30s + 10s margin. Caveat for the
// app: the seed's handler waits on ctrl_c (SIGINT) while Kubernetes and Compose send SIGTERM.
const GRACE = 40;

type Ports = { http: number; ws: number; grpc: number; metrics: number };

/** A Rust module (chat or stream): the seed's shared configuration, ports and probes. */
function rustModule<const Name extends string>(name: Name, description: string, ports: Ports, env: ServiceInput['env']): ServiceInput & { name: Name } {
  return {
    name,
    description,
    // Seed: `veza/stream-server:v2.1.0` in its rolling update, VERSION=2.0.0 in its env: pinned at v2.0.0.
    image: `veza/${name}:v2.0.0`,
    ports: [
      { name: 'http', port: ports.http },
      { name: 'ws', port: ports.ws },
      { name: 'grpc', port: ports.grpc },
      { name: 'metrics', port: ports.metrics },
    ],
    env: {
      RUST_LOG: 'info', // ENVIRONMENT is set per environment by overrides.
      SERVICE_NAME: `veza-${name}`,
      VERSION: '2.0.0', // Duplicates the image tag (seed): an environment overriding `tag` must override this as well.
      HOST: '0.0.0.0',
      PORT: ports.http,
      WS_PORT: ports.ws,
      GRPC_PORT: ports.grpc,
      PROMETHEUS_PORT: ports.metrics,
      // Seed: DATABASE_URL=postgresql://veza:secure_pass@postgres:5432/veza_prod, a password in plain text.
      DATABASE_URL: secret('veza-database-url'),
      // 100 per instance × up to 50 instances of each module is far above Postgres' max_connections=500:
      // the seed's numbers only hold with a pooler (PgBouncer) in front; kept as the seed says.
      DATABASE_POOL_SIZE: 100,
      DATABASE_TIMEOUT_MS: 5000,
      REDIS_URL: 'redis://redis:6379',
      REDIS_POOL_SIZE: 50,
      REDIS_TTL_DEFAULT: 3600,
      // Jaeger is outside this system: no flow can be declared to it.
      JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
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
      ALLOWED_ORIGINS: 'https://veza.live,https://app.veza.live',
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
    terminationGracePeriodSeconds: GRACE,
    security: APP_SECURITY,
    scratch: ['/tmp'],
    secretFiles: TLS_FILES,
    dependsOn: ['postgres', 'redis'],
    metrics: { port: 'metrics' },
    tuning: TUNING,
  };
}

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
    }),
    // The seed gives none for the chat server; our choice keeps them distinct from the stream server's
    // (ws 8082, http 8083, grpc 50052, metrics 9091), so both can share a host. Its HPA mirrors the stream
    // server's: the seed sizes "the Rust modules" together.
    rustModule('chat-server', 'Chat: 100k+ WebSocket connections, moderation, E2E encryption', { http: 8083, ws: 8082, grpc: 50052, metrics: 9091 }, {
      MAX_MESSAGE_SIZE: 8192,
      MESSAGE_HISTORY_LIMIT: 1000,
      MODERATION_ENABLED: true,
      E2E_ENCRYPTION: 'optional',
    }),
    {
      name: 'api-gateway',
      // The public entry (the seed's "Load Balancer with SSL termination" in front of the Go backend).
      // Image, env and sizing are our choices: the seed describes the gateway only in its diagram.
      description: 'Go API gateway: the only public entry, routes to chat and stream servers',
      image: 'veza/api-gateway:v2.0.0',
      ports: [{ name: 'http', port: 8080, expose: 'public' }, { name: 'metrics', port: 9090 }],
      env: {
        PORT: 8080,
        METRICS_PORT: 9090,
        CHAT_HTTP_URL: 'http://chat-server:8083',
        CHAT_WS_URL: 'ws://chat-server:8082',
        CHAT_GRPC_ADDR: 'chat-server:50052',
        STREAM_HTTP_URL: 'http://stream-server:8080',
        STREAM_WS_URL: 'ws://stream-server:8081',
        STREAM_GRPC_ADDR: 'stream-server:50051',
        JWT_SECRET: secret('veza-jwt-secret'),
        ALLOWED_ORIGINS: 'https://veza.live,https://app.veza.live',
      },
      resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '4', memory: '2Gi' } },
      // No health endpoint is documented for the gateway: TCP on its HTTP port.
      probes: {
        readiness: { tcp: { port: 'http' }, periodSeconds: 10 },
        liveness: { tcp: { port: 'http' }, periodSeconds: 30, failureThreshold: 3 },
      },
      autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70 },
      terminationGracePeriodSeconds: GRACE,
      security: APP_SECURITY,
      scratch: ['/tmp'],
      secretFiles: TLS_FILES,
      dependsOn: ['chat-server', 'stream-server'],
      metrics: { port: 'metrics' },
      tuning: TUNING, // it carries every client connection: same kernel and fd tuning as the modules
    },
    {
      name: 'postgres',
      description: 'PostgreSQL: users, rooms, messages',
      image: 'postgres:16.4',
      // The seed tunes with ALTER SYSTEM, which lives in the data directory, outside git: as flags here.
      // (Its CREATE INDEX is a schema migration, not deployment configuration.)
      args: ['postgres', '-c', 'max_connections=500', '-c', 'shared_buffers=4GB', '-c', 'effective_cache_size=12GB', '-c', 'work_mem=64MB'],
      ports: [{ name: 'postgres', port: 5432 }],
      // PGDATA is a subdirectory: the volume's root holds lost+found, which initdb refuses.
      env: { POSTGRES_USER: 'veza', POSTGRES_DB: 'veza_prod', POSTGRES_PASSWORD: secret('veza-postgres-password'), PGDATA: '/var/lib/postgresql/data/pgdata' },
      // effective_cache_size=12GB assumes ~16GB for the server.
      resources: { requests: { cpu: '2', memory: '16Gi' }, limits: { cpu: '4', memory: '16Gi' } },
      probes: {
        readiness: { exec: { command: ['pg_isready', '-U', 'veza'] }, periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { exec: { command: ['pg_isready', '-U', 'veza'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
      },
      // Seed: "PostgreSQL 14+ with High Availability". One member here; HA (streaming replicas and
      // failover) needs an operator the model does not describe.
      stateful: { members: 1 },
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
      // The image's redis user is uid 999.
      security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999, readOnlyRootFilesystem: true },
      volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }],
    },
  ],
  // The seed's diagram: the gateway in front of both Rust modules; both use PostgreSQL and Redis.
  flows: [
    ...['stream-server', 'chat-server'].flatMap((to) => ['http', 'ws', 'grpc'].map((port) => ({ from: 'api-gateway', to, port }))),
    ...['stream-server', 'chat-server'].flatMap((from) => [
      { from, to: 'postgres', port: 'postgres' },
      { from, to: 'redis', port: 'redis' },
    ]),
  ],
  // For the observability issue: the seed's HighLatency alert is histogram_quantile(0.99,
  // http_request_duration_seconds), a quantile over a non-bucket series (needs rate(…_bucket[5m]));
  // its "active users" alert takes increase() of a value that can fall (increase never goes negative).
});
