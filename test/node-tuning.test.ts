/**
 * Node tuning and ulimit mechanisms against real tools:
 * - the node tuning objects (DaemonSet, its Namespace and NetworkPolicy) of every committed
 *   environment pass the strict Kubernetes JSON Schemas (unknown fields rejected) of 1.31 and 1.36,
 *   as `kubernetes-validate --strict` applies them;
 * - the DaemonSet's script writes and reads back keys in a fresh user, network and IPC namespace
 *   (`unshare -U -r -n -i`, as nobody: it cannot touch this machine), with the kernel's own output
 *   (tabs in triples), and fails on a key the kernel refuses there;
 * - the entrypoint wrapper sets soft and hard limits in dash and in bash as sh, and fails before the
 *   command when the hard limit it inherits is too low;
 * - the container runtime files: containerd's drop-in passes `systemd-analyze verify`, CRI-O's parses
 *   as TOML with `default_ulimits` where CRI-O reads it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitters, repositoryEmitters } from '@kiln/cli';
import { compile, render } from '@kiln/core';
import { hostsEmitter } from '@kiln/hosts';
import { nodeSysctlScript } from '@kiln/kubernetes';
import { resolveEnvironment } from '@kiln/model';
import type { EnvironmentInput, ServiceInput } from '@kiln/model';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRICT_VERSIONS, strictSchemas } from './support/kubernetes-schemas.js';
import { hasTool } from './support/tools.js';

const TIMEOUT_MS = 120_000;
const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'kiln-node-tuning-'));
const NOBODY = 65534;
let objects: { path: string; object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } }[] = [];

beforeAll(async () => {
  const compiled = await compile({ root, emitters, repositoryEmitters });
  objects = [...compiled.files].filter(([path]) => /\/kubernetes\/[^/]+\.yaml$/.test(path)).map(([path, content]) => ({ path, object: parse(content, { version: '1.1' }) }));
}, TIMEOUT_MS);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Whether a required tool is there; throws under KILN_REQUIRE_TOOLS=1 when it is not. */
function needs(what: string, present: boolean): boolean {
  if (present) return true;
  if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error(`${what} is required (KILN_REQUIRE_TOOLS=1)`);
  console.warn(`SKIPPED: needs ${what}`);
  return false;
}

describe('node tuning objects', () => {
  const tuning = () => objects.filter(({ object }) => object.kind === 'DaemonSet' || object.metadata.name.endsWith('-node-tuning') || object.metadata.namespace?.endsWith('-node-tuning'));

  it('are generated for veza-production', () => {
    expect(tuning().map(({ path }) => path).sort()).toEqual([
      'veza-production/kubernetes/daemonset-node-sysctls-network-tuned.yaml',
      'veza-production/kubernetes/namespace-veza-production-node-tuning.yaml',
      'veza-production/kubernetes/networkpolicy-node-tuning-deny-all.yaml',
    ]);
  });

  it.each(STRICT_VERSIONS)('pass the strict Kubernetes %s schemas', (version) => {
    const schemas = strictSchemas(version);
    if (!needs(`the shared Kubernetes schemas (${schemas.folder})`, schemas.present)) return;
    for (const { path, object } of tuning()) expect(schemas.errors(object), path).toBe('');
    // The schemas are strict: a field they do not know fails.
    const daemonSet = tuning().find(({ object }) => object.kind === 'DaemonSet')?.object as unknown as { apiVersion: string; kind: string; spec: { template: { spec: Record<string, unknown> } } };
    expect(schemas.errors({ ...daemonSet, spec: { ...daemonSet.spec, template: { ...daemonSet.spec.template, spec: { ...daemonSet.spec.template.spec, hostNetworking: true } } } })).not.toBe('');
  });
});

