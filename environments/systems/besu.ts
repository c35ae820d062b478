/**
 * besu: a validated set of Hyperledger Besu nodes (validators behind sentries, separate RPC nodes).
 * Seed: shared/seeds/besu-validated-set-recommendations.txt (Proxmox containers, systemd services).
 *
 * Open in the seed, and so not here: genesis.json and static-nodes.json (enode URLs, derived from the
 * node keys) live in its smom-dbis-138 repository. They belong in `config.files` once supplied; until
 * then the nodes have no chain definition and no static peers.
 */
import { defineSystem } from '@kiln/model';
import type { ServiceInput } from '@kiln/model';

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
    metrics: { port: 'metrics' },
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
  // For the observability issue: the seed's NoBlockProduction alert uses besu_blocks_total, which Besu
  // does not export (its chain-head gauge is ethereum_blockchain_height); check before writing the rule.
});
