/**
 * besu: a validated set of Hyperledger Besu nodes (validators behind sentries, separate RPC nodes).
 * Seed: shared/seeds/besu-validated-set-recommendations.txt (Proxmox containers, systemd services).
 *
 * Open in the seed, and so not here: genesis.json and static-nodes.json (enode URLs, derived from the
 * node keys) live in its smom-dbis-138 repository. They belong in `config.files` once supplied; until
 * then the nodes have no chain definition and no static peers.
 */
import { defineSystem, jvm } from '@kiln/model';
import type { MetricInput, ServiceInput } from '@kiln/model';

/**
 * What Besu 24.12 exports on its metrics port with the default categories (checked against Besu's
 * source: DefaultBlockchain, EthPeers, JsonRpcHttpService, TracedJsonRpcProcessor). 24.12 uses
 * client_java 1.x: counters end in _total and the JVM metrics have the 1.x names.
 */
const BESU_METRICS: MetricInput[] = [
  { name: 'ethereum_blockchain_height', type: 'gauge', help: 'The current height of the canonical chain' },
  { name: 'ethereum_peer_count', type: 'gauge', help: 'The current number of peers connected' },
  { name: 'besu_synchronizer_in_sync', type: 'gauge', help: 'Whether the node is in sync (1) or not (0)' },
  // Seconds per JSON-RPC method (a summary: quantiles 0.2 … 1.0).
  { name: 'besu_rpc_request_time', type: 'summary', help: 'Time taken to process a JSON-RPC request', unit: 'seconds', labels: ['methodName'] },
  { name: 'besu_rpc_errors_count_total', type: 'counter', help: 'Number of JSON-RPC errors', labels: ['rpcMethod', 'errorType'] },
  ...jvm.metrics,
];
const JOBS = 'besu-validator|besu-sentry|besu-rpc';

/** The seed backs up validator containers 106–110: five validators (QBFT tolerates one fault). */
export const VALIDATORS = 5;

const IMAGE = 'hyperledger/besu:24.12.2';

/**
 * Seed's BESU_OPTS, plus -XX:HeapDumpPath: the image's working directory is read-only here, so the
 * dump requested by HeapDumpOnOutOfMemoryError goes to the writable /tmp.
 */
export function besuOpts(heap: string): string {
  return `-Xmx${heap} -Xms${heap} -XX:+UseG1GC -XX:MaxGCPauseMillis=200 -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp`;
}

/** What every Besu role shares. */
function node<const Name extends string>(role: Pick<ServiceInput, 'description' | 'ports' | 'args' | 'probes'> & Partial<ServiceInput> & { name: Name }): ServiceInput & { name: Name } {
  return {
    image: IMAGE,
    env: { BESU_OPTS: besuOpts('4g') },
    // Seed: `pct set <vmid> --memory 8192 --cores 4`; a 4g heap leaves the rest to RocksDB and the JVM.
    resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
    // Graceful shutdown (seed: "implement graceful shutdown procedures"): RocksDB flush on stop.
    terminationGracePeriodSeconds: 60,
    // The image runs as user besu, uid 1000 (seed: `chown besu:besu`).
    security: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, readOnlyRootFilesystem: true },
    scratch: ['/tmp'],
    volumes: [{ name: 'data', mountPath: '/data/besu', size: '200Gi' }],
    config: { mountPath: '/etc/besu', files: { 'config.toml': CONFIG } },
    metrics: { port: 'metrics', exports: BESU_METRICS },
    tuning: {
      // Seed: `sysctl -w net.core.{r,w}mem_max=134217728` inside the container. Both are node-level
      // (not namespaced): they fail in an unprivileged container and belong to the host's sysctl.d.
      sysctls: { 'net.core.rmem_max': 134217728, 'net.core.wmem_max': 134217728 },
    },
    ...role,
  };
}

// Seed: metrics-enabled=true, metrics-port=9545, metrics-host="0.0.0.0".
const CONFIG = ['data-path="/data/besu"', 'p2p-port=30303', 'metrics-enabled=true', 'metrics-host="0.0.0.0"', 'metrics-port=9545', ''].join('\n');

const METRICS = { name: 'metrics', port: 9545 } as const;
const P2P = { name: 'p2p', port: 30303 } as const;
const DISCOVERY = { name: 'discovery', port: 30303, protocol: 'UDP' } as const;

