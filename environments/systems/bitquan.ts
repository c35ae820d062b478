/**
 * bitquan: an async P2P blockchain node (Rust, tokio).
 * Seed: shared/seeds/bitquan-node-production-deployment.txt (testnet first, then mainnet).
 */
import { defineSystem, rustProcess } from '@kiln/model';
import type { EnvironmentInput, MetricInput, OverrideInput } from '@kiln/model';

// The seed's "Prometheus Metrics": the two gauges it shows, and what its monitoring plan and rollback
// triggers measure ("Connection failures > 5%", "Block propagation delays", target < 100ms). The seed
// imports Counter and Histogram for those but does not show them: the three below are the node's
// metrics module's to add, under the same bitquan_ prefix. Memory comes from the process collector.
const METRICS: MetricInput[] = [
  { name: 'bitquan_peer_connections', type: 'gauge', help: 'Number of connected peers' },
  { name: 'bitquan_memory_per_peer_bytes', type: 'gauge', help: 'Memory usage per peer', unit: 'bytes' },
  { name: 'bitquan_connection_attempts_total', type: 'counter', help: 'Inbound and outbound P2P connection attempts', labels: [{ name: 'direction', values: ['inbound', 'outbound'] }] },
  { name: 'bitquan_connection_failures_total', type: 'counter', help: 'P2P connection attempts that failed', labels: [{ name: 'direction', values: ['inbound', 'outbound'] }] },
  { name: 'bitquan_block_propagation_seconds', type: 'histogram', help: 'Time from a block first seen by a peer to its arrival here', unit: 'seconds' },
  ...rustProcess.metrics,
];

const RUNBOOK_ROLLBACK = 'Roll back (the seed\'s rollback steps): alert the team, stop the node, revert to the previous tag, verify normal operation, investigate.';

