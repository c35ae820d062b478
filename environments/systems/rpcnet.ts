/**
 * rpcnet: HA directors behind a load balancer, an autoscaled worker pool, gossip membership.
 * Seed: shared/seeds/rpcnet-cluster-production-deployment.txt.
 */
import { cadvisor, defineSystem, kubeStateMetrics, peersOf, rustProcess, secret } from '@kiln/model';
import type { EnvironmentInput, MetricInput, MonitoringInput } from '@kiln/model';
import { DELIVERY, grafana, RUNBOOKS } from './site.js';

// Seed: `image: rpcnet:latest`, one image holding both binaries. Pinned here (a moving tag cannot run in
// production); the registry path is our choice, the seed has none.
const IMAGE = 'ghcr.io/rpcnet/rpcnet:0.2.1';

// The gossip seed list (SEED_NODES, parsed by the seed's parse_seeds) names every director by its stable
// member address, as the seed's director-1 … director-3: a load-balanced name would let a director that
// joins through it reach itself, and directors starting together form clusters that never merge. Kiln
// fills the list per target (`rpcnet-director-1:7946,…` on Compose, `rpcnet-director-1.rpcnet-director-
// headless.<namespace>.svc:7946,…` on Kubernetes): the directors' own `stateful.peers`, the workers' the
// same list through peersOf().

// The seed's shutdown handler waits on ctrl_c, SIGINT only, then drains in-flight requests for up to 30s
// and leaves the cluster. Kiln sends SIGINT (Compose stop_signal; on Kubernetes 1.31, which has no
// lifecycle.stopSignal, a preStop `kill -INT 1` through the image's /bin/sh) and allows 30s plus a margin.
const STOP = { stopSignal: 'SIGINT', shutdownTimeoutSeconds: 30 } as const;

// The seed's Dockerfile: debian:bookworm-slim, which has bash (an Essential package, in every Debian
// image) and /bin/sh (dash), but no procps `kill` binary and no curl. Compose's TCP checks use bash.
const TOOLS = ['bash', 'sh'];

// The TLS files are rotated in the secret store. The seed's hourly loop hot-reloads only when the
// server.crt on disk expires soon, from server.crt.new; Kubernetes replaces the mounted server.crt
// itself, so that check would never fire and the process would keep the old certificate in memory
// until it expires. A rolling restart when the secret changes loads the new one without downtime.
const ROTATION = { 'rpcnet-tls': 'restart' } as const;

// The Dockerfile has no USER, so the seed runs as root; Kiln runs a fixed non-root uid instead.
const SECURITY = { runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true };

// The RPC ports serve TLS with a CA-signed certificate from the secret store (seed: "Proper CA-signed
// certificates", "Secrets stored in secret manager (not env vars)"), read where the seed's code reads
// them; the CA verifies clients (mutual TLS between nodes). The seed keeps that certificate in its
// secret manager, so Kiln reads it from the store rather than issuing one per Service.
const TLS = { certificate: '/etc/rpcnet/certs/server.crt', key: '/etc/rpcnet/certs/server.key', ca: '/etc/rpcnet/certs/ca.crt', secret: 'rpcnet-tls' };

