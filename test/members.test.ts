/**
 * Members and environments in the committed seeds: each besu validator mounts only its own key and
 * reads its own config, devnet runs its own chain with four validators, the besu Compose healthchecks
 * run through bash, which the image has, and rpcnet's gossip seed list names every director by its
 * stable member address on both targets.
 */
import { emitters, repositoryEmitters } from '@kiln/cli';
import { compile } from '@kiln/core';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const TIMEOUT_MS = 120_000;
const root = join(import.meta.dirname, '..');
type ComposeService = { environment?: Record<string, string>; secrets?: { source: string; target: string }[]; volumes?: { source: string; target: string }[]; healthcheck?: { test: string[] } };
let files: ReadonlyMap<string, string> = new Map();
const compose = (env: string) => (parse(files.get(`${env}/compose/docker-compose.yml`) ?? '') as { services: Record<string, ComposeService> }).services;

beforeAll(async () => {
  files = (await compile({ root, emitters, repositoryEmitters })).files;
}, TIMEOUT_MS);

describe('besu validators', () => {
  it('each mount only their own key, and read their own config.toml, which points Besu at it', () => {
    const services = compose('besu-devnet');
    const validators = Object.keys(services).filter((name) => name.startsWith('besu-validator-'));
    expect(validators).toEqual(['besu-validator-1', 'besu-validator-2', 'besu-validator-3', 'besu-validator-4']);
    for (const [i, name] of validators.entries()) {
      expect(services[name]?.secrets).toEqual([{ source: `besu-validator-keys.validator-${i + 1}`, target: `/keys/validators/validator-${i + 1}/key.pem` }]);
      expect(services[name]?.volumes?.find((mount) => mount.target === '/etc/besu/config.toml')?.source).toBe(`./config/${name}/config.toml`);
      expect(files.get(`besu-devnet/compose/config/${name}/config.toml`)).toContain(`node-private-key-file="/keys/validators/validator-${i + 1}/key.pem"`);
    }
  });

  it("run devnet's own chain, whose genesis lists its four validators, on every role", () => {
    const genesis = JSON.parse(files.get('besu-devnet/compose/config/besu-validator/genesis.json') ?? '{}') as { config: { chainId: number }; extraData: string };
    expect(genesis.config.chainId).toBe(1337);
    // RLP: the 32-byte vanity, then a list of four 20-byte addresses (0xf854: 84 bytes).
    expect(genesis.extraData).toMatch(/^0xf87aa0(00){32}f854(94[0-9a-f]{40}){4}c080c0$/);
    for (const role of ['besu-rpc', 'besu-sentry']) expect(files.get(`besu-devnet/compose/config/${role}/genesis.json`)).toBe(files.get('besu-devnet/compose/config/besu-validator/genesis.json'));
    for (const role of ['besu-rpc', 'besu-sentry', 'besu-validator']) expect(files.get(`besu-devnet/compose/config/${role}/config.toml`) ?? files.get(`besu-devnet/compose/config/${role}-1/config.toml`)).toContain('genesis-file="/etc/besu/genesis.json"');
  });
});

describe('Compose healthchecks of the seeds', () => {
  it('check the besu nodes through bash, as their image has no curl (the compile refuses a check a service declares no program for)', () => {
    const checked = [...files.keys()].filter((path) => path.endsWith('/compose/docker-compose.yml'));
    expect(checked.length).toBeGreaterThan(3);
    for (const path of checked) {
      for (const [name, service] of Object.entries((parse(files.get(path) ?? '') as { services: Record<string, ComposeService> }).services)) {
        if (name.startsWith('besu-')) expect(service.healthcheck?.test.slice(0, 2), name).toEqual(['CMD', 'bash']);
      }
    }
  });
});

describe('rpcnet gossip seeds', () => {
  it('name every director by its stable member address, for directors and workers alike', () => {
    const dev = compose('rpcnet-dev');
    expect(dev['rpcnet-director-1']?.environment?.['SEED_NODES']).toBe('rpcnet-director-1:7946');
    expect(dev['rpcnet-worker']?.environment?.['SEED_NODES']).toBe('rpcnet-director-1:7946');
    const seeds = [1, 2, 3].map((id) => `rpcnet-director-${id}.rpcnet-director-headless.rpcnet-eu-west.svc:7946`).join(',');
    for (const workload of ['statefulset-rpcnet-director', 'deployment-rpcnet-worker']) {
      const object = parse(files.get(`rpcnet-eu-west/kubernetes/${workload}.yaml`) ?? '', { version: '1.1' }) as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } };
      expect(object.spec.template.spec.containers[0]?.env.find((variable) => variable.name === 'SEED_NODES')?.value, workload).toBe(seeds);
    }
  });
});
