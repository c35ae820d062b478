/** dongting production: the Raft group on Kubernetes. */
import { defineEnvironment } from '@kiln/model';
import { dongting } from './systems/dongting.js';
import { DELIVERY, grafana, RUNBOOKS } from './systems/site.js';

export default defineEnvironment({
  name: 'dongting-production',
  stage: 'production',
  description: 'Dongting DtKV, 3-member Raft group',
  systems: [dongting],
  targets: {
    // 1.31: StatefulSet start ordinals (spec.ordinals.start) are GA there, so member ids 1..3 are the
    // pods' ordinals, as Dongting's node ids must be positive.
    kubernetes: { cluster: 'production', version: '1.31', secretStore: { name: 'vault' } },
  },
  delivery: DELIVERY,
  monitoring: { grafana: grafana('production'), runbookBaseUrl: RUNBOOKS },
});
