/**
 * besu mainnet: the seed's Proxmox containers, each running Besu as a systemd service.
 * Machine addresses follow the seed: vmid 106–110 are the validators, scraped at 192.168.11.13, .14, …
 */
import { defineEnvironment, secret } from '@kiln/model';
import { besu, VALIDATORS } from './systems/besu.js';
import { grafana, RUNBOOKS } from './systems/site.js';

// The seed's machines are unprivileged LXC containers (`pct exec <vmid> …`) on one Proxmox VE host,
// which it never names: `pve` (Proxmox's default node name) is our choice.
const PROXMOX = 'pve';

const validators = Array.from({ length: VALIDATORS }, (_, i) => ({
  // vmid 106 + i → 192.168.11.(13 + i); member i + 1 of besu-validator.
  name: `validator-${i + 1}`,
  address: `192.168.11.${13 + i}`,
  services: ['besu-validator'],
  containerHost: PROXMOX,
}));

export default defineEnvironment({
  name: 'besu-mainnet',
  stage: 'production',
  description: 'Besu validated set on Proxmox containers (systemd services)',
  systems: [besu],
  // The network's genesis.json (its five validators' addresses) comes with the seed's smom-dbis-138
  // configuration, which its provisioning installs in every container at /etc/besu/, where config.toml's
  // genesis-file names it: a hosts target gets no application files from Kiln.
  targets: {
    // Each machine's profile is its role (its first service): besu-validator, besu-sentry, besu-rpc.
    // These machines are unprivileged LXC containers: node-level keys cannot be set from inside one
    // (the seed's `pct exec … sysctl -w net.core.rmem_max=…` fails there), so the node-level
    // net.core.{r,w}mem_max go to the Proxmox host's profile (host/sysctl.d/90-pve.conf), which every
    // container on it shares.
    hosts: {
      containerHosts: [{ name: PROXMOX }],
      machines: [
        ...validators,
        // The seed lists no sentry or RPC containers; we continue its numbering (vmid 111–114,
        // 192.168.11.18–21). Two of each: one can be upgraded while the other serves.
        { name: 'sentry-1', address: '192.168.11.18', services: ['besu-sentry'], containerHost: PROXMOX },
        { name: 'sentry-2', address: '192.168.11.19', services: ['besu-sentry'], containerHost: PROXMOX },
        { name: 'rpc-1', address: '192.168.11.20', services: ['besu-rpc'], containerHost: PROXMOX },
        { name: 'rpc-2', address: '192.168.11.21', services: ['besu-rpc'], containerHost: PROXMOX },
      ],
    },
  },
  // Prometheus and Alertmanager run beside the containers (the seed's scrape job, per machine).
  monitoring: {
    grafana: grafana('production'),
    runbookBaseUrl: RUNBOOKS,
    alerting: {
      receivers: [
        { name: 'validators-oncall', pagerduty: { routingKey: secret('besu-pagerduty') } },
        { name: 'besu-ops', webhook: { url: 'https://ops.example.org/hooks/besu', token: secret('besu-ops-webhook-token') } },
      ],
      routes: { critical: 'validators-oncall', warning: 'besu-ops', info: 'besu-ops' },
    },
  },
  // The seed's API token in ~/.env (PROXMOX_TOKEN_VALUE) is for its provisioning scripts, not for the
  // nodes: it stays in Vault and out of this environment.
  // Stage policies this environment does not meet yet (`npx kiln policies`).
  waivers: [
    {
      policy: 'public-tls',
      service: 'besu-rpc',
      reason:
        'the seed serves JSON-RPC (HTTP 8545, WebSocket 8546) without TLS on its private 192.168.11.0/24 network, open only to the IPs its firewall allows, and names no certificate for the RPC nodes',
      expires: '2027-03-31',
    },
  ],
});
