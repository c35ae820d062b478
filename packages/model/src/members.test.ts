import { describe, expect, it } from 'vitest';
import { peersOf } from './define.js';
import type { EnvironmentInput, OverrideInput } from './environment.js';
import { configFilesOf, hasMemberFiles, peerVariables, secretFilesOf } from './model.js';
import type { Service } from './model.js';
import { resolveEnvironment } from './resolve.js';
import type { ServiceInput } from './service.js';

const sources = { environment: 'environments/e.ts', system: () => 'environments/systems/s.ts' };

/** A validator set: each member mounts its own key and reads its own config, all share the genesis. */
const validator = (parts: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'validator',
  image: 'acme/node:1.0.0',
  ports: [{ name: 'p2p', port: 30303 }],
  stateful: { members: 3, firstId: 1, peers: { env: 'PEERS', port: 'p2p' } },
  secretFiles: [{ path: '/keys/validator-{id}/key.pem', secret: 'validator-keys', key: 'validator-{id}', member: 'each' }],
  config: { mountPath: '/etc/node', files: { 'genesis.json': '{}' }, memberFiles: { 'node.toml': 'key-file="/keys/validator-{id}/key.pem"\n' } },
  ...parts,
});
const client: ServiceInput = { name: 'client', image: 'acme/client:1.0.0', env: { SEEDS: peersOf('validator') } };

function input(services: ServiceInput[], overrides: Record<string, OverrideInput> = {}, flows = [{ from: 'client', to: 'validator', port: 'p2p' }]): EnvironmentInput {
  return { name: 'e', stage: 'development', systems: [{ name: 's', services, flows }], targets: { compose: {} }, overrides };
}

function resolve(env: EnvironmentInput) {
  const { environment, issues } = resolveEnvironment(env, sources);
  const services = environment?.systems.flatMap((system) => system.services) ?? [];
  return { issues, services, service: (name: string) => services.find((s) => s.name === name) as Service };
}

function codes(env: EnvironmentInput): [string, string][] {
  return resolveEnvironment(env, sources).issues.map((issue) => [issue.code, issue.path.join('.')]);
}

