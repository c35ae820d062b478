/** rpcnet on a developer machine: the seed's docker-compose.yml, generated. */
import { defineEnvironment } from '@kiln/model';
import { rpcnet } from './systems/rpcnet.js';
import { RUNBOOKS } from './systems/site.js';

// The seed's Compose file starts with `version: '3.8'`; the Compose Specification dropped that key and
// Kiln does not emit it.
export default defineEnvironment({
  name: 'rpcnet-dev',
  stage: 'development',
  description: 'rpcnet on one host with Docker Compose',
  systems: [rpcnet],
  targets: { compose: {} },
  monitoring: { runbookBaseUrl: RUNBOOKS },
  overrides: {
    // One director, as the seed's Compose file runs (director-1): its RPC port is published on the host
    // (8080:8080), and members on one host cannot share a published port.
    'rpcnet-director': { members: 1 },
    // Compose does not autoscale; it runs minReplicas. Two workers, as the seed's rolling-update example.
    'rpcnet-worker': { autoscaling: { minReplicas: 2, maxReplicas: 2 } },
  },
});