export const bitquan = defineSystem({
  name: 'bitquan',
  description: 'Async P2P blockchain node (Rust, tokio runtime)',
  services: [
    {
      name: 'bitquan-node',
      description: 'Full node: P2P network, sync and JSON-RPC',
      // The seed names no image or registry: this is our choice, pinned to the async-network release
      // the seed rolls out. Environments move it with `images`, testnet first (see staged-rollout).
      image: 'ghcr.io/bitquan/bitquan-node:0.6.0',
      // The seed leaves every port open. Our choices: P2P 8333 (public: peers dial in from the
      // internet), JSON-RPC 8332 (internal only), Prometheus metrics 9100.
      ports: [
        { name: 'p2p', port: 8333, expose: 'public' },
        { name: 'rpc', port: 8332 },
        { name: 'metrics', port: 9100 },
      ],
      env: {
        RUST_LOG: 'info',
        // The seed hard-codes the tokio builder (4 workers, 32 blocking threads) in main.rs and plans to
        // "configure tokio runtime settings" in scripts/start-node.sh. Kiln passes them as env so they can
        // change per environment; the explicit builder ignores them until main.rs reads these variables.
        TOKIO_WORKER_THREADS: 4,
        TOKIO_MAX_BLOCKING_THREADS: 32,
        // Node configuration from the seed (p2p_max_peers=100, p2p_timeout=30 seconds).
        P2P_MAX_PEERS: 100,
        P2P_TIMEOUT: 30,
        P2P_LISTEN_ADDR: '0.0.0.0:8333',
        RPC_LISTEN_ADDR: '0.0.0.0:8332',
        METRICS_LISTEN_ADDR: '0.0.0.0:9100',
        BITQUAN_DATA_DIR: '/var/lib/bitquan',
        // BITQUAN_NETWORK is set by each environment (testnet / mainnet), never defaulted here:
        // a forgotten override must not silently join the wrong network.
      },
      resources: {
        // The seed's rollback trigger is "memory usage > 1GB": the limit makes that a hard ceiling
        // (an alert well below it belongs to the observability issue). The acceptance target is
        // < 100MB for 1000 peers, so 512Mi requested leaves room for chain caches.
        requests: { cpu: '1', memory: '512Mi' },
        // One core per tokio worker thread.
        limits: { cpu: '4', memory: '1Gi' },
      },
      probes: {
        // The seed's scripts/health-check.sh is not shown; a TCP connect on RPC/P2P is what we can rely on.
        startup: { tcp: { port: 'rpc' }, periodSeconds: 10, failureThreshold: 30 },
        readiness: { tcp: { port: 'rpc' }, periodSeconds: 10 },
        liveness: { tcp: { port: 'p2p' }, periodSeconds: 20, failureThreshold: 3 },
      },
      // Our image, as the seed names none: the node binary on debian:bookworm-slim, whose bash also runs
      // the seed's scripts (start-node.sh, health-check.sh) and Compose's TCP checks. No curl.
      tools: ['bash', 'sh'],
      // One node per environment, as the seed deploys it ("stop node, revert, verify"). Stateful with one
      // member rather than a Deployment: the chain data and node identity live on a volume that must
      // follow the node, and a rolling Deployment would start a second pod on the same RWO volume.
      // A second mainnet node would be a second member with its own chain copy; the seed gives no
      // reason for it (a P2P node is not load-balanced), so mainnet also runs one.
      stateful: { members: 1, maxUnavailable: 1 },
      volumes: [{ name: 'chain-data', mountPath: '/var/lib/bitquan', size: '200Gi' }],
      // The image's user is unknown: run as a fixed non-root uid that owns the data volume.
      security: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, readOnlyRootFilesystem: true },
      scratch: ['/tmp'],
      metrics: { port: 'metrics', exports: METRICS },
      tuning: {
        // Seed: `ulimit -n 100000`, `ulimit -u 32768`.
        ulimits: {
          nofile: { soft: 100000, hard: 100000, reason: 'one descriptor per peer connection and database file (seed: ulimit -n 100000, file descriptors)' },
          nproc: { soft: 32768, hard: 32768, reason: 'tokio worker and blocking threads count as processes (seed: ulimit -u 32768, user processes)' },
        },
      },
    },
  ],
  // A single service: peers are outside the environment. They dial in on the public P2P port; the node
  // dials out to theirs, which is the network's default P2P port, as the seed's p2p settings assume.
  flows: [{ from: 'bitquan-node', to: 'peers', port: 'p2p' }],
  externals: [{ name: 'peers', description: 'Other bitquan nodes on the internet, dialled on their P2P port', ports: [{ name: 'p2p', port: 8333 }] }],
  // Seed's "Key Metrics": memory per peer, connections over time, CPU, latency (block propagation:
  // the node exports no other network latency), and peers.
  dashboards: [
    {
      uid: 'bitquan-node',
      title: 'bitquan node',
      tags: ['bitquan'],
      rows: [
        {
          title: 'Peers',
          panels: [
            { title: 'Peers', description: 'Connected peers; FewPeers fires below 8.', unit: 'short', queries: [{ expr: 'bitquan_peer_connections', legend: '{{instance}}' }], thresholds: [{ value: 8, color: 'green' }] },
            { title: 'Memory per peer', description: 'Memory per connected peer; the async release promises under 100kB.', unit: 'bytes', queries: [{ expr: 'bitquan_memory_per_peer_bytes', legend: '{{instance}}' }], thresholds: [{ value: 100000, color: 'red' }] },
            { title: 'Connections', description: 'Connection attempts per second by direction.', unit: 'cps', queries: [{ expr: 'sum by (direction) (rate(bitquan_connection_attempts_total[$__rate_interval]))', legend: '{{direction}}' }] },
            {
              title: 'Connection failures',
              description: 'Share of connection attempts that fail; above 5% is a rollback trigger.',
              unit: 'percentunit',
              queries: [{ expr: 'sum(rate(bitquan_connection_failures_total[$__rate_interval])) / sum(rate(bitquan_connection_attempts_total[$__rate_interval]))', legend: 'failures' }],
              thresholds: [{ value: 0.05, color: 'red' }],
            },
          ],
        },
        {
          title: 'Resources and chain',
          panels: [
            { title: 'Memory', description: 'Resident memory; above 1GB is a rollback trigger, the container stops at 1Gi.', unit: 'bytes', queries: [{ expr: 'process_resident_memory_bytes{job="bitquan-node"}', legend: '{{instance}}' }], thresholds: [{ value: 1000000000, color: 'red' }] },
            { title: 'CPU', description: 'CPU seconds per second; the target is under 50% of the 4-core limit.', unit: 'short', queries: [{ expr: 'rate(process_cpu_seconds_total{job="bitquan-node"}[$__rate_interval])', legend: '{{instance}}' }] },
            {
              title: 'Block propagation',
              description: 'Time for a block to reach this node, p50 and p95; the target is under 100ms.',
              unit: 's',
              queries: [
                { expr: 'histogram_quantile(0.5, sum by (le) (rate(bitquan_block_propagation_seconds_bucket[$__rate_interval])))', legend: 'p50' },
                { expr: 'histogram_quantile(0.95, sum by (le) (rate(bitquan_block_propagation_seconds_bucket[$__rate_interval])))', legend: 'p95' },
              ],
              thresholds: [{ value: 0.1, color: 'red' }],
            },
          ],
        },
      ],
    },
  ],
  // The seed's deployment plan: testnet first, then mainnet, and its rollback.
  procedures: [
    {
      name: 'staged-rollout',
      title: 'Staged rollout: testnet, then mainnet',
      summary: 'Every release of the node: testnet first, an hour of watching, then mainnet in a maintenance window.',
      steps: [
        "Set the new tag for bitquan-testnet only (`images: { 'bitquan-node': '<tag>' }` in environments/bitquan-testnet.ts), run `npx kiln generate` and merge; Argo CD syncs testnet.",
        'Monitor testnet for 1 hour: the node starts, accepts peers, memory stays under 100MB for 1000 peers, no blocking warnings in the logs.',
        { text: 'Read the logs for blocking warnings.', run: { kubernetes: 'kubectl -n {namespace} logs statefulset/bitquan-node --since=1h | grep -i block', compose: 'docker compose -p {project} -f {compose} logs --since=1h bitquan-node-0 | grep -i block' } },
        'Test the Slowloris protection (tools/test_slowloris.py against the testnet node).',
        'Schedule the mainnet maintenance window, then promote what testnet runs: `npx kiln promote bitquan-testnet bitquan-mainnet` edits environments/bitquan-mainnet.ts (mainnet follows testnet); run `npx kiln generate`, read `npx kiln diff`, merge. `npx kiln check` warns if mainnet would run an image testnet never ran.',
        'Watch the rollback triggers on mainnet: memory above 1GB, connection failures above 5%, slow block propagation, any security incident.',
      ],
      panels: [
        { dashboard: 'bitquan-node', panel: 'Memory' },
        { dashboard: 'bitquan-node', panel: 'Connection failures' },
        { dashboard: 'bitquan-node', panel: 'Block propagation' },
      ],
      see: ['rollback'],
    },
    {
      name: 'rollback',
      title: 'Rollback',
      summary: 'A rollback trigger fired: memory above 1GB, connection failures above 5%, block propagation delays, or a security incident.',
      steps: [
        'Alert the team.',
        { text: 'Stop the node.', run: { kubernetes: 'kubectl -n {namespace} scale statefulset/bitquan-node --replicas=0', compose: 'docker compose -p {project} -f {compose} stop bitquan-node-0' } },
        'Set images back to the previous release in environments/bitquan-mainnet.ts, run `npx kiln generate` and merge (or revert the promotion commit).',
        { text: 'Start the node again with the previous version and verify normal operation: peers return, memory and failures back to normal.', run: { kubernetes: 'kubectl -n {namespace} scale statefulset/bitquan-node --replicas=1', compose: 'docker compose -p {project} -f {compose} up -d bitquan-node-0' } },
        'Investigate the root cause before the next attempt.',
      ],
      panels: [{ dashboard: 'bitquan-node', panel: 'Peers' }],
      see: ['staged-rollout'],
    },
  ],
  alerts: [
    {
      // Seed rollback trigger: "Memory usage > 1GB" (the container limit is 1Gi, 7% above).
      name: 'NodeMemoryHigh',
      expr: 'process_resident_memory_bytes{job="bitquan-node"} > 1e9',
      for: '5m',
      severity: 'critical',
      summary: 'bitquan node {{ $labels.instance }} uses {{ $value | humanize }}B of memory',
      description: 'Resident memory is above 1GB, the seed\'s rollback trigger; the container is OOM-killed at 1Gi.',
      runbook: {
        impact: 'The node is close to being OOM-killed, which drops every peer and stops syncing.',
        diagnosis: ['Compare with bitquan_memory_per_peer_bytes: does memory grow with peers or on its own (a leak)?', 'Was a new release rolled out? The seed\'s target is < 100MB for 1000 peers.'],
        mitigation: [RUNBOOK_ROLLBACK],
        panel: { dashboard: 'bitquan-node', panel: 'Memory' },
      },
      tests: [
        { name: 'over-1gb', series: { 'process_resident_memory_bytes{job="bitquan-node",instance="node-0"}': '900000000 1100000000x10' }, at: '8m', expect: [{ labels: { instance: 'node-0', job: 'bitquan-node' }, value: 1.1e9 }] },
        { name: 'under-1gb', series: { 'process_resident_memory_bytes{job="bitquan-node",instance="node-0"}': '900000000x10' }, at: '8m', expect: [] },
      ],
    },
    {
      // Seed rollback trigger: "Connection failures > 5%".
      name: 'ConnectionFailuresHigh',
      expr: 'sum by (job) (rate(bitquan_connection_failures_total[5m])) / sum by (job) (rate(bitquan_connection_attempts_total[5m])) > 0.05',
      for: '5m',
      severity: 'critical',
      summary: '{{ $value | humanizePercentage }} of P2P connections fail',
      description: 'More than 5% of connection attempts fail: the seed\'s rollback trigger.',
      runbook: {
        impact: 'The node loses peers and falls behind the chain.',
        diagnosis: ['Split by direction: outbound failures point at DNS or the network, inbound at the node (limits, Slowloris).', 'Check open files against the 100000 nofile limit.'],
        mitigation: [RUNBOOK_ROLLBACK],
        panel: { dashboard: 'bitquan-node', panel: 'Connection failures' },
      },
      tests: [
        {
          name: 'one-in-ten',
          series: {
            'bitquan_connection_attempts_total{job="bitquan-node",instance="node-0",direction="outbound"}': '0+100x20',
            'bitquan_connection_failures_total{job="bitquan-node",instance="node-0",direction="outbound"}': '0+10x20',
          },
          at: '15m',
          expect: [{ labels: { job: 'bitquan-node' }, value: 0.1 }],
        },
      ],
    },
    {
      // Seed: "Latency: < 100ms block propagation", and "Block propagation delays" as a rollback trigger.
      name: 'BlockPropagationSlow',
      expr: 'histogram_quantile(0.95, sum by (job, le) (rate(bitquan_block_propagation_seconds_bucket[10m]))) > 0.1',
      for: '10m',
      severity: 'warning',
      summary: 'Block propagation p95 is {{ $value | humanize }}s',
      description: 'Blocks reach this node slower than the 100ms target.',
      runbook: {
        impact: 'The node works on stale blocks; peers may drop it.',
        diagnosis: ['Check peer count and network latency to peers.', 'Check CPU: propagation waits on validation.'],
        mitigation: ['Add well-connected peers; if a release caused it, roll back. ' + RUNBOOK_ROLLBACK],
        panel: { dashboard: 'bitquan-node', panel: 'Block propagation' },
      },
      tests: [
        {
          name: 'slow-blocks',
          series: {
            'bitquan_block_propagation_seconds_bucket{job="bitquan-node",instance="node-0",le="0.1"}': '0x30',
            'bitquan_block_propagation_seconds_bucket{job="bitquan-node",instance="node-0",le="0.5"}': '0+6x30',
            'bitquan_block_propagation_seconds_bucket{job="bitquan-node",instance="node-0",le="+Inf"}': '0+6x30',
          },
          at: '25m',
          expect: [{ labels: { job: 'bitquan-node' }, value: 0.48 }],
        },
      ],
    },
    {
      // The three metrics above that the node does not export yet: until it does, the alerts on them
      // cannot fire, and this one says so instead of staying silent.
      name: 'NodeMetricsAbsent',
      expr: 'absent(bitquan_connection_attempts_total{job="bitquan-node"}) or absent(bitquan_block_propagation_seconds_count{job="bitquan-node"})',
      for: '30m',
      severity: 'warning',
      summary: 'bitquan node exports no connection or propagation metrics',
      description: 'ConnectionFailuresHigh and BlockPropagationSlow cannot fire without bitquan_connection_attempts_total, bitquan_connection_failures_total and bitquan_block_propagation_seconds.',
      runbook: {
        impact: 'Two of the seed\'s rollback triggers are blind.',
        diagnosis: ['curl the node\'s :9100/metrics and look for bitquan_connection_ and bitquan_block_propagation_.', 'Is up{job="bitquan-node"} 1? If not, the node or scraping is down (that has its own alerts).'],
        mitigation: ['Add the metrics to the node\'s metrics module (names and types are in environments/systems/bitquan.ts).'],
      },
      tests: [
        { name: 'not-exported', series: { 'bitquan_peer_connections{job="bitquan-node",instance="node-0"}': '20x40' }, at: '35m', expect: [{ labels: { job: 'bitquan-node' } }] },
        {
          name: 'exported',
          series: {
            'bitquan_connection_attempts_total{job="bitquan-node",instance="node-0",direction="inbound"}': '0+1x40',
            'bitquan_block_propagation_seconds_count{job="bitquan-node",instance="node-0"}': '0+1x40',
          },
          at: '35m',
          expect: [],
        },
      ],
    },
    {
      name: 'FewPeers',
      expr: 'bitquan_peer_connections < 8',
      for: '15m',
      severity: 'warning',
      summary: 'bitquan node {{ $labels.instance }} has only {{ $value }} peers',
      description: 'Fewer than 8 peers for 15 minutes (p2p_max_peers is 100): the node is poorly connected.',
      runbook: {
        impact: 'Blocks and transactions arrive late; an isolated node forks off.',
        diagnosis: ['Is the P2P port 8333 reachable from the internet (LoadBalancer, firewall)?', 'Do outbound connections fail (bitquan_connection_failures_total)?'],
        mitigation: ['Restore inbound reachability; restart the node to redo peer discovery.'],
        panel: { dashboard: 'bitquan-node', panel: 'Peers' },
      },
      tests: [{ name: 'isolated', series: { 'bitquan_peer_connections{job="bitquan-node",instance="node-0"}': '3x20' }, at: '16m', expect: [{ labels: { job: 'bitquan-node', instance: 'node-0' }, value: 3 }] }],
    },
    {
      // Seed target: "Memory: < 100MB for 1000 peers", 100kB a peer.
      name: 'MemoryPerPeerHigh',
      expr: 'bitquan_memory_per_peer_bytes > 100000',
      for: '30m',
      severity: 'warning',
      summary: 'bitquan node {{ $labels.instance }} uses {{ $value | humanize }}B per peer',
      description: 'Above the 100kB per peer the async release promises (100MB for 1000 peers).',
      runbook: {
        impact: 'Memory grows faster than peers: the node reaches its 1Gi limit with fewer peers than planned.',
        diagnosis: ['Compare with the previous release; the async network layer keeps per-peer buffers.'],
        mitigation: ['Lower P2P_MAX_PEERS for this environment until fixed, or roll back.'],
        panel: { dashboard: 'bitquan-node', panel: 'Memory per peer' },
      },
      tests: [{ name: 'fat-peers', series: { 'bitquan_memory_per_peer_bytes{job="bitquan-node",instance="node-0"}': '250000x40' }, at: '35m', expect: [{ labels: { job: 'bitquan-node', instance: 'node-0' }, value: 250000 }] }],
    },
  ],
});

