/**
 * rpcnet: HA directors behind a load balancer, an autoscaled worker pool, gossip membership.
 * Seed: shared/seeds/rpcnet-cluster-production-deployment.txt.
 */
import { defineSystem } from '@kiln/model';
import type { EnvironmentInput } from '@kiln/model';

// Seed: `image: rpcnet:latest`, one image holding both binaries. Pinned here (a moving tag cannot run in
// production); the registry path is our choice, the seed has none.
const IMAGE = 'ghcr.io/rpcnet/rpcnet:0.2.1';

// Every node joins the gossip cluster through the directors' Service name, which resolves in Compose and
// Kubernetes alike; any director can introduce a new member, so a load-balanced name is enough as a seed.
const SEED_NODES = 'rpcnet-director:7946';

// The seed's shutdown drains in-flight requests for up to 30s, then leaves the cluster: 30s + 10s margin.
// Caveat for the app (not fixable here): the seed's handler waits on ctrl_c (SIGINT) only, while
// Kubernetes and Compose stop containers with SIGTERM; the binary must also listen for SIGTERM.
const GRACE = 40;

// The Dockerfile has no USER, so the seed runs as root; Kiln runs a fixed non-root uid instead.
const SECURITY = { runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true };

// TLS material from the secret store (seed: "Secrets stored in secret manager (not env vars)"), as files
// where the seed's code reads them. The CA verifies clients (mutual TLS between nodes).
const TLS_FILES = [
  { path: '/etc/rpcnet/certs/server.crt', secret: 'rpcnet-tls', key: 'tls.crt' },
  { path: '/etc/rpcnet/certs/server.key', secret: 'rpcnet-tls', key: 'tls.key' },
  { path: '/etc/rpcnet/certs/ca.crt', secret: 'rpcnet-tls', key: 'ca.crt' },
];