// The seed's metrics (its "Essential Metrics"), exported by directors and workers alike through the
// prometheus crate's default registry, which also carries the process collector.
const METRICS: MetricInput[] = [
  { name: 'rpc_requests_total', type: 'counter', help: 'Total RPC requests' },
  // Seed buckets: 1ms … 1s.
  { name: 'rpc_latency_seconds', type: 'histogram', help: 'RPC latency distribution', unit: 'seconds' },
  { name: 'cluster_healthy_workers', type: 'gauge', help: 'Number of healthy workers' },
  // The seed shows type="timeout"; the other values are the app's, so none are declared.
  { name: 'rpc_errors_total', type: 'counter', help: 'Total RPC errors', labels: ['type'] },
  ...rustProcess.metrics,
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
        { name: 'rpc', port: 8080, expose: 'public', tls: true },
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
      // Seed: three directors, director-1 … director-3, identical but for their address (each takes a
      // random UUID as its id): members with stable names, so that the seed list can name them.
      stateful: { members: 3, firstId: 1, peers: { env: 'SEED_NODES', port: 'gossip' } },
      ...STOP,
      tools: TOOLS,
      security: SECURITY,
      // The seed's backup_cluster_state writes /backup/cluster_state.json: membership metadata ("not
      // data") that the directors re-learn through gossip from any live member. Under the read-only
      // root it needs a writable directory; scratch keeps it for the pod's life. For disaster recovery
      // it is copied off the pod (`kubectl cp`), as the seed's restore reads it from a path it is given.
      writes: ['/backup'],
      scratch: ['/backup', '/tmp'],
      tls: TLS,
      secretRotation: ROTATION,
      metrics: { port: 'metrics', exports: METRICS },
    },
    {
      name: 'rpcnet-worker',
      description: 'Processing node: registers with the directors and serves dispatched RPCs',
      image: IMAGE,
      command: ['worker'],
      // The seed gives workers WORKER_ADDR 0.0.0.0:8081 only; gossip and metrics mirror the directors
      // (the seed scrapes worker-N:9090 and workers join the gossip cluster).
      ports: [
        { name: 'rpc', port: 8081, tls: true },
        { name: 'gossip', port: 7946, protocol: 'UDP' },
        { name: 'metrics', port: 9090 },
      ],
      env: {
        RUST_LOG: 'info',
        WORKER_ADDR: '0.0.0.0:8081',
        DIRECTOR_ADDR: 'rpcnet-director:8080',
        BIND_ADDR: '0.0.0.0:7946',
        SEED_NODES: peersOf('rpcnet-director'),
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
      ...STOP,
      tools: TOOLS,
      security: SECURITY,
      scratch: ['/tmp'],
      tls: TLS,
      secretRotation: ROTATION,
      dependsOn: ['rpcnet-director'],
      metrics: { port: 'metrics', exports: METRICS },
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
  // The seed's recording needs: throughput, p99 and error ratio per job (directors and workers apart).
  recordingRules: [
    { record: 'job:rpc_requests:rate5m', expr: 'sum by (job) (rate(rpc_requests_total[5m]))', why: 'the throughput panel, and what the HPA\'s rpc_requests_per_second adapter serves' },
    // Seed: histogram_quantile(0.99, rpc_latency_seconds), a quantile over the family name, which is no
    // series. The p99 comes from the buckets' rates, aggregated by le.
    { record: 'job:rpc_latency_seconds:p99_rate5m', expr: 'histogram_quantile(0.99, sum by (job, le) (rate(rpc_latency_seconds_bucket[5m])))' },
    { record: 'job:rpc_errors:ratio_rate5m', expr: 'sum by (job) (rate(rpc_errors_total[5m])) / sum by (job) (rate(rpc_requests_total[5m]))' },
  ],
  alerts: [
    {
      // Seed: rate(rpc_errors_total[5m]) > 0.05, an absolute 0.05 errors/s whatever the traffic. As a
      // ratio it means the same thing at 10 and at 10,000 requests per second.
      name: 'HighErrorRate',
      expr: 'job:rpc_errors:ratio_rate5m > 0.05',
      for: '2m',
      severity: 'critical',
      summary: 'High RPC error rate on {{ $labels.job }}',
      description: '{{ $value | humanizePercentage }} of RPCs on {{ $labels.job }} fail (threshold 5%).',
      runbook: {
        impact: 'Clients get errors for a share of their RPCs.',
        diagnosis: ['Break the errors down by type: sum by (type) (rate(rpc_errors_total[5m])).', 'Check worker health and recent deployments; timeouts usually mean overloaded or unreachable workers.'],
        mitigation: ['Roll back a bad release.', 'Scale workers out if errors are timeouts under load.'],
        escalation: 'rpcnet on-call.',
        panel: { dashboard: 'rpcnet-overview', panel: 'Error ratio' },
      },
      tests: [
        {
          name: 'one-in-ten-fail',
          series: {
            'rpc_requests_total{job="rpcnet-worker",instance="w-1"}': '0+100x15',
            'rpc_errors_total{job="rpcnet-worker",instance="w-1",type="timeout"}': '0+10x15',
          },
          at: '10m',
          expect: [{ labels: { job: 'rpcnet-worker' }, value: 0.1 }],
        },
        {
          name: 'one-in-a-hundred-is-fine',
          series: {
            'rpc_requests_total{job="rpcnet-worker",instance="w-1"}': '0+100x15',
            'rpc_errors_total{job="rpcnet-worker",instance="w-1",type="timeout"}': '0+1x15',
          },
          at: '10m',
          expect: [],
        },
      ],
    },
    {
      // Seed: cluster_healthy_workers < 3. Every director reports its own view: the best view counts.
      name: 'LowWorkerCount',
      expr: 'max by (job) (cluster_healthy_workers) < 3',
      for: '1m',
      severity: 'critical',
      summary: 'Less than 3 healthy workers available',
      description: 'The directors see {{ $value }} healthy workers; the pool needs at least 3.',
      runbook: {
        impact: 'Capacity is below the minimum: latency rises and requests may fail.',
        diagnosis: ['List worker pods or containers and their readiness.', 'Check worker logs for failed registration with the directors (gossip on 7946/UDP, registration on 8080).'],
        mitigation: ['Restart failed workers.', 'If workers cannot reach the directors, check the network policy and the seed node list.'],
        panel: { dashboard: 'rpcnet-overview', panel: 'Healthy workers' },
      },
      tests: [
        { name: 'two-workers', series: { 'cluster_healthy_workers{job="rpcnet-director",instance="d-1"}': '3 3 2x10' }, at: '5m', expect: [{ labels: { job: 'rpcnet-director' }, value: 2 }] },
        { name: 'three-workers', series: { 'cluster_healthy_workers{job="rpcnet-director",instance="d-1"}': '3x10' }, at: '5m', expect: [] },
      ],
    },
    {
      name: 'HighLatency',
      expr: 'job:rpc_latency_seconds:p99_rate5m > 0.1',
      for: '5m',
      severity: 'warning',
      summary: 'P99 latency above 100ms on {{ $labels.job }}',
      description: 'P99 RPC latency on {{ $labels.job }} is {{ $value | humanize }}s.',
      runbook: {
        impact: 'The slowest requests take longer than the 100ms target.',
        diagnosis: ['Compare p99 per job: is it the directors or the workers?', 'Check worker CPU throttling and the pool size against load.'],
        mitigation: ['Scale workers out; raise the HPA maximum if it is pinned.'],
        panel: { dashboard: 'rpcnet-overview', panel: 'P99 latency' },
      },
      tests: [
        {
          // Every request in the 0.1–0.5s bucket: the p99 interpolates to 0.1 + 0.4 × 0.99.
          name: 'slow-requests',
          series: {
            'rpc_latency_seconds_bucket{job="rpcnet-worker",instance="w-1",le="0.1"}': '0x20',
            'rpc_latency_seconds_bucket{job="rpcnet-worker",instance="w-1",le="0.5"}': '0+10x20',
            'rpc_latency_seconds_bucket{job="rpcnet-worker",instance="w-1",le="+Inf"}': '0+10x20',
          },
          at: '15m',
          expect: [{ labels: { job: 'rpcnet-worker' }, value: 0.496 }],
        },
      ],
    },
  ],
  // Seed's "Key panels": throughput, P99 latency (from buckets here), error rate, worker health.
  dashboards: [
    {
      uid: 'rpcnet-overview',
      title: 'rpcnet overview',
      tags: ['rpcnet'],
      rows: [
        {
          title: 'Traffic',
          panels: [
            { title: 'Throughput', description: 'RPCs per second, directors and workers apart.', unit: 'reqps', queries: [{ expr: 'sum by (job) (rate(rpc_requests_total[$__rate_interval]))', legend: '{{job}}' }] },
            {
              title: 'Error ratio',
              description: 'Share of RPCs that fail; HighErrorRate fires above 5%.',
              unit: 'percentunit',
              queries: [{ expr: 'sum by (job) (rate(rpc_errors_total[$__rate_interval])) / sum by (job) (rate(rpc_requests_total[$__rate_interval]))', legend: '{{job}}' }],
              thresholds: [{ value: 0.05, color: 'red' }],
            },
          ],
        },
        {
          title: 'Latency and capacity',
          panels: [
            {
              title: 'P99 latency',
              description: "99th percentile from the histogram's buckets; HighLatency fires above 100ms.",
              unit: 's',
              queries: [{ expr: 'histogram_quantile(0.99, sum by (job, le) (rate(rpc_latency_seconds_bucket[$__rate_interval])))', legend: '{{job}}' }],
              thresholds: [{ value: 0.1, color: 'red' }],
            },
            {
              title: 'Healthy workers',
              description: 'Workers each director sees as healthy; LowWorkerCount fires below 3.',
              unit: 'short',
              queries: [{ expr: 'cluster_healthy_workers', legend: '{{instance}}' }],
              thresholds: [{ value: 3, color: 'green' }],
            },
            { title: 'Errors by type', description: 'Failed RPCs per second by error type.', unit: 'reqps', queries: [{ expr: 'sum by (type) (rate(rpc_errors_total[$__rate_interval]))', legend: '{{type}}' }] },
          ],
        },
      ],
    },
  ],
  // The seed's runbooks.
  procedures: [
    {
      name: 'worker-failure',
      title: 'Worker node failure',
      summary: 'A worker crashed, hangs or stopped registering: LowWorkerCount fired, or a worker is missing from cluster health.',
      steps: [
        { text: 'Verify the failure: which workers run and which are ready.', run: { kubernetes: 'kubectl -n {namespace} get pods -l app.kubernetes.io/name=rpcnet-worker', compose: 'docker compose -p {project} -f {compose} ps rpcnet-worker' } },
        { text: "Read the failed worker's logs.", run: { kubernetes: 'kubectl -n {namespace} logs -l app.kubernetes.io/name=rpcnet-worker --tail=200', compose: 'docker compose -p {project} -f {compose} logs --tail=200 rpcnet-worker' } },
        { text: 'If it is recoverable, delete the pod (or restart the container): it comes back and registers again.', run: { kubernetes: 'kubectl -n {namespace} delete pod <worker-pod>', compose: 'docker compose -p {project} -f {compose} restart rpcnet-worker' } },
        'If it is not, find the root cause (OOM kills, a bad release, unreachable directors) before redeploying.',
        'Verify cluster health: the Healthy workers panel is back at the pool size.',
      ],
      panels: [{ dashboard: 'rpcnet-overview', panel: 'Healthy workers' }],
      see: ['high-latency'],
    },
    {
      name: 'high-latency',
      title: 'High latency',
      summary: 'P99 latency is above 100ms (HighLatency), or clients report slow RPCs.',
      steps: [
        'Identify which job and instances are slow on the P99 latency panel.',
        { text: 'Check CPU and memory of the affected workers.', run: { kubernetes: 'kubectl -n {namespace} top pods -l app.kubernetes.io/name=rpcnet-worker', compose: 'docker compose -p {project} -f {compose} top rpcnet-worker' } },
        { text: 'Review recent logs for timeouts and retries.', run: { kubernetes: 'kubectl -n {namespace} logs -l app.kubernetes.io/name=rpcnet-worker --tail=1000', compose: 'docker compose -p {project} -f {compose} logs --tail=1000 rpcnet-worker' } },
        'If load explains it, scale the worker pool up (raise the HPA bounds in the environment file); otherwise restart the affected workers.',
      ],
      panels: [
        { dashboard: 'rpcnet-overview', panel: 'P99 latency' },
        { dashboard: 'rpcnet-overview', panel: 'Throughput' },
      ],
      see: ['worker-failure'],
    },
  ],
  slos: [
    {
      name: 'rpcnet-availability',
      service: 'rpcnet-director',
      description: 'RPCs taken by the directors succeed',
      objective: 99.9,
      period: '30d',
      sli: { errors: 'rpc_errors_total{job="rpcnet-director"}', total: 'rpc_requests_total{job="rpcnet-director"}' },
    },
  ],
});