/** Per-network settings shared by the environments of bitquan. */
/**
 * The seed's `ulimit -n 100000` and `ulimit -u 32768` on Kubernetes, which has no ulimit field. Neither
 * way Kiln has fits what the seed says: it names no image entrypoint (the entrypoint wrapper runs the
 * command after `ulimit`, and nproc has no `ulimit` flag every shell shares) and nothing of the clusters'
 * nodes (runtime defaults go to a declared node pool). The pod states both in its
 * `kiln.dev/required-ulimits` annotation; the Compose target sets them itself.
 */
export const KUBERNETES_ULIMIT_GAPS: NonNullable<NonNullable<EnvironmentInput['tuning']>['accept']> = [
  { service: 'bitquan-node', ulimit: 'nofile', reason: "the seed names neither the image's entrypoint nor the cluster's nodes: the nodes' container runtime must give nofile 100000 (stated in kiln.dev/required-ulimits)" },
  { service: 'bitquan-node', ulimit: 'nproc', reason: "no ulimit flag for nproc is common to every shell, and the seed names no node pool: the nodes' container runtime must give nproc 32768 (stated in kiln.dev/required-ulimits)" },
];

/** Peers are anywhere on the internet: the node may dial any address on the P2P port. */
export const INTERNET_PEERS = { peers: { cidr: '0.0.0.0/0' } };

export function bitquanNetwork(network: 'testnet' | 'mainnet', chainData: string): Record<string, OverrideInput> {
  return {
    'bitquan-node': {
      env: { BITQUAN_NETWORK: network },
      volumeSizes: { 'chain-data': chainData },
    },
  };
}