export const rpcnet = defineSystem({
  name: 'rpcnet',
  description: 'RPC cluster: directors (HA coordinators) and a worker pool',
  services: [
    {
      name: 'rpcnet-director',
      description: 'Coordinator: takes client RPCs from the load balancer and dispatches to workers',
      image: IMAGE,
      command: ['director'],
      ports: [
        { name: 'rpc', port: 8080, expose: 'public' },
        // The seed's LoadBalancer Service and Compose file also publish gossip 7946/UDP. Kiln keeps it
        // internal: a load balancer in front of a membership protocol hides which member answers, and
        // the seed's own firewall allows only 8080 from the public network.
        { name: 'gossip', port: 7946, protocol: 'UDP' },
        { name: 'metrics', port: 9090 },
      ],
      env: {
        RUST_LOG: 'info',
        DIRECTOR_ADDR: '0.0.0.0:8080',
        BIND_ADDR: '0.0.0.0:7946',
        SEED_NODES,
      },
      resources: {
        requests: { cpu: '500m', memory: '256Mi' },
        // Seed: cpu "1000m", written canonically as '1' (the API server stores '1'; Argo CD would drift).
        limits: { cpu: '1', memory: '512Mi' },
      },
      probes: {
        liveness: { exec: { command: ['/usr/local/bin/health-check', '--endpoint=health'] }, initialDelaySeconds: 10, periodSeconds: 10 },
        readiness: { exec: { command: ['/usr/local/bin/health-check', '--endpoint=ready'] }, initialDelaySeconds: 5, periodSeconds: 5 },
      },
      // The seed's ready endpoint answers `workers > 0`, and workers register through this very
      // Service: gated on readiness, no director would ever become ready (and Compose workers would
      // wait forever for a healthy director). Workers and directors reach unready directors; the
      // public LoadBalancer still sends clients only to ready ones.
      publishNotReadyAddresses: true,
      replicas: 3,
      terminationGracePeriodSeconds: GRACE,
      security: SECURITY,
      scratch: ['/tmp'],
      secretFiles: TLS_FILES,
      metrics: { port: 'metrics' },
    },
    {
      name: 'rpcnet-worker',
      description: 'Processing node: registers with the directors and serves dispatched RPCs',
      image: IMAGE,
      command: ['worker'],
      // The seed gives workers WORKER_ADDR 0.0.0.0:8081 only; gossip and metrics mirror the directors
      // (the seed scrapes worker-N:9090 and workers join the gossip cluster).
      ports: [
        { name: 'rpc', port: 8081 },
        { name: 'gossip', port: 7946, protocol: 'UDP' },
        { name: 'metrics', port: 9090 },
      ],
      env: {
        RUST_LOG: 'info',
        WORKER_ADDR: '0.0.0.0:8081',
        DIRECTOR_ADDR: 'rpcnet-director:8080',
        BIND_ADDR: '0.0.0.0:7946',
        SEED_NODES,
        // The seed sets WORKER_LABEL=worker-1 per container. An autoscaled pool cannot carry a
        // per-replica value (each worker already registers under its own UUID), so the label names the
        // pool; production overrides it per region.
        WORKER_LABEL: 'rpcnet-worker',
      },
      // The seed sizes only directors; workers do the processing, so they get more. Our choice.
      resources: {
        requests: { cpu: '1', memory: '512Mi' },
        limits: { cpu: '2', memory: '1Gi' },
      },
      // The seed probes only directors; its health-check tool talks to the director API, so workers get
      // TCP checks on their RPC port.
      probes: {
        liveness: { tcp: { port: 'rpc' }, initialDelaySeconds: 10, periodSeconds: 10 },
        readiness: { tcp: { port: 'rpc' }, initialDelaySeconds: 5, periodSeconds: 5 },
      },
      // The seed has two HPAs on rpcnet-worker (CPU 70%, min 3; RPS 5000, min 2). Two HPAs on one
      // Deployment fight each other (AmbiguousSelector), so Kiln merges them into one. min 3 because the
      // seed alerts when fewer than 3 workers are healthy. averageValue "5000" is canonically '5k'.
      // rpc_requests_per_second must come from a custom-metrics adapter (rate of rpc_requests_total).
      autoscaling: {
        minReplicas: 3,
        maxReplicas: 20,
        cpuUtilization: 70,
        podsMetrics: [{ metric: 'rpc_requests_per_second', averageValue: '5k' }],
      },
      terminationGracePeriodSeconds: GRACE,
      security: SECURITY,
      scratch: ['/tmp'],
      secretFiles: TLS_FILES,
      dependsOn: ['rpcnet-director'],
      metrics: { port: 'metrics' },
    },
  ],
  // The seed's segmentation: public → directors on 8080 only (expose: 'public'); management (directors)
  // → workers full access; workers ↔ workers gossip. Workers also call the directors: they register at
  // DIRECTOR_ADDR and join gossip through SEED_NODES.
  flows: [
    { from: 'rpcnet-director', to: 'rpcnet-worker', port: 'rpc' },
    { from: 'rpcnet-director', to: 'rpcnet-worker', port: 'gossip' },
    { from: 'rpcnet-director', to: 'rpcnet-director', port: 'gossip' },
    { from: 'rpcnet-worker', to: 'rpcnet-worker', port: 'gossip' },
    { from: 'rpcnet-worker', to: 'rpcnet-director', port: 'rpc' },
    { from: 'rpcnet-worker', to: 'rpcnet-director', port: 'gossip' },
  ],
  // Not expressed (see the seed's dashboards and alerts): its "HighLatency" alert and P99 panel use
  // histogram_quantile(0.99, rpc_latency_seconds), which needs rate(rpc_latency_seconds_bucket[5m]);
  // that belongs to the observability issue.
});

/** One production region: same system, its own cluster and region label. */
export function rpcnetProduction(region: { name: string; region: string; cluster: string }): EnvironmentInput {
  return {
    name: region.name,
    stage: 'production',
    description: `rpcnet production in ${region.region}`,
    region: region.region,
    systems: [rpcnet],
    targets: { kubernetes: { cluster: region.cluster, version: '1.31', secretStore: { name: 'vault' } } },
    // The seed's multi-region diagram says "Worker Pool (10+)" while its HPA says min 3: the HPA is the
    // concrete configuration, the pool grows to 10+ under load. Cross-region gossip is "optional" in the
    // seed and not modelled (flows stay inside one environment).
    overrides: {
      'rpcnet-worker': { env: { WORKER_LABEL: `rpcnet-worker-${region.region}` } },
    },
  };
}
