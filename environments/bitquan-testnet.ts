/** bitquan testnet: the seed's staging step ("deploy to testnet first, monitor for 1 hour"). */
import { defineEnvironment } from '@kiln/model';
import { bitquan, bitquanNetwork, INTERNET_PEERS, KUBERNETES_ULIMIT_GAPS } from './systems/bitquan.js';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';

export default defineEnvironment({
  name: 'bitquan-testnet',
  stage: 'staging',
  description: 'bitquan node on testnet: every release runs here before mainnet',
  systems: [bitquan],
  targets: {
    // The seed ships both a docker-compose.yml and a Kubernetes deployment; both are generated.
    kubernetes: { cluster: 'staging', version: '1.31', secretStore: { name: 'vault' } },
    compose: {},
  },
  // Testnet chain is smaller than mainnet. A release candidate runs here first (`images`), then is
  // promoted to mainnet with `npx kiln promote bitquan-testnet bitquan-mainnet`.
  externals: INTERNET_PEERS,
  delivery: DELIVERY,
  monitoring: { grafana: grafana('staging'), runbookBaseUrl: RUNBOOKS },
  overrides: bitquanNetwork('testnet', '50Gi'),
  tuning: { accept: KUBERNETES_ULIMIT_GAPS },
});