describe('members', () => {
  it("gives each member its own secret file and configuration, with '{id}' replaced", () => {
    const { issues, service } = resolve(input([validator(), client]));
    expect(issues).toEqual([]);
    const v = service('validator');
    expect(hasMemberFiles(v)).toBe(true);
    expect(v.secretFiles.map((file) => [file.member, file.path, file.secret.key])).toEqual([
      [1, '/keys/validator-1/key.pem', 'validator-1'],
      [2, '/keys/validator-2/key.pem', 'validator-2'],
      [3, '/keys/validator-3/key.pem', 'validator-3'],
    ]);
    expect(secretFilesOf(v, 2).map((file) => file.path)).toEqual(['/keys/validator-2/key.pem']);
    expect(configFilesOf(v, 3)).toEqual({ 'genesis.json': '{}', 'node.toml': 'key-file="/keys/validator-3/key.pem"\n' });
    expect(configFilesOf(v)).toEqual({ 'genesis.json': '{}' });
    expect(hasMemberFiles(service('client'))).toBe(false);
  });

  it('mounts a file of one member only in that member', () => {
    const { service } = resolve(input([validator({ secretFiles: [{ path: '/keys/boot.key', secret: 'boot', member: 2 }] }), client]));
    expect(secretFilesOf(service('validator'), 1)).toEqual([]);
    expect(secretFilesOf(service('validator'), 2)).toEqual([{ path: '/keys/boot.key', secret: { name: 'boot', key: 'value' }, member: 2 }]);
  });

  it("takes the member count, arguments and configuration files from the environment's override", () => {
    const { issues, service } = resolve(input([validator({ args: ['--a'] }), client], { validator: { members: 2, args: ['--b', '--c'], configFiles: { 'genesis.json': '{"chainId":1337}', 'extra.toml': 'x=1\n' } } }));
    expect(issues).toEqual([]);
    const v = service('validator');
    expect(v.stateful?.ids).toEqual([1, 2]);
    expect(v.scaling).toEqual({ kind: 'fixed', replicas: 2 });
    expect(v.args).toEqual(['--b', '--c']);
    expect(v.secretFiles.map((file) => file.member)).toEqual([1, 2]);
    expect(v.config?.files).toEqual({ 'extra.toml': 'x=1\n', 'genesis.json': '{"chainId":1337}' });
    expect(Object.keys(v.config?.memberFiles ?? {})).toEqual(['1', '2']);
  });

  it("fills peersOf() with the other service's members, as the target names them", () => {
    const { service, services } = resolve(input([validator(), client], { validator: { members: 2 } }));
    expect(service('client').peerEnv).toEqual([{ name: 'SEEDS', service: 'validator' }]);
    expect(service('client').env).toEqual([]);
    const host = (of: Service, id: number) => `${of.name}-${id}`;
    expect(peerVariables(service('client'), services, host)).toEqual([['SEEDS', 'validator-1:30303,validator-2:30303']]);
    expect(peerVariables(service('validator'), services, host)).toEqual([['PEERS', 'validator-1:30303,validator-2:30303']]);
  });

  it('refuses a member file for a member the service does not have in this environment', () => {
    const one = validator({ secretFiles: [{ path: '/keys/boot.key', secret: 'boot', member: 3 }] });
    expect(codes(input([one, client], { validator: { members: 2 } }))).toEqual([['UNKNOWN_MEMBER', 'systems.0.services.0.secretFiles.0.member']]);
    expect(codes(input([one, client]))).toEqual([]);
    const stateless = { ...client, secretFiles: [{ path: '/keys/k.pem', secret: 'k', member: 'each' as const }], config: { mountPath: '/etc/c', files: {}, memberFiles: { 'c.toml': '' } } };
    expect(codes(input([validator(), stateless])).map(([code]) => code)).toEqual(['UNKNOWN_MEMBER', 'UNKNOWN_MEMBER']);
  });

  it("refuses '{id}' outside a member's own file, and a file both shared and each member's", () => {
    const templated = validator({ secretFiles: [{ path: '/keys/validator-{id}/key.pem', secret: 'validator-keys' }] });
    expect(codes(input([templated, client]))).toEqual([['INVALID_VALUE', 'systems.0.services.0.secretFiles.0.path']]);
    expect(codes(input([validator(), client], { validator: { configFiles: { 'node.toml': '' } } }))).toEqual([['MOUNT_PATH_CONFLICT', 'overrides.validator.configFiles.node.toml']]);
  });

  it('refuses overrides that do not apply: members of a stateless service, files of a service without config', () => {
    expect(codes(input([validator(), client], { client: { members: 2, configFiles: { 'a.toml': '' } } }))).toEqual([
      ['REPLICAS_CONFLICT', 'overrides.client.members'],
      ['INVALID_VALUE', 'overrides.client.configFiles'],
    ]);
  });

  it('refuses peersOf() a service without a peer list, or one no flow reaches', () => {
    const noPeers = validator({ stateful: { members: 3, firstId: 1 } });
    expect(codes(input([noPeers, client]))).toEqual([['NO_PEER_LIST', 'systems.0.services.1.env.SEEDS']]);
    expect(codes(input([validator(), client], {}, []))).toEqual([['HOST_WITHOUT_FLOW', 'systems.0.services.1.env.SEEDS']]);
    expect(codes(input([validator(), { ...client, env: { SEEDS: peersOf('nobody') } }]))).toEqual([['UNKNOWN_SERVICE', 'systems.0.services.1.env.SEEDS']]);
  });

  it('places one member per machine after the override', () => {
    const machines = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `m${i}`, address: `10.0.0.${i}`, services: ['validator'] }));
    const hosts = (n: number, members?: number): EnvironmentInput => ({ ...input([validator()], members === undefined ? {} : { validator: { members } }, []), targets: { hosts: { machines: machines(n) } } });
    expect(codes(hosts(2, 2))).toEqual([]);
    expect(codes(hosts(2))).toEqual([['MEMBER_COUNT_MISMATCH', 'systems.0.services.0.stateful.members']]);
    expect(codes(hosts(3, 2))).toEqual([['MEMBER_COUNT_MISMATCH', 'overrides.validator.members']]);
  });
});