/** What production's Prometheus has, and where its alerts go: pages to PagerDuty, tickets to Slack. */
const PRODUCTION_MONITORING: MonitoringInput = {
  platform: [cadvisor, kubeStateMetrics],
  alerting: {
    receivers: [
      { name: 'rpcnet-oncall', pagerduty: { routingKey: secret('rpcnet-pagerduty') } },
      { name: 'rpcnet-tickets', slack: { url: secret('rpcnet-slack-webhook'), channel: '#rpcnet-alerts' } },
      { name: 'blackhole' },
    ],
    routes: { critical: 'rpcnet-oncall', warning: 'rpcnet-tickets', info: 'blackhole' },
  },
};

/** One production region: same system, its own cluster and region label. */
export function rpcnetProduction(region: { name: string; region: string; cluster: string }): EnvironmentInput {
  return {
    name: region.name,
    stage: 'production',
    description: `rpcnet production in ${region.region}`,
    region: region.region,
    systems: [rpcnet],
    targets: { kubernetes: { cluster: region.cluster, version: '1.31', secretStore: { name: 'vault' } } },
    delivery: DELIVERY,
    monitoring: { ...PRODUCTION_MONITORING, grafana: grafana('production'), runbookBaseUrl: RUNBOOKS },
    // The seed's multi-region diagram says "Worker Pool (10+)" while its HPA says min 3: the HPA is the
    // concrete configuration, the pool grows to 10+ under load. Cross-region gossip is "optional" in the
    // seed and not modelled (flows stay inside one environment).
    overrides: {
      'rpcnet-worker': { env: { WORKER_LABEL: `rpcnet-worker-${region.region}` } },
    },
  };
}
