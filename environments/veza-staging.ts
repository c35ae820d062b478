/** veza staging: the same platform on one Docker host, sized down. */
import { defineEnvironment, secret } from '@kiln/model';
import type { OverrideInput } from '@kiln/model';
import { grafana, RUNBOOKS } from './systems/site.js';
import { DATA_STORES_UNMONITORED, origins, tracing, veza } from './systems/veza.js';

const ORIGINS = origins('https://staging.veza.live');

// Staging's Jaeger runs outside the Compose project, on the organisation's staging tooling host (our
// placeholder: the seed names none). Compose networks are bridges: the modules reach it through the host.
const TRACING = tracing('jaeger.staging.example.org');

// A Rust module sized for one host: its thread count, connection cap and memory cap follow the smaller
// container (MEMORY_LIMIT_MB stays below the 4Gi limit). Compose does not autoscale: one replica, whose
// 20 database connections (two modules: 40 of max_connections=500) are plenty for staging's traffic.
const module: OverrideInput = {
  env: { ENVIRONMENT: 'staging', ALLOWED_ORIGINS: ORIGINS, WORKER_THREADS: 4, MAX_CONNECTIONS: 10000, MEMORY_LIMIT_MB: 3072, ...TRACING.env },
  connectionPools: { postgres: 20 },
  resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  autoscaling: { minReplicas: 1, maxReplicas: 1 },
};

export default defineEnvironment({
  name: 'veza-staging',
  stage: 'staging',
  description: 'Veza platform in staging (Docker Compose)',
  systems: [veza],
  // net.core.netdev_max_backlog is node-level: it goes to the Docker host's profile
  // (host/sysctl.d/90-docker-host.conf); the namespaced sysctls and nofile stay on the containers.
  targets: { compose: { hostProfile: 'docker-host' } },
  externals: TRACING.externals,
  // Staging pages nobody: everything goes to the team's channel.
  monitoring: {
    grafana: grafana('staging'),
    runbookBaseUrl: RUNBOOKS,
    alerting: {
      receivers: [{ name: 'veza-staging', slack: { url: secret('veza-slack-webhook'), channel: '#veza-staging' } }],
      routes: { critical: 'veza-staging', warning: 'veza-staging', info: 'veza-staging' },
    },
  },
  overrides: {
    'stream-server': module,
    'chat-server': module,
    // One gateway: its port is published on the host.
    'api-gateway': {
      env: { ENVIRONMENT: 'staging', ALLOWED_ORIGINS: ORIGINS },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      autoscaling: { minReplicas: 1, maxReplicas: 1 },
    },
    // Postgres parameters (shared_buffers=4GB …) are the system's, which environments cannot
    // override: staging keeps them, with a limit that still holds the 4GB of shared buffers. One
    // container on Compose: no replicas, and no WAL archiving (the seed asks PITR of production).
    postgres: {
      database: { name: 'veza_staging' },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '6Gi' } },
      volumeSizes: { data: '20Gi' },
    },
    redis: { volumeSizes: { data: '2Gi' } },
  },
  // Stage policies this environment does not meet yet (`npx kiln policies`).
  waivers: [
    {
      policy: 'public-tls',
      service: 'api-gateway',
      reason: "staging's one Docker host publishes the gateway's port in plain HTTP; the seed terminates TLS at production's load balancer, which staging does not have",
      expires: '2027-03-31',
    },
    ...DATA_STORES_UNMONITORED,
  ],
});
