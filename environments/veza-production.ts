/** veza production: the seed's production settings, on Kubernetes. */
import { cadvisor, defineEnvironment, kubeStateMetrics, secret } from '@kiln/model';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';
import { veza } from './systems/veza.js';

export default defineEnvironment({
  name: 'veza-production',
  stage: 'production',
  description: 'Veza platform in production',
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
    'chat-server': { env: { ENVIRONMENT: 'production' } },
    'stream-server': { env: { ENVIRONMENT: 'production' } },
  },
});
