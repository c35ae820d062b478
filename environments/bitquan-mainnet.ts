/** bitquan mainnet: the seed's production step, after testnet was healthy. */
import { defineEnvironment } from '@kiln/model';
import { bitquan, bitquanNetwork, INTERNET_PEERS, KUBERNETES_ULIMIT_GAPS } from './systems/bitquan.js';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';

export default defineEnvironment({
  name: 'bitquan-mainnet',
  stage: 'production',
  description: 'bitquan node on mainnet',
  // Releases reach mainnet from testnet: `npx kiln promote bitquan-testnet bitquan-mainnet`.
  follows: 'bitquan-testnet',
  systems: [bitquan],
  targets: {
    kubernetes: { cluster: 'production', version: '1.31', secretStore: { name: 'vault' } },
    compose: {},
  },
  externals: INTERNET_PEERS,
  delivery: DELIVERY,
  monitoring: { grafana: grafana('production'), runbookBaseUrl: RUNBOOKS },
  overrides: bitquanNetwork('mainnet', '200Gi'),
  tuning: { accept: KUBERNETES_ULIMIT_GAPS },
});
