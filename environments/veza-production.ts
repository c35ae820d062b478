/** veza production: the seed's production settings, on Kubernetes. */
import { cadvisor, defineEnvironment, kubeStateMetrics, secret } from '@kiln/model';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';
import { veza } from './systems/veza.js';

// The seed's DATABASE_POOL_SIZE=100 on up to 50 pods of each module would open 10,000 connections to a
// PostgreSQL that takes 500 (max_connections): past 500, pods fail to connect exactly when load peaks.
// Sized instead for the most pods the HPAs allow: 2 modules × 50 pods × 4 = 400, leaving 100 for
// superuser_reserved_connections, migrations, backups and psql. Postgres has 4 cores: beyond a few
// dozen active queries, more connections only queue. If pool waits show up in latency, the next step
// is PgBouncer in transaction mode between the modules and Postgres, not a bigger max_connections.
const MODULE_POOLS = { postgres: 4 };

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
    'api-gateway': { env: { ENVIRONMENT: 'production' } },
    'chat-server': { env: { ENVIRONMENT: 'production' }, connectionPools: MODULE_POOLS },
    'stream-server': { env: { ENVIRONMENT: 'production' }, connectionPools: MODULE_POOLS },
  },
});
