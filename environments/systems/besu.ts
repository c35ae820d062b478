/**
 * besu: a validated set of Hyperledger Besu nodes (validators behind sentries, separate RPC nodes).
 * Seed: shared/seeds/besu-validated-set-recommendations.txt (Proxmox containers, systemd services).
 *
 * Every node reads its chain from /etc/besu/genesis.json (GENESIS), which each environment supplies for
 * its network (`besuNetwork`). Open in the seed, and so not here: the mainnet's genesis.json and
 * static-nodes.json (enode URLs, derived from the node keys) live in its smom-dbis-138 repository and
 * reach the Proxmox containers with it; until static nodes are supplied, validators have no peers.
 */
import { defineSystem, jvm } from '@kiln/model';
import type { MetricInput, OverrideInput, ServiceInput } from '@kiln/model';

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
    // The image (Besu's docker/Dockerfile) is ubuntu:24.04 with only a JRE, jemalloc and adduser
    // installed: bash and sh, no curl or wget. Its own HEALTHCHECK runs `bash -c`; Compose's checks run
    // through bash too (/dev/tcp, and a plain HTTP request for the RPC node's /readiness).
    tools: ['bash', 'sh'],
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
      sysctls: {
        'net.core.rmem_max': { value: 134217728, reason: 'P2P socket receive buffers up to 128 MiB (seed: network optimization, optimize network buffer sizes)' },
        'net.core.wmem_max': { value: 134217728, reason: 'P2P socket send buffers up to 128 MiB (seed: network optimization, optimize network buffer sizes)' },
      },
    },
    ...role,
  };
}

/** Where every node reads its network's genesis; the environment supplies the file (`besuNetwork`). */
const GENESIS = '/etc/besu/genesis.json';

/** What a network gives every Besu role of an environment: its genesis, at GENESIS. */
export function besuNetwork(genesis: string): OverrideInput {
  return { configFiles: { 'genesis.json': genesis } };
}

/**
 * A QBFT network's genesis (Besu's QBFT tutorial): the chain id, the block period, and the validators'
 * addresses in extraData, RLP([32-byte vanity, [validators], [] votes, round 0, [] seals]).
 */
export function qbftGenesis(network: { chainId: number; validators: readonly string[]; blockPeriodSeconds: number }): string {
  const genesis = {
    config: { chainId: network.chainId, berlinBlock: 0, qbft: { blockperiodseconds: network.blockPeriodSeconds, epochlength: 30000, requesttimeoutseconds: 2 * network.blockPeriodSeconds } },
    nonce: '0x0',
    timestamp: '0x58ee40ba',
    gasLimit: '0x1fffffffffffff',
    difficulty: '0x1',
    // QBFT's fixed mixHash ("ctical byzantine fault tolerance" in hex), which marks a BFT block.
    mixHash: '0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365',
    coinbase: `0x${'00'.repeat(20)}`,
    alloc: {},
    extraData: qbftExtraData(network.validators),
  };
  return `${JSON.stringify(genesis, null, 2)}\n`;
}

/**
 * QBFT's extraData in RLP (Ethereum's serialization): a list of the 32-byte vanity, the list of
 * validator addresses, an empty list of votes, round 0 (an empty string) and an empty list of seals.
 */
function qbftExtraData(validators: readonly string[]): string {
  const string = (data: readonly number[]) => [...prefix(data.length, 0x80), ...data];
  const list = (items: readonly number[]) => [...prefix(items.length, 0xc0), ...items];
  const round = string([]);
  return `0x${hex(list([...string(new Array(32).fill(0)), ...list(validators.flatMap((address) => string(bytes(address)))), ...list([]), ...round, ...list([])]))}`;
}

/** RLP's length prefix: short (offset + length) below 56 bytes, else long (offset + 55 + length of the length). */
function prefix(length: number, offset: number): number[] {
  if (length < 56) return [offset + length];
  const size = bytes(length.toString(16).padStart(Math.ceil(length.toString(16).length / 2) * 2, '0'));
  return [offset + 55 + size.length, ...size];
}

