/** veza production: the seed's production settings, on Kubernetes. */
import { cadvisor, defineEnvironment, kubeStateMetrics, secret } from '@kiln/model';
import type { OverrideInput } from '@kiln/model';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';
import { DATA_STORES_UNMONITORED, tracing, veza } from './systems/veza.js';

// The seed's DATABASE_POOL_SIZE=100 on up to 50 pods of each module would open 10,000 connections to a
// PostgreSQL that takes 500 (max_connections): past 500, pods fail to connect exactly when load peaks.
// Sized instead for the most pods the HPAs allow: 2 modules × 50 pods × 4 = 400, leaving 100 for
// superuser_reserved_connections, migrations, backups and psql. Postgres has 4 cores: beyond a few
// dozen active queries, more connections only queue. If pool waits show up in latency, the next step
// is PgBouncer in transaction mode between the modules and Postgres, not a bigger max_connections.
const MODULE_POOLS = { postgres: 4 };

// The cluster's Jaeger (the Jaeger Operator's instance `jaeger` in namespace `observability`; our
// choice, the seed names none): its collector Service. NetworkPolicies let the modules reach that
// namespace on the collector port, and nothing else outside the environment.
const TRACING = tracing('jaeger-collector.observability.svc.cluster.local');

const module: OverrideInput = { env: { ENVIRONMENT: 'production', ...TRACING.env }, connectionPools: MODULE_POOLS };

export default defineEnvironment({
  name: 'veza-production',
  stage: 'production',
  description: 'Veza platform in production',
  // Releases reach production from staging: `npx kiln promote veza-staging veza-production`.
  follows: 'veza-staging',
  systems: [veza],
  targets: {
    kubernetes: {
      cluster: 'production',
      version: '1.31',
      secretStore: { name: 'vault' },
      // The services' certificates (the seed's "TLS 1.3 for every connection"), from the cluster's
      // internal CA: a cert-manager CA ClusterIssuer, whose ca.crt the gateway verifies the modules with.
      // Its name is our choice; the seed names none.
      tls: { issuer: { name: 'internal-ca', kind: 'ClusterIssuer' } },
      // The seed's "load balancer with SSL termination": the cluster's shared Gateway (our choice of
      // names), whose HTTPS listener holds the public certificate and forwards plain HTTP to the routes.
      gateway: { name: 'public', namespace: 'gateway', sectionName: 'https' },
      nodePools: [
        {
          // The nodes that carry the seed's OS tuning: their kubelets run with
          // --allowed-unsafe-sysctls=net.core.somaxconn,net.ipv4.tcp_max_syn_backlog, and their host
          // profile (host/sysctl.d/90-network-tuned.conf) sets the node-level netdev_max_backlog.
          // Pods that need the tuning are pinned to them by this label.
          name: 'network-tuned',
          nodeSelector: { 'kiln.dev/node-pool': 'network-tuned' },
          allowedUnsafeSysctls: ['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog'],
          // The seed writes netdev_max_backlog into each host's /etc/sysctl.conf; here a DaemonSet
          // writes it on every node of the pool, so the nodes need no custom image for it.
          nodeSysctls: 'daemonset',
          // The seed's `* nofile 1048576` in limits.conf is the nodes' limit for every process: on
          // Kubernetes that is the container runtime's default (containerd, our choice: the seed names
          // none), which every container on the pool inherits.
          ulimits: 'runtime',
        },
      ],
    },
  },
  externals: TRACING.externals,
  delivery: DELIVERY,
  monitoring: {
    grafana: grafana('production'),
    runbookBaseUrl: RUNBOOKS,
    // The cluster's Prometheus scrapes the kubelets' cAdvisor and kube-state-metrics: the CPU and
    // memory alerts (against container limits) need both.
    platform: [cadvisor, kubeStateMetrics],
    alerting: {
      receivers: [
        { name: 'veza-oncall', pagerduty: { routingKey: secret('veza-pagerduty') } },
        { name: 'veza-alerts', slack: { url: secret('veza-slack-webhook'), channel: '#veza-alerts' } },
        { name: 'blackhole' },
      ],
      routes: { critical: 'veza-oncall', warning: 'veza-alerts', info: 'blackhole' },
    },
  },
  overrides: {
    // The API's public name (our choice: the seed names only the sites, veza.live and app.veza.live,
    // which call it): an HTTPRoute on the Gateway instead of a LoadBalancer of its own.
    'api-gateway': { env: { ENVIRONMENT: 'production' }, hostnames: { http: ['api.veza.live'] } },
    'chat-server': module,
    'stream-server': module,
    postgres: {
      database: {
        // Seed: "PostgreSQL 14+ with High Availability": a primary and two streaming replicas, one per
        // zone; CloudNativePG promotes the most advanced replica when the primary fails.
        instances: 3,
        // Seed: point-in-time recovery, and S3 for archives (its logs'): WAL archived continuously and a
        // base backup every day at 03:00, kept 30 days like the seed's logs. The bucket and the secret's
        // name are our choices; the secret store holds the keys.
        backup: {
          destinationPath: 's3://veza-backups/production',
          s3Credentials: { accessKeyId: secret('veza-backup-s3', 'access-key-id'), secretAccessKey: secret('veza-backup-s3', 'secret-access-key') },
          retention: '30d',
          schedule: '0 0 3 * * *',
        },
      },
    },
  },
  // Stage policies this environment does not meet yet (`npx kiln policies`).
  waivers: [
    // The seed sets the node-level net.core.netdev_max_backlog in each node's /etc/sysctl.conf; the pool's
    // DaemonSet does it instead, which takes root, a privileged container and the node's network.
    ...(['non-root', 'no-privilege-escalation', 'no-host-namespaces'] as const).map((policy) => ({
      policy,
      object: 'DaemonSet/node-sysctls-network-tuned',
      reason: "writes the seed's node-level net.core.netdev_max_backlog on the pool's nodes; it runs alone in veza-production-node-tuning (Pod Security privileged, a deny-all NetworkPolicy), apart from the workloads",
      expires: '2027-06-30',
    })),
    ...DATA_STORES_UNMONITORED,
  ],
});