describe('Besu chain definition', () => {
  const besu = (parts: Partial<ServiceInput> = {}): ServiceInput => ({ name: 'besu', image: 'hyperledger/besu:24.12.2', ...parts });
  const chain = (service: ServiceInput, overrides: Record<string, OverrideInput> = {}) => codes(input([service], overrides, []));

  it('refuses a Besu node that names no chain: it would join Ethereum mainnet', () => {
    expect(chain(besu())).toEqual([['BESU_CHAIN_UNDEFINED', 'systems.0.services.0']]);
    expect(chain(besu({ image: 'docker.io/hyperledger/besu:24.12.2', args: ['--rpc-http-enabled=false'] }))).toEqual([['BESU_CHAIN_UNDEFINED', 'systems.0.services.0']]);
    // A config file with the chain that Besu is never told to read does not count.
    expect(chain(besu({ config: { mountPath: '/etc/besu', files: { 'config.toml': 'genesis-file="/etc/besu/genesis.json"\n' } } }))).toEqual([['BESU_CHAIN_UNDEFINED', 'systems.0.services.0']]);
  });

  it('accepts the chain as a flag, a variable, or a key of the config file Besu reads, also from the environment', () => {
    expect(chain(besu({ args: ['--network=sepolia'] }))).toEqual([]);
    expect(chain(besu({ args: ['--genesis-file', '/g.json'] }))).toEqual([]);
    expect(chain(besu({ env: { BESU_NETWORK: 'holesky' } }))).toEqual([]);
    const config = { mountPath: '/etc/besu', files: { 'config.toml': 'data-path="/data"\n' } };
    const named = besu({ args: ['--config-file=/etc/besu/config.toml'], config });
    expect(chain(named)).toEqual([['BESU_CHAIN_UNDEFINED', 'systems.0.services.0']]);
    expect(chain(named, { besu: { configFiles: { 'config.toml': 'genesis-file="/etc/besu/genesis.json"\n', 'genesis.json': '{}' } } })).toEqual([]);
    expect(chain(besu({ env: { BESU_CONFIG_FILE: '/etc/besu/config.toml' }, config: { ...config, files: { 'config.toml': '  network = "dev"\n' } } }))).toEqual([]);
    expect(chain(besu(), { besu: { args: ['--network=sepolia'] } })).toEqual([]);
  });

  it('refuses a genesis file in the configuration directory that the service does not have, where Kiln mounts the files', () => {
    const named = besu({ args: ['--config-file=/etc/besu/config.toml'], config: { mountPath: '/etc/besu', files: { 'config.toml': 'genesis-file="/etc/besu/genesis.json"\n' } } });
    expect(chain(named)).toEqual([['BESU_CHAIN_UNDEFINED', 'systems.0.services.0']]);
    expect(chain(named, { besu: { configFiles: { 'genesis.json': '{}' } } })).toEqual([]);
    // A hosts target's machines bring their own files.
    const hosts: EnvironmentInput = { ...input([named], {}, []), targets: { hosts: { machines: [{ name: 'm', address: '10.0.0.1', services: ['besu'] }] } } };
    expect(codes(hosts)).toEqual([]);
  });

  it('leaves other images alone', () => {
    expect(chain({ name: 'geth', image: 'ethereum/client-go:v1.14.0' })).toEqual([]);
  });
});
