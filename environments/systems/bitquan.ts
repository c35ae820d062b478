/**
 * bitquan: an async P2P blockchain node (Rust, tokio).
 * Seed: shared/seeds/bitquan-node-production-deployment.txt (testnet first, then mainnet).
 */
import { defineSystem } from '@kiln/model';
import type { OverrideInput } from '@kiln/model';

export const bitquan = defineSystem({
  name: 'bitquan',
  description: 'Async P2P blockchain node (Rust, tokio runtime)',
  services: [
    {
      name: 'bitquan-node',
      description: 'Full node: P2P network, sync and JSON-RPC',
      // The seed names no image or registry: this is our choice, pinned to the async-network release
      // the seed rolls out. Environments move it with `tag`.
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
      metrics: { port: 'metrics' },
      tuning: {
        // Seed: `ulimit -n 100000`, `ulimit -u 32768`.
        ulimits: { nofile: 100000, nproc: 32768 },
      },
    },
  ],
  // A single service: peers are outside the environment (public P2P port); nothing else calls the node.
  flows: [],
});

/** Per-network settings shared by the environments of bitquan. */
export function bitquanNetwork(network: 'testnet' | 'mainnet', chainData: string): Record<string, OverrideInput> {
  return {
    'bitquan-node': {
      env: { BITQUAN_NETWORK: network },
      volumeSizes: { 'chain-data': chainData },
    },
  };
}
