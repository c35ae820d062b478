/**
 * Host tuning files against the real tools: every key of every generated sysctl.d file exists under
 * /proc/sys (or its knowledge-base entry says why it may be absent), `sysctl -p` accepts the namespaced
 * ones inside fresh namespaces (`unshare -n -i`, as root: the host is never touched), limits.d lines
 * have pam_limits' shape, and systemd drop-ins pass `systemd-analyze verify`. The committed
 * environments are checked, plus a synthetic one with hosts units (root and not) and every kind of line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitters } from '@kiln/cli';
import { compile, render } from '@kiln/core';
import { hostsEmitter } from '@kiln/hosts';
import { resolveEnvironment, sysctlInfo, sysctlNamespace } from '@kiln/model';
import type { EnvironmentInput } from '@kiln/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from './support/tools.js';

const TIMEOUT_MS = 120_000;
const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'kiln-host-'));
let files: [string, string][] = [];

const synthetic: EnvironmentInput = {
  name: 'tuned-hosts',
  stage: 'development',
  systems: [
    {
      name: 'edge',
      services: [
        {
          name: 'proxy',
          image: 'acme/proxy:1.0.0',
          security: { runAsUser: 1000 },
          // KillSignal= and TimeoutStopSec= in its drop-in, checked by systemd-analyze below.
          stopSignal: 'SIGQUIT',
          shutdownTimeoutSeconds: 20,
          tuning: {
            sysctls: { 'net.core.somaxconn': { value: 4096, reason: 'accept queue' }, 'net.ipv4.tcp_rmem': '4096 87380 6291456', 'vm.swappiness': 10, 'kernel.shmmax': '68719476736' },
            ulimits: { nofile: { soft: 65536, hard: 2097152, reason: 'connections' }, nproc: 4096, memlock: 65536, maxlogins: 4 },
          },
        },
        { name: 'agent', image: 'acme/agent:1.0.0', security: { runAsNonRoot: false }, tuning: { ulimits: { nproc: { soft: 512, hard: 1024, reason: 'bounded workers' }, core: 0 } } },
      ],
      flows: [],
    },
  ],
  targets: { hosts: { machines: [{ name: 'edge-1', address: '10.0.0.1', services: ['proxy', 'agent'], profile: 'edge' }] } },
};

beforeAll(async () => {
  const compiled = await compile({ root, emitters });
  const { environment, issues } = resolveEnvironment(synthetic, { environment: 'environments/tuned-hosts.ts', system: () => undefined });
  if (!environment) throw new Error(`synthetic environment does not resolve: ${JSON.stringify(issues)}`);
  const own = hostsEmitter.emit(environment).outputs.map((output): [string, string] => [output.path, render(output, environment.source)]);
  files = [...[...compiled.files].filter(([path]) => path.includes('/host/')), ...own];
}, TIMEOUT_MS);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const of = (folder: string) => files.filter(([path]) => path.includes(`/host/${folder}/`));
const settings = (text: string) => text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));

describe('generated host tuning', () => {
  it('covers every kind of file', () => {
    expect(of('sysctl.d').length).toBeGreaterThan(1);
    expect(of('limits.d').length).toBeGreaterThan(0);
    expect(of('systemd').map(([path]) => path).sort()).toEqual([
      // Every unit of a hosts target: restarts and stop settings, and its limits.
      'besu-mainnet/host/systemd/besu-rpc.service.d/90-kiln.conf',
      'besu-mainnet/host/systemd/besu-sentry.service.d/90-kiln.conf',
      'besu-mainnet/host/systemd/besu-validator.service.d/90-kiln.conf',
      'tuned-hosts/host/systemd/agent.service.d/90-kiln.conf',
      'tuned-hosts/host/systemd/proxy.service.d/90-kiln.conf',
      // A Kubernetes pool's container runtime defaults (ulimits: 'runtime').
      'veza-production/host/systemd/containerd.service.d/90-network-tuned.conf',
    ]);
  });

  it('writes sysctl.d lines as `key = value`, each preceded by a comment', () => {
    for (const [, text] of of('sysctl.d')) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (line === '' || line.startsWith('#')) return;
        expect(line).toMatch(/^[a-z0-9_.-]+ = \S.*$/);
        expect(lines[i - 1]).toMatch(/^# /);
      });
    }
  });

  it('raises fs.nr_open where a profile needs nofile above its default', () => {
    const edge = files.find(([path]) => path === 'tuned-hosts/host/sysctl.d/90-edge.conf')?.[1] ?? '';
    expect(settings(edge)).toContain('fs.nr_open = 2097152');
  });

  it('writes limits.d lines as `<domain> <soft|hard|-> <item> <value>`', () => {
    for (const [, text] of of('limits.d')) {
      for (const line of settings(text)) expect(line).toMatch(/^\S+ (soft|hard|-) [a-z]+ (-?\d+|unlimited|infinity)$/);
    }
  });

  it('gives root services TasksMax instead of LimitNPROC', () => {
    const limits = (text: string) => settings(text).filter((line) => /^(Limit|TasksMax)/.test(line));
    const agent = files.find(([path]) => path.includes('/agent.service.d/'))?.[1] ?? '';
    expect(limits(agent)).toEqual(['LimitCORE=0:0', 'TasksMax=1024']);
    const proxy = files.find(([path]) => path.includes('/proxy.service.d/'))?.[1] ?? '';
    expect(limits(proxy)).toEqual(['LimitMEMLOCK=65536:65536', 'LimitNOFILE=65536:2097152', 'LimitNPROC=4096:4096']);
  });

  it('names only keys that exist under /proc/sys (or that need a module, per the knowledge base)', () => {
    if (!existsSync('/proc/sys/kernel')) return console.warn('SKIPPED: no /proc/sys on this machine');
    for (const [path, text] of of('sysctl.d')) {
      for (const line of settings(text)) {
        const key = line.split(' = ')[0] ?? '';
        const present = existsSync(`/proc/sys/${key.replaceAll('.', '/')}`);
        expect(present || sysctlInfo(key)?.requires !== undefined, `${path}: ${key}`).toBe(true);
      }
    }
  });

  it('passes `sysctl -p` for its namespaced keys in a fresh network and IPC namespace', { timeout: TIMEOUT_MS }, () => {
    const missing = process.getuid?.() !== 0 ? 'root' : !hasTool('unshare') ? 'unshare (util-linux)' : !hasTool('sysctl') ? 'sysctl (procps)' : undefined;
    if (missing) {
      if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error(`${missing} is required (KILN_REQUIRE_TOOLS=1)`);
      return console.warn(`SKIPPED: sysctl -p in a namespace needs ${missing}`);
    }
    let checked = 0;
    for (const [path, text] of of('sysctl.d')) {
      // Node-level keys are never written here: real root in a new namespace would change the host.
      const namespaced = settings(text).filter((line) => sysctlNamespace(line.split(' = ')[0] ?? '') !== undefined);
      if (namespaced.length === 0) continue;
      const file = join(scratch, path.replaceAll('/', '_'));
      writeFileSync(file, `${namespaced.join('\n')}\n`);
      const run = spawnSync('unshare', ['-n', '-i', 'sysctl', '-p', file], { encoding: 'utf8' });
      expect(run.status, `${path}: ${run.stderr}`).toBe(0);
      expect(run.stderr).toBe('');
      checked += namespaced.length;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('passes `systemd-analyze verify` with each drop-in on a minimal unit', { timeout: TIMEOUT_MS }, () => {
    if (!hasTool('systemd-analyze')) {
      if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error('systemd-analyze is required (KILN_REQUIRE_TOOLS=1): apt-get install systemd');
      return console.warn('SKIPPED: systemd-analyze is not installed (apt-get install systemd)');
    }
    for (const [path, text] of of('systemd')) {
      const match = /\/systemd\/([^/]+)\.d\/([^/]+)$/.exec(path);
      if (!match?.[1] || !match[2]) throw new Error(`unexpected drop-in path ${path}`);
      const dir = mkdtempSync(join(scratch, 'unit-'));
      mkdirSync(join(dir, `${match[1]}.d`));
      writeFileSync(join(dir, match[1]), '[Unit]\nDescription=Kiln test unit\n\n[Service]\nExecStart=/bin/true\n');
      writeFileSync(join(dir, `${match[1]}.d`, match[2]), text);
      const run = spawnSync('systemd-analyze', ['verify', join(dir, match[1])], { encoding: 'utf8', env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` } });
      expect(run.status, `${path}: ${run.stderr}`).toBe(0);
      // verify exits 0 on settings it ignores; it names the drop-in then.
      expect(`${run.stdout}${run.stderr}`, path).not.toContain(match[2]);
    }
  });
});
