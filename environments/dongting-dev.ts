/** dongting on a developer machine: the same 3-member group, small. */
import { defineEnvironment } from '@kiln/model';
import { dongting } from './systems/dongting.js';

export default defineEnvironment({
  name: 'dongting-dev',
  stage: 'development',
  description: 'Dongting DtKV, 3 members on one host with Docker Compose',
  systems: [dongting],
  targets: { compose: {} },
  overrides: {
    dongting: {
      // A 1g heap and a smaller direct-memory cap fit three members on a laptop.
      env: { JAVA_OPTS: '-XX:+UseZGC -XX:+ZGenerational -Xms1g -Xmx1g -XX:MaxDirectMemorySize=512m' },
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      volumeSizes: { data: '5Gi' },
    },
  },
});