/** Besu probes for roles without JSON-RPC: metrics answers while the JVM is healthy, P2P once the node runs. */
const NODE_PROBES: ServiceInput['probes'] = {
  startup: { tcp: { port: 'p2p' }, periodSeconds: 10, failureThreshold: 60 },
  readiness: { tcp: { port: 'p2p' }, periodSeconds: 10 },
  liveness: { http: { path: '/metrics', port: 'metrics' }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
};

// Validator keys from the secret store, as files at the seed's paths (/keys/validators/validator-N/key.pem).
// The model has no per-member secret: every member mounts all five, and a one-line launcher points besu
// at its own (BESU_VALIDATOR_ID is the member id). Per-member secrets are follow-up work.
const KEY_FILES = Array.from({ length: VALIDATORS }, (_, i) => ({
  path: `/keys/validators/validator-${i + 1}/key.pem`,
  secret: 'besu-validator-keys',
  key: `validator-${i + 1}`,
}));
const LAUNCHER = 'exec besu --node-private-key-file="/keys/validators/validator-$BESU_VALIDATOR_ID/key.pem" "$@"';

export const besu = defineSystem({
  name: 'besu',
  description: 'Besu validated set: validators, sentries and RPC nodes',
  services: [
    node({
      name: 'besu-validator',
      description: 'Consensus validator; reachable only by sentries and other validators',
      command: ['/bin/sh', '-ec', LAUNCHER, 'besu'],
      // RPC off on validators (seed). Discovery off too: validators peer only through static nodes
      // (sentries and each other), so they open P2P over TCP only and advertise nothing.
      args: ['--config-file=/etc/besu/config.toml', '--rpc-http-enabled=false', '--discovery-enabled=false'],
      ports: [P2P, METRICS],
      secretFiles: KEY_FILES,
      // Validators are consensus-critical: guaranteed QoS (requests = limits), which also allows the
      // seed's "CPU pinning for critical validators" through the static CPU manager.
      resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      probes: NODE_PROBES,
      // members is not an override: devnet runs the same five, so genesis and validator set match.
      stateful: { members: VALIDATORS, firstId: 1, idEnv: 'BESU_VALIDATOR_ID', maxUnavailable: 1 },
    }),
    node({
      name: 'besu-sentry',
      description: 'Public P2P face of the validators',
      args: ['--config-file=/etc/besu/config.toml', '--rpc-http-enabled=false'],
      ports: [
        { ...P2P, expose: 'public' },
        { ...DISCOVERY, expose: 'public' },
        METRICS,
      ],
      probes: NODE_PROBES,
      replicas: 2,
    }),
    node({
      name: 'besu-rpc',
      description: 'JSON-RPC (HTTP 8545, WebSocket 8546) for clients; never a validator',
      args: [
        '--config-file=/etc/besu/config.toml',
        '--rpc-http-enabled=true',
        '--rpc-http-host=0.0.0.0',
        '--rpc-http-port=8545',
        // Read-only APIs only: ADMIN, DEBUG, QBFT, TXPOOL stay off a public endpoint.
        '--rpc-http-api=ETH,NET,WEB3',
        '--rpc-ws-enabled=true',
        '--rpc-ws-host=0.0.0.0',
        '--rpc-ws-port=8546',
        '--rpc-ws-api=ETH,NET,WEB3',
        '--host-allowlist=*',
      ],
      // Seed: "restrict RPC endpoints to specific IPs/whitelist"; the model has no source allowlist.
      ports: [
        { name: 'rpc-http', port: 8545, expose: 'public' },
        { name: 'rpc-ws', port: 8546, expose: 'public' },
        P2P,
        DISCOVERY,
        METRICS,
      ],
      probes: {
        startup: { http: { path: '/liveness', port: 'rpc-http' }, periodSeconds: 10, failureThreshold: 60 },
        readiness: { http: { path: '/readiness?minPeers=1&maxBlocksBehind=10', port: 'rpc-http' }, periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { http: { path: '/liveness', port: 'rpc-http' }, periodSeconds: 30, timeoutSeconds: 5 },
      },
      replicas: 2,
      // RPC nodes keep more state for queries; our choice, the seed only says "sufficient disk space".
      volumes: [{ name: 'data', mountPath: '/data/besu', size: '500Gi' }],
      dependsOn: ['besu-sentry'],
    }),
  ],
  // Sentry architecture (seed: "separate VLANs for validators, sentries, RPC"): validators talk to
  // each other and to sentries; RPC nodes reach the chain through sentries, never validators.
  flows: [
    { from: 'besu-validator', to: 'besu-validator', port: 'p2p' },
    { from: 'besu-validator', to: 'besu-sentry', port: 'p2p' },
    { from: 'besu-sentry', to: 'besu-validator', port: 'p2p' },
    { from: 'besu-sentry', to: 'besu-sentry', port: 'p2p' },
    { from: 'besu-sentry', to: 'besu-sentry', port: 'discovery' },
    { from: 'besu-rpc', to: 'besu-sentry', port: 'p2p' },
    { from: 'besu-rpc', to: 'besu-sentry', port: 'discovery' },
    { from: 'besu-sentry', to: 'besu-rpc', port: 'p2p' },
    { from: 'besu-sentry', to: 'besu-rpc', port: 'discovery' },
  ],
  alerts: [
    {
      // Seed: up{job="besu"} == 0. Kiln's jobs are the roles.
      name: 'BesuServiceDown',
      expr: `up{job=~"${JOBS}"} == 0`,
      for: '5m',
      severity: 'critical',
      summary: 'Besu is down on {{ $labels.instance }} ({{ $labels.job }})',
      description: 'Prometheus has not scraped {{ $labels.instance }} for 5 minutes.',
      runbook: {
        impact: 'A validator down lowers the fault tolerance of QBFT (one of five may fail); an RPC node down halves RPC capacity.',
        diagnosis: ['Is the service running? systemctl status besu-…, journalctl -u besu-… on the machine.', 'Is the metrics port 9545 reachable from Prometheus?'],
        mitigation: ['Restart the service; if the database is corrupt, restore from the latest backup.'],
        escalation: 'Validator operators.',
      },
      tests: [
        { name: 'validator-down', series: { 'up{job="besu-validator",instance="validator-1:9545"}': '1 0x10' }, at: '7m', expect: [{ labels: { job: 'besu-validator', instance: 'validator-1:9545' } }] },
        { name: 'flapping-is-quiet', series: { 'up{job="besu-validator",instance="validator-1:9545"}': '1 0 0 1 0 0 1 0 0 1' }, at: '9m', expect: [] },
      ],
    },
    {
      // Seed: besu_blocks_total - besu_blocks_total offset 5m == 0. Besu exports no besu_blocks_total, and
      // a counter compared raw breaks at restarts; the chain head is the gauge ethereum_blockchain_height,
      // and changes() counts new heads. With the 5m window and for 5m: no block for 10 minutes.
      name: 'NoBlockProduction',
      expr: 'max by (job) (changes(ethereum_blockchain_height{job="besu-validator"}[5m])) == 0',
      for: '5m',
      severity: 'critical',
      summary: 'No blocks produced in the last 10 minutes',
      description: 'No validator has seen the chain head move for 10 minutes: consensus has stalled.',
      runbook: {
        impact: 'The chain is halted: no transaction is confirmed.',
        diagnosis: ['How many validators are up? QBFT needs more than two thirds of five (4) to produce blocks.', 'Check validator logs for round changes and peer counts.'],
        mitigation: ['Bring validators back until four are up; see the network recovery procedure.'],
        escalation: 'Validator operators, at once.',
      },
      tests: [
        { name: 'stalled', series: { 'ethereum_blockchain_height{job="besu-validator",instance="validator-1:9545"}': '100+1x5 105x20' }, at: '20m', expect: [{ labels: { job: 'besu-validator' }, value: 0 }] },
        { name: 'producing', series: { 'ethereum_blockchain_height{job="besu-validator",instance="validator-1:9545"}': '100+1x25' }, at: '20m', expect: [] },
      ],
    },
    {
      name: 'BesuLowPeerCount',
      expr: `ethereum_peer_count{job=~"${JOBS}"} < 2`,
      for: '5m',
      severity: 'warning',
      summary: '{{ $labels.instance }} has {{ $value }} peers',
      description: 'Fewer than 2 peers: the node is close to isolated from the sentries and validators.',
      runbook: {
        impact: 'An isolated validator cannot take part in consensus; an isolated RPC node serves a stale chain.',
        diagnosis: ['Check static-nodes.json and that P2P 30303 is open between the VLANs (validators ↔ sentries).'],
        mitigation: ['Restart the node; fix the firewall or the static nodes list.'],
      },
      tests: [{ name: 'isolated', series: { 'ethereum_peer_count{job="besu-sentry",instance="sentry-1:9545"}': '1x10' }, at: '6m', expect: [{ labels: { job: 'besu-sentry', instance: 'sentry-1:9545' }, value: 1 }] }],
    },
    {
      name: 'BesuRpcErrors',
      expr: 'sum by (job, instance) (rate(besu_rpc_errors_count_total{job="besu-rpc"}[5m])) / sum by (job, instance) (rate(besu_rpc_request_time_count{job="besu-rpc"}[5m])) > 0.05',
      for: '5m',
      severity: 'warning',
      summary: '{{ $value | humanizePercentage }} of JSON-RPC requests fail on {{ $labels.instance }}',
      description: 'More than 5% of JSON-RPC requests end in an error.',
      runbook: {
        impact: 'Clients of the RPC endpoint get errors.',
        diagnosis: ['Which methods and errors: sum by (rpcMethod, errorType) (rate(besu_rpc_errors_count_total[5m])).', 'Is the node in sync (besu_synchronizer_in_sync)?'],
        mitigation: ['Take the node out of the load balancer until it is in sync.'],
      },
      tests: [
        {
          name: 'one-in-ten',
          series: {
            'besu_rpc_request_time_count{job="besu-rpc",instance="rpc-1:9545",methodName="eth_call"}': '0+100x15',
            'besu_rpc_errors_count_total{job="besu-rpc",instance="rpc-1:9545",rpcMethod="eth_call",errorType="INTERNAL_ERROR"}': '0+10x15',
          },
          at: '12m',
          expect: [{ labels: { job: 'besu-rpc', instance: 'rpc-1:9545' }, value: 0.1 }],
        },
      ],
    },
    {
      name: 'BesuRpcSlow',
      expr: 'max by (job, instance) (besu_rpc_request_time{job="besu-rpc",quantile="0.95"}) > 1',
      for: '10m',
      severity: 'warning',
      summary: 'JSON-RPC p95 is {{ $value | humanize }}s on {{ $labels.instance }}',
      description: 'The slowest method\'s 95th percentile is above one second.',
      runbook: {
        impact: 'RPC clients time out.',
        diagnosis: ['Which method: besu_rpc_request_time{quantile="0.95"} by methodName; eth_getLogs over wide ranges is the usual one.'],
        mitigation: ['Limit the range clients may query; add an RPC node.'],
      },
      tests: [{ name: 'slow-calls', series: { 'besu_rpc_request_time{job="besu-rpc",instance="rpc-1:9545",methodName="eth_getLogs",quantile="0.95"}': '2.5x20' }, at: '15m', expect: [{ labels: { job: 'besu-rpc', instance: 'rpc-1:9545' }, value: 2.5 }] }],
    },
    {
      // Seed: 4g heaps with HeapDumpOnOutOfMemoryError: warn before the dump.
      name: 'BesuHeapPressure',
      expr: `jvm_memory_used_bytes{job=~"${JOBS}",area="heap"} / jvm_memory_max_bytes{job=~"${JOBS}",area="heap"} > 0.9`,
      for: '15m',
      severity: 'warning',
      summary: 'Heap {{ $value | humanizePercentage }} full on {{ $labels.instance }}',
      description: 'The JVM heap has been over 90% for 15 minutes; an OutOfMemoryError stops the node.',
      runbook: {
        impact: 'Long GC pauses delay block import; an OOM stops the node.',
        diagnosis: ['Check GC time: rate(jvm_gc_collection_seconds_sum[5m]).'],
        mitigation: ['Restart the node; raise -Xmx in BESU_OPTS if the container has room.'],
      },
      tests: [
        {
          name: 'full-heap',
          series: {
            'jvm_memory_used_bytes{job="besu-validator",instance="validator-2:9545",area="heap"}': '3900000000x20',
            'jvm_memory_max_bytes{job="besu-validator",instance="validator-2:9545",area="heap"}': '4000000000x20',
          },
          at: '16m',
          expect: [{ labels: { job: 'besu-validator', instance: 'validator-2:9545', area: 'heap' }, value: 0.975 }],
        },
      ],
    },
  ],
});
