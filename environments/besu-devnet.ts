/** besu devnet: the whole validated set on one Docker host. */
import { defineEnvironment } from '@kiln/model';
import type { OverrideInput } from '@kiln/model';
import { besu, besuOpts } from './systems/besu.js';

// Five 8Gi JVMs plus sentry and RPC do not fit a developer machine: 1g heaps in 2Gi containers.
const small: OverrideInput = {
  env: { BESU_OPTS: besuOpts('1g') },
  resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
  volumeSizes: { data: '20Gi' },
};

export default defineEnvironment({
  name: 'besu-devnet',
  stage: 'development',
  description: 'Besu validated set (5 validators, 1 sentry, 1 RPC node) with Docker Compose',
  systems: [besu],
  // The besu nodes' node-level net.core.{r,w}mem_max go to the Docker host's profile
  // (host/sysctl.d/90-docker-host.conf), not into the Compose file.
  targets: { compose: { hostProfile: 'docker-host' } },
  overrides: {
    'besu-validator': small,
    // One sentry and one RPC node: their public ports are published on the host, and replicas on one
    // host cannot share a published port.
    'besu-sentry': { ...small, replicas: 1 },
    'besu-rpc': { ...small, replicas: 1 },
  },
});