function bytes(text: string): number[] {
  const digits = text.replace(/^0x/, '');
  return Array.from({ length: digits.length / 2 }, (_, i) => Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16));
}

function hex(data: readonly number[]): string {
  return data.map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

// Seed: metrics-enabled=true, metrics-port=9545, metrics-host="0.0.0.0". Besu is started with
// --config-file=/etc/besu/config.toml; without genesis-file it would join Ethereum mainnet.
const CONFIG_LINES = ['data-path="/data/besu"', `genesis-file="${GENESIS}"`, 'p2p-port=30303', 'metrics-enabled=true', 'metrics-host="0.0.0.0"', 'metrics-port=9545'];
const CONFIG = [...CONFIG_LINES, ''].join('\n');

const METRICS = { name: 'metrics', port: 9545 } as const;
const P2P = { name: 'p2p', port: 30303 } as const;
const DISCOVERY = { name: 'discovery', port: 30303, protocol: 'UDP' } as const;

/** Besu probes for roles without JSON-RPC: metrics answers while the JVM is healthy, P2P once the node runs. */
const NODE_PROBES: ServiceInput['probes'] = {
  startup: { tcp: { port: 'p2p' }, periodSeconds: 10, failureThreshold: 60 },
  readiness: { tcp: { port: 'p2p' }, periodSeconds: 10 },
  liveness: { http: { path: '/metrics', port: 'metrics' }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
};

// Validator keys from the secret store (besu-validator-keys, one key per validator: validator-N), each
// mounted at the seed's path (/keys/validators/validator-N/key.pem) in its own validator alone, whose own
// config.toml points Besu at it. The validator's address, in the genesis, is derived from that key.
const KEY = '/keys/validators/validator-{id}/key.pem';
const VALIDATOR_CONFIG = [...CONFIG_LINES, `node-private-key-file="${KEY}"`, ''].join('\n');

export const besu = defineSystem({
  name: 'besu',
  description: 'Besu validated set: validators, sentries and RPC nodes',
  services: [
    node({
      name: 'besu-validator',
      description: 'Consensus validator; reachable only by sentries and other validators',
      // RPC off on validators (seed). Discovery off too: validators peer only through static nodes
      // (sentries and each other), so they open P2P over TCP only and advertise nothing.
      args: ['--config-file=/etc/besu/config.toml', '--rpc-http-enabled=false', '--discovery-enabled=false'],
      ports: [P2P, METRICS],
      secretFiles: [{ path: KEY, secret: 'besu-validator-keys', key: 'validator-{id}', member: 'each' }],
      config: { mountPath: '/etc/besu', files: {}, memberFiles: { 'config.toml': VALIDATOR_CONFIG } },
      // Validators are consensus-critical: guaranteed QoS (requests = limits), which also allows the
      // seed's "CPU pinning for critical validators" through the static CPU manager.
      resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      probes: NODE_PROBES,
      // The genesis of each network lists its validators: an environment with another set overrides
      // members and supplies its genesis (besuNetwork).
      stateful: { members: VALIDATORS, firstId: 1, maxUnavailable: 1 },
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
      // Seed: "restrict RPC endpoints to specific IPs/whitelist". Kiln writes it where it has a load
      // balancer to put it on (overrides.besu-rpc.sourceRanges, a Kubernetes LoadBalancer's
      // loadBalancerSourceRanges); the seed's environments run on Compose and Proxmox containers, whose
      // published ports only the host's firewall restricts (the seed's iptables), which Kiln does not write.
      ports: [
        { name: 'rpc-http', port: 8545, appProtocol: 'http', expose: 'public' },
        { name: 'rpc-ws', port: 8546, appProtocol: 'ws', expose: 'public' },
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
  // Seed's dashboards: node status, consensus, peers, RPC performance, container resources.
  dashboards: [
    {
      uid: 'besu-network',
      title: 'Besu network',
      tags: ['besu'],
      rows: [
        {
          title: 'Nodes and consensus',
          panels: [
            { title: 'Node status', description: 'Whether Prometheus reaches each node (1 up, 0 down).', type: 'stat', unit: 'short', queries: [{ expr: `up{job=~"${JOBS}"}`, legend: '{{instance}}' }], thresholds: [{ value: 1, color: 'green' }] },
            { title: 'Block height', description: 'Chain head of every node; lines should move together.', unit: 'short', queries: [{ expr: `ethereum_blockchain_height{job=~"${JOBS}"}`, legend: '{{instance}}' }] },
            { title: 'Block production', description: 'New chain heads per minute seen by the validators; zero means consensus stalled.', unit: 'short', queries: [{ expr: 'max(changes(ethereum_blockchain_height{job="besu-validator"}[$__rate_interval]))', legend: 'heads' }] },
            { title: 'Peers', description: 'Peers of every node; validators need the sentries and each other.', unit: 'short', queries: [{ expr: `ethereum_peer_count{job=~"${JOBS}"}`, legend: '{{instance}}' }], thresholds: [{ value: 2, color: 'green' }] },
          ],
        },
        {
          title: 'RPC and resources',
          panels: [
            { title: 'RPC requests', description: 'JSON-RPC requests per second on the RPC nodes.', unit: 'reqps', queries: [{ expr: 'sum by (instance) (rate(besu_rpc_request_time_count{job="besu-rpc"}[$__rate_interval]))', legend: '{{instance}}' }] },
            { title: 'RPC p95', description: 'Slowest method p95 per RPC node.', unit: 's', queries: [{ expr: 'max by (instance) (besu_rpc_request_time{job="besu-rpc",quantile="0.95"})', legend: '{{instance}}' }], thresholds: [{ value: 1, color: 'red' }] },
            {
              title: 'RPC errors',
              description: 'Share of JSON-RPC requests that fail.',
              unit: 'percentunit',
              queries: [{ expr: 'sum by (instance) (rate(besu_rpc_errors_count_total{job="besu-rpc"}[$__rate_interval])) / sum by (instance) (rate(besu_rpc_request_time_count{job="besu-rpc"}[$__rate_interval]))', legend: '{{instance}}' }],
              thresholds: [{ value: 0.05, color: 'red' }],
            },
            { title: 'CPU', description: 'CPU seconds per second of each Besu process.', unit: 'short', queries: [{ expr: `rate(process_cpu_seconds_total{job=~"${JOBS}"}[$__rate_interval])`, legend: '{{instance}}' }] },
            { title: 'Heap', description: 'JVM heap in use against its maximum (4g).', unit: 'percentunit', queries: [{ expr: `jvm_memory_used_bytes{job=~"${JOBS}",area="heap"} / jvm_memory_max_bytes{job=~"${JOBS}",area="heap"}`, legend: '{{instance}}' }], thresholds: [{ value: 0.9, color: 'red' }] },
            { title: 'Memory', description: 'Resident memory of each Besu process (heap, RocksDB, JVM).', unit: 'bytes', queries: [{ expr: `process_resident_memory_bytes{job=~"${JOBS}"}`, legend: '{{instance}}' }] },
          ],
        },
      ],
    },
  ],
  // The seed's operations: validator set changes, upgrades, key rotation, recovery (QBFT).
  procedures: [
    {
      name: 'add-validator',
      title: 'Add a validator',
      summary: 'Grow the validator set by one node.',
      steps: [
        'Create the node key in the secret store (besu-validator-keys, a new key validator-N) and back it up encrypted (the seed: gpg -c, several locations).',
        "Raise the environment's member count (overrides.besu-validator.members; on hosts, also add its machine): the new member mounts its own key, validator-N, and no other. Regenerate and deploy the new node, which syncs as a non-validator first.",
        { text: 'Propose the new validator from a majority of the current validators (QBFT voting).', run: { hosts: 'curl -s -X POST --data \'{"jsonrpc":"2.0","method":"qbft_proposeValidatorVote","params":["<address>",true],"id":1}\' http://127.0.0.1:8545', compose: 'docker compose -p {project} -f {compose} exec besu-validator-1 curl -s -X POST --data \'{"jsonrpc":"2.0","method":"qbft_proposeValidatorVote","params":["<address>",true],"id":1}\' http://127.0.0.1:8545' } },
        'Watch block production continue and the new node appear among the validators.',
      ],
      panels: [{ dashboard: 'besu-network', panel: 'Block production' }],
      see: ['remove-validator'],
    },
    {
      name: 'remove-validator',
      title: 'Remove a validator',
      summary: 'Shrink the validator set, or retire a failed validator for good.',
      steps: [
        'Keep more than two thirds of the set up at every step: with five validators, remove one at a time.',
        'Vote the validator out from a majority of the others (qbft_proposeValidatorVote with false).',
        'Once the vote is in the chain, stop the node and remove its machine and key from the environment; regenerate.',
        'Remove the node from static-nodes.json of the others.',
      ],
      panels: [{ dashboard: 'besu-network', panel: 'Block production' }],
      see: ['add-validator'],
    },
    {
      name: 'upgrade-besu',
      title: 'Upgrade Besu',
      summary: 'A new Besu release: one node at a time, sentries and RPC nodes before validators.',
      steps: [
        { text: 'Snapshot the container before changing it (the seed).', run: { hosts: 'pct snapshot <vmid> pre-upgrade-$(date +%Y%m%d-%H%M%S)' } },
        'Change the image (IMAGE in environments/systems/besu.ts) and regenerate; roll out to one sentry, then the other, then the RPC nodes.',
        { text: 'Restart one node and wait until it is in sync and peered before the next.', run: { hosts: 'systemctl restart besu-validator && journalctl -u besu-validator -f', compose: 'docker compose -p {project} -f {compose} up -d besu-validator-1' } },
        'Validators last, one at a time: four of five keep producing blocks.',
        { text: 'If a node misbehaves, roll back its container.', run: { hosts: 'pct rollback <vmid> <snapshot>' } },
      ],
      panels: [
        { dashboard: 'besu-network', panel: 'Block height' },
        { dashboard: 'besu-network', panel: 'Peers' },
      ],
      see: ['network-recovery'],
    },
    {
      name: 'key-rotation',
      title: 'Rotate a validator key',
      summary: 'A validator key must change (suspected compromise, policy): a new key is a new validator.',
      steps: [
        'Create the new key in the secret store and back it up encrypted.',
        'Add the node with the new key as a validator (see add-validator), then vote the old address out (see remove-validator).',
        'Delete the old key from the secret store and from the backups once the vote is final.',
      ],
      see: ['add-validator', 'remove-validator'],
    },
    {
      name: 'network-recovery',
      title: 'Network recovery',
      summary: 'Block production stopped (NoBlockProduction): fewer than four of five validators are working.',
      steps: [
        { text: 'Find the validators that are down or not peered.', run: { hosts: 'systemctl status besu-validator; journalctl -u besu-validator -n 200', compose: 'docker compose -p {project} -f {compose} ps' } },
        'Restart stopped validators; check P2P 30303 between validators and sentries.',
        'If a database is corrupt, restore the container from its last snapshot or backup, then let it sync.',
        'Production resumes by itself once four validators agree; watch the block height move.',
      ],
      panels: [
        { dashboard: 'besu-network', panel: 'Node status' },
        { dashboard: 'besu-network', panel: 'Block production' },
      ],
      see: ['upgrade-besu'],
    },
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
        panel: { dashboard: 'besu-network', panel: 'Node status' },
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
        panel: { dashboard: 'besu-network', panel: 'Block production' },
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
        panel: { dashboard: 'besu-network', panel: 'Peers' },
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
        panel: { dashboard: 'besu-network', panel: 'RPC errors' },
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
        panel: { dashboard: 'besu-network', panel: 'RPC p95' },
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
        panel: { dashboard: 'besu-network', panel: 'Heap' },
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
