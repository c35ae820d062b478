/** besu devnet: the whole validated set on one Docker host. */
import { defineEnvironment } from '@kiln/model';
import type { OverrideInput } from '@kiln/model';
import { besu, besuNetwork, besuOpts, qbftGenesis } from './systems/besu.js';

// Mainnet's 8Gi JVMs, four validators, sentry and RPC node, do not fit a developer machine: 1g heaps in 2Gi containers.
const small: OverrideInput = {
  env: { BESU_OPTS: besuOpts('1g') },
  resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
  volumeSizes: { data: '20Gi' },
};

// A chain of its own (1337), never mainnet's: four validators, the smallest QBFT set that keeps
// producing blocks with one down, as mainnet's five do. Their keys are the published test keys of
// Consensys' quorum-dev-quickstart (files/besu/config/besu/networkFiles/validator1…4/keys/key), for a
// devnet that holds nothing of value: ./secrets/besu-validator-keys.validator-N holds validatorN's key.
const network = besuNetwork(
  qbftGenesis({
    chainId: 1337,
    blockPeriodSeconds: 2,
    validators: ['0x93917cadbace5dfce132b991732c6cda9bcc5b8a', '0x27a97c9aaf04f18f3014c32e036dd0ac76da5f18', '0xce412f988377e31f4d0ff12d74df73b51c42d0ca', '0x98c1334496614aed49d2e81526d089f7264fed9c'],
  }),
);

export default defineEnvironment({
  name: 'besu-devnet',
  stage: 'development',
  description: 'Besu validated set (4 validators, 1 sentry, 1 RPC node) with Docker Compose',
  systems: [besu],
  // The besu nodes' node-level net.core.{r,w}mem_max go to the Docker host's profile
  // (host/sysctl.d/90-docker-host.conf), not into the Compose file.
  targets: { compose: { hostProfile: 'docker-host' } },
  overrides: {
    'besu-validator': { ...small, ...network, members: 4 },
    // One sentry and one RPC node: their public ports are published on the host, and replicas on one
    // host cannot share a published port.
    'besu-sentry': { ...small, ...network, replicas: 1 },
    'besu-rpc': { ...small, ...network, replicas: 1 },
  },
});