describe("the DaemonSet's script, in the kernel", () => {
  const run = (sysctls: { key: string; value: string }[]) =>
    spawnSync('unshare', ['-U', '-r', '-n', '-i', 'sh', '-c', nodeSysctlScript(sysctls)], { encoding: 'utf8', cwd: '/', uid: NOBODY, gid: NOBODY, timeout: TIMEOUT_MS });
  const ready = () => needs('root and unshare (util-linux)', process.getuid?.() === 0 && hasTool('unshare'));

  it('writes each key and reads it back, triples included', { timeout: TIMEOUT_MS }, () => {
    if (!ready()) return;
    const result = run([
      { key: 'net.core.somaxconn', value: '4096' },
      { key: 'net.ipv4.tcp_rmem', value: '4096  87380 6291456' },
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('net.core.somaxconn = 4096\nnet.ipv4.tcp_rmem = 4096 87380 6291456\n');
  });

  it('fails, naming the key, when the kernel refuses a write or keeps another value', { timeout: TIMEOUT_MS }, () => {
    if (!ready()) return;
    // net.core.rmem_max is global: read-only from a network namespace that is not the node's.
    const refused = run([{ key: 'net.core.rmem_max', value: '134217728' }]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('/proc/sys/net/core/rmem_max');
    // The kernel clamps nothing here but refuses the range's order: EINVAL, and the script stops before the next key.
    const invalid = run([{ key: 'net.ipv4.ip_local_port_range', value: '60000 1024' }, { key: 'net.core.somaxconn', value: '4096' }]);
    expect(invalid.status).not.toBe(0);
    expect(invalid.stdout).not.toContain('somaxconn');
    // The kernel reads a leading 0 as octal: the write succeeds and the value read back differs.
    const octal = run([{ key: 'net.core.somaxconn', value: '0100' }]);
    expect(octal.status).not.toBe(0);
    expect(octal.stderr).toContain("net.core.somaxconn is '64' after writing '0100'");
  });
});

type Ulimits = NonNullable<NonNullable<ServiceInput['tuning']>['ulimits']>;

describe('the entrypoint wrapper', () => {
  const input = (ulimits: Ulimits): EnvironmentInput => ({
    name: 'shop',
    stage: 'development',
    systems: [{ name: 'shop', services: [{ name: 'api', image: 'acme/api:1.0.0', command: ['cat', '/proc/self/limits'], tuning: { ulimits } }], flows: [] }],
    targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, ulimits: 'entrypoint' } },
  });
  const wrapper = (ulimits: Ulimits): string[] => {
    const { environment, issues } = resolveEnvironment(input(ulimits), { environment: 'environments/shop.ts', system: () => undefined });
    const command = environment?.tuning.pods['api']?.command;
    if (!command) throw new Error(JSON.stringify(issues));
    return ['sh', ...command.slice(1)];
  };
  /** Runs the wrapped command under `prlimit`, which sets the limits the container would inherit. */
  const limits = (shell: string[], inherited: string[], command: string[]) => spawnSync('prlimit', [...inherited, '--', ...shell, ...command.slice(1)], { encoding: 'utf8', timeout: TIMEOUT_MS });
  const line = (output: string, name: string) => output.split('\n').find((l) => l.startsWith(name))?.split(/\s{2,}/).slice(1, 3);

  it.each([
    ['dash', ['dash']],
    ['bash as sh', ['bash', '--posix']],
  ])('sets soft and hard limits in %s, then runs the command', { timeout: TIMEOUT_MS }, (_name, shell) => {
    if (!needs(`${shell[0]} and prlimit (util-linux)`, hasTool(shell[0] ?? '') && hasTool('prlimit'))) return;
    // What the runtime gives, kept under this machine's own hard limits (raising one needs CAP_SYS_RESOURCE).
    const command = wrapper({ nofile: { soft: 512, hard: 1024 }, stack: 4194304, memlock: 16384 });
    const result = limits(shell, ['--nofile=256:4096', '--stack=2097152:8388608', '--memlock=4096:65536'], command);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(line(result.stdout, 'Max open files')).toEqual(['512', '1024']);
    expect(line(result.stdout, 'Max stack size')).toEqual(['4194304', '4194304']);
    expect(line(result.stdout, 'Max locked memory')).toEqual(['16384', '16384']);
  });

  it('stops before the command when the inherited hard limit is too low', { timeout: TIMEOUT_MS }, () => {
    if (!needs('dash and prlimit (util-linux)', hasTool('dash') && hasTool('prlimit'))) return;
    // As containerd 2 gives its containers 1024:524288 and the service needs 1048576 (here scaled down).
    const result = limits(['dash'], ['--nofile=256:1024'], wrapper({ nofile: 2048 }));
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('Max open files');
    expect(result.stderr).toContain('kiln-ulimits');
  });
});

describe('container runtime files', () => {
  const input: EnvironmentInput = {
    name: 'shop',
    stage: 'development',
    systems: [
      {
        name: 'shop',
        services: [
          { name: 'api', image: 'acme/api:1.0.0', tuning: { ulimits: { nofile: { soft: 65536, hard: 1048576, reason: 'connections' }, nproc: 4096, memlock: 65536 } } },
          { name: 'jobs', image: 'acme/jobs:1.0.0', tuning: { ulimits: { nofile: { soft: 65536, hard: 1048576 } } } },
        ],
        flows: [],
      },
    ],
    targets: {
      kubernetes: {
        cluster: 'c',
        version: '1.31',
        secretStore: { name: 'vault' },
        ulimits: 'runtime',
        nodePools: [
          { name: 'pool-a', nodeSelector: { pool: 'a' } },
          { name: 'pool-b', nodeSelector: { pool: 'b' }, containerRuntime: 'cri-o' },
        ],
      },
    },
    overrides: { jobs: { nodePool: 'pool-b' }, api: { nodePool: 'pool-a' } },
  };
  let files: Map<string, string>;
  beforeAll(() => {
    const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
    if (!environment) throw new Error(JSON.stringify(issues));
    files = new Map(hostsEmitter.emit(environment).outputs.map((output) => [output.path, render(output, environment.source)]));
  });

  it('are written per pool profile and runtime', () => {
    expect([...files.keys()].sort()).toEqual(['shop/host/crio/crio.conf.d/90-pool-b.conf', 'shop/host/systemd/containerd.service.d/90-pool-a.conf']);
  });

  it("give containerd's unit the limits, which `systemd-analyze verify` accepts", { timeout: TIMEOUT_MS }, () => {
    const text = files.get('shop/host/systemd/containerd.service.d/90-pool-a.conf') ?? '';
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['[Service]', 'LimitMEMLOCK=65536:65536', 'LimitNOFILE=65536:1048576', 'LimitNPROC=4096:4096']);
    if (!needs('systemd-analyze (apt-get install systemd)', hasTool('systemd-analyze'))) return;
    const dir = mkdtempSync(join(scratch, 'unit-'));
    mkdirSync(join(dir, 'containerd.service.d'));
    writeFileSync(join(dir, 'containerd.service'), '[Unit]\nDescription=Kiln test unit\n\n[Service]\nExecStart=/bin/true\n');
    writeFileSync(join(dir, 'containerd.service.d', '90-pool-a.conf'), text);
    const result = spawnSync('systemd-analyze', ['verify', join(dir, 'containerd.service')], { encoding: 'utf8', env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` } });
    expect(result.status, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain('90-pool-a.conf');
  });

  it("give CRI-O's default_ulimits, which parse as TOML under [crio.runtime]", { timeout: TIMEOUT_MS }, () => {
    const text = files.get('shop/host/crio/crio.conf.d/90-pool-b.conf') ?? '';
    if (!needs('python3 with tomllib', spawnSync('python3', ['-c', 'import tomllib'], { encoding: 'utf8' }).status === 0)) return;
    const file = join(scratch, 'crio.conf');
    writeFileSync(file, text);
    const result = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', file], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ crio: { runtime: { default_ulimits: ['nofile=65536:1048576'] } } });
  });
});
