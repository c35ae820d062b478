/** bitquan mainnet: the seed's production step, after testnet was healthy. */
import { defineEnvironment } from '@kiln/model';
import { bitquan, bitquanNetwork } from './systems/bitquan.js';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';

export default defineEnvironment({
  name: 'bitquan-mainnet',
  stage: 'production',
  description: 'bitquan node on mainnet',
  systems: [bitquan],
  targets: {
    kubernetes: { cluster: 'production', version: '1.31', secretStore: { name: 'vault' } },
    compose: {},
  },
  delivery: DELIVERY,
  monitoring: { grafana: grafana('production'), runbookBaseUrl: RUNBOOKS },
  overrides: bitquanNetwork('mainnet', '200Gi'),
});
