/**
 * The kernel is the oracle for the sysctl knowledge base. Every namespaced key is set to its example in
 * a fresh network and IPC namespace, and every node-level key must be refused there.
 *
 * Two kinds of namespace, neither of which can change this machine's own values:
 * - "unprivileged": `unshare -U -r -n -i` started as nobody. The kernel lets that user namespace's root
 *   write exactly the keys its network and IPC namespaces own, and refuses everything global with EACCES.
 *   This answers "namespaced or node-level?" without touching the host.
 * - "pod": `unshare -n -i` as real root, what runc gives a pod's containers. It is written to only for
 *   keys the unprivileged namespace has shown to be namespaced: real root writing a global key there
 *   would change the host (which is why runtimes refuse them by name).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { kernelAtLeast, knownSysctls, sysctlNamespace, validateSysctlSet, validateSysctlValue } from '@kiln/model';
import type { SysctlEntry } from '@kiln/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from './support/tools.js';

/** Spawning namespaces and a node per namespace takes seconds under load: never vitest's 5 s. */
const TIMEOUT_MS = 120_000;
const NOBODY = 65534;
const KERNEL = release();

interface Probe {
  readonly key: string;
  readonly exists: boolean;
  /** access(W_OK) as the namespace's root: what `test -w` says. */
  readonly writable?: boolean;
  readonly before?: string;
  /** Set when a value was written: the value read back, or the errno of the refusal. */
  readonly after?: string;
  readonly error?: string;
}

/**
 * Runs inside the namespaces: for each { key, value? }, whether /proc/sys has the key, whether it is
 * writable, its value, and the outcome of writing `value`. Keys and values arrive as one JSON argument,
 * never through a shell.
 */
const PROBE = `
const { accessSync, constants, existsSync, readFileSync, writeFileSync } = require('node:fs');
const read = (path) => readFileSync(path, 'utf8').trim().split(/\\s+/).join(' ');
const out = JSON.parse(process.argv[1]).map(({ key, value }) => {
  const path = '/proc/sys/' + key.split('.').join('/');
  if (!existsSync(path)) return { key, exists: false };
  let writable = true;
  try { accessSync(path, constants.W_OK); } catch { writable = false; }
  const before = read(path);
  if (value === undefined) return { key, exists: true, writable, before };
  try { writeFileSync(path, value); } catch (error) { return { key, exists: true, writable, before, error: error.code }; }
  return { key, exists: true, writable, before, after: read(path) };
});
process.stdout.write(JSON.stringify(out));
`;

type Namespace = 'unprivileged' | 'pod';

function probe(where: Namespace, requests: readonly { key: string; value?: string }[]): Map<string, Probe> {
  const unshare = where === 'unprivileged' ? ['-U', '-r', '-n', '-i'] : ['-n', '-i'];
  const ids = where === 'unprivileged' ? { uid: NOBODY, gid: NOBODY } : {};
  const result = spawnSync('unshare', [...unshare, process.execPath, '-e', PROBE, JSON.stringify(requests)], { encoding: 'utf8', cwd: '/', timeout: TIMEOUT_MS, ...ids });
  if (result.status !== 0) throw new Error(`probe in the ${where} namespace failed: ${result.stderr}`);
  const probes = JSON.parse(result.stdout) as Probe[];
  return new Map(probes.map((p) => [p.key, p]));
}

/** What the unprivileged namespace did with each key's example; filled before any pod namespace is written. */
let unprivileged = new Map<string, Probe>();

/**
 * Whether the kernel let a namespace write `key`: the write succeeded, or was refused for its value
 * (EINVAL) after the permission check passed. Proven by the unprivileged namespace, never assumed from
 * the entry, because real root writing a global key in a pod namespace changes the host.
 */
function provenNamespaced(key: string): boolean {
  const result = unprivileged.get(key);
  return result?.exists === true && (result.error === undefined || result.error === 'EINVAL');
}

/** Writes in a fresh pod namespace (real root), only keys proven namespaced. */
function writeInPod(requests: readonly { key: string; value: string }[]): Map<string, Probe> {
  for (const { key } of requests) {
    if (!provenNamespaced(key)) throw new Error(`not writing ${key} as root: the unprivileged namespace did not show it to be namespaced`);
  }
  return probe('pod', requests);
}

/** Writes with `sysctl -w` in one fresh pod namespace and reads back with `sysctl -n`, as an operator would. */
function sysctlInPod(settings: readonly (readonly [string, string])[]): { status: number | null; values: string[]; stderr: string } {
  for (const [key] of settings) {
    if (!provenNamespaced(key)) throw new Error(`not writing ${key} as root: the unprivileged namespace did not show it to be namespaced`);
  }
  // Positional parameters, not interpolation: "$@" carries key=value pairs, then the keys, past the shell.
  const script = 'n=$1; shift; i=0; for a do i=$((i+1)); [ $i -le $n ] && { sysctl -q -w "$a" || exit 1; }; done; i=0; for a do i=$((i+1)); [ $i -gt $n ] && { sysctl -n "$a" || exit 1; }; done; exit 0';
  const args = [String(settings.length), ...settings.map(([key, value]) => `${key}=${value}`), ...settings.map(([key]) => key)];
  const result = spawnSync('unshare', ['-n', '-i', 'sh', '-c', script, 'sh', ...args], { encoding: 'utf8', timeout: TIMEOUT_MS });
  return { status: result.status, values: result.stdout.split('\n').filter((line) => line !== '').map(normalize), stderr: result.stderr };
}

const normalize = (value: string) => value.trim().split(/\s+/).join(' ');
const onHost = (key: string) => existsSync(`/proc/sys/${key.split('.').join('/')}`);

/** Root, Linux, unshare and sysctl, and user namespaces for nobody; otherwise skip visibly, or fail under KILN_REQUIRE_TOOLS=1. */
function namespacesAvailable(): boolean {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push('Linux');
  else if (process.getuid?.() !== 0) missing.push('root');
  else if (!hasTool('unshare')) missing.push('unshare (apt-get install util-linux)');
  else if (!hasTool('sysctl')) missing.push('sysctl (apt-get install procps)');
  else if (spawnSync('unshare', ['-n', '-i', 'true']).status !== 0) missing.push('network and IPC namespaces (unshare -n -i)');
  else if (spawnSync('unshare', ['-U', '-r', '-n', '-i', 'true'], { uid: NOBODY, gid: NOBODY, cwd: '/' }).status !== 0) missing.push('user namespaces for unprivileged users');
  if (missing.length === 0) return true;
  const why = `the sysctl kernel tests need ${missing.join(', ')}`;
  if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error(`${why} (KILN_REQUIRE_TOOLS=1)`);
  console.warn(`SKIPPED: ${why}; the knowledge base is not checked against the kernel`);
  return false;
}

const available = namespacesAvailable();
const entries = knownSysctls();
/** Namespaced on this machine's kernel (a key can become per-namespace in some kernel version). */
const namespacedHere = (entry: SysctlEntry) => sysctlNamespace(entry.key, KERNEL) !== undefined;
const namespaced = entries.filter(namespacedHere);
const nodeLevel = entries.filter((entry) => !namespacedHere(entry));

/** How a fresh namespace should see a node-level key on this kernel. */
function expectedView(entry: SysctlEntry): 'shared' | 'read-only' | 'absent' {
  if (entry.scope === 'namespaced') return 'absent'; // per-namespace only on newer kernels: not registered in a new namespace here
  if (entry.readOnlySince !== undefined && !kernelAtLeast(KERNEL, entry.readOnlySince)) return 'absent';
  return entry.inNamespace;
}

describe.skipIf(!available)(`sysctls on this kernel (${KERNEL})`, () => {
  const absent = entries.filter((entry) => !onHost(entry.key));

  beforeAll(() => {
    unprivileged = probe('unprivileged', entries.map((entry) => ({ key: entry.key, value: entry.example })));
  }, TIMEOUT_MS);

  it('has every known key under /proc/sys, or documents why not', () => {
    if (absent.length > 0) console.warn(`sysctl keys absent on kernel ${KERNEL}: ${absent.map((e) => `${e.key} (needs ${e.requires ?? '?'})`).join(', ')}`);
    for (const entry of absent) expect(entry.requires, `${entry.key} is absent on ${KERNEL} and its entry does not say why`).toBeDefined();
  });

  it('lets the unprivileged namespace write every namespaced key, and refuses every node-level one', () => {
    for (const entry of namespaced) {
      const result = unprivileged.get(entry.key);
      if (!onHost(entry.key)) continue;
      expect(result?.exists, `${entry.key} is namespaced but missing from a new namespace`).toBe(true);
      // EINVAL means the kernel let the namespace write and judged the value: ping_group_range names
      // group IDs this user namespace does not map. The pod namespace below must then take it.
      expect(['ok', 'EINVAL'], `${entry.key}: ${result?.error}`).toContain(result?.error ?? 'ok');
    }
    for (const entry of nodeLevel) {
      if (!onHost(entry.key)) continue;
      const result = unprivileged.get(entry.key);
      if (!result?.exists) continue; // refused by not being there: checked against the entry below
      expect(['EACCES', 'EPERM'], `${entry.key} is node-level, yet a namespace may write it`).toContain(result.error);
    }
  });

  it('sets every namespaced key to its example in a fresh pod namespace', { timeout: TIMEOUT_MS }, () => {
    const present = namespaced.filter((entry) => onHost(entry.key));
    // One namespace per key: each example is judged against the kernel defaults, not the others.
    for (const entry of present) {
      const [result] = writeInPod([{ key: entry.key, value: entry.example }]).values();
      expect(result?.error, `${entry.key} = '${entry.example}'`).toBeUndefined();
      expect(result?.after, entry.key).toBe(normalize(entry.example));
    }
  });

  it('applies all namespaced examples together with sysctl -w, as one pod would', { timeout: TIMEOUT_MS }, () => {
    const settings = namespaced.filter((entry) => onHost(entry.key)).map((entry) => [entry.key, entry.example] as const);
    expect(validateSysctlSet(Object.fromEntries(settings))).toEqual([]);
    const run = sysctlInPod(settings);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.values).toEqual(settings.map(([, value]) => normalize(value)));
  });

  it('shows each node-level key to a fresh pod namespace as its entry says: shared, read-only or absent', { timeout: TIMEOUT_MS }, () => {
    const results = probe('pod', nodeLevel.map((entry) => ({ key: entry.key })));
    for (const entry of nodeLevel.filter((e) => onHost(e.key))) {
      const result = results.get(entry.key);
      const seen = !result?.exists ? 'absent' : result.writable ? 'shared' : 'read-only';
      expect(seen, entry.key).toBe(expectedView(entry));
    }
  });

  it("starts namespaced keys from the kernel default, or from the host's value where the entry says so", { timeout: TIMEOUT_MS }, () => {
    const results = probe('pod', namespaced.map((entry) => ({ key: entry.key })));
    for (const entry of namespaced) {
      if (entry.scope !== 'namespaced' || !onHost(entry.key)) continue;
      const fresh = results.get(entry.key)?.before;
      if (entry.initialValue === 'copied-from-host') {
        const host = probeHost(entry.key);
        expect(fresh, `${entry.key} should copy the host's value`).toBe(host);
      } else if (entry.kernelDefault !== undefined) {
        expect(fresh, `${entry.key} should start from the kernel default`).toBe(normalize(entry.kernelDefault));
      }
    }
  });

  describe('values', () => {
    /** Values Kiln accepts, each of which the kernel must take in a fresh pod namespace. */
    const accepted: [string, string][] = [
      ['net.ipv4.ip_local_port_range', '1024 65535'],
      ['net.ipv4.ip_local_port_range', '40000 40000'],
      ['net.ipv4.ip_local_port_range', '32768 60999'],
      ['net.ipv4.ping_group_range', '0 2147483647'],
      ['net.ipv4.ping_group_range', '1 0'],
      ['net.ipv4.tcp_rmem', '4096 87380 6291456'],
      ['net.ipv4.tcp_wmem', '4096 4096 4096'],
      ['net.ipv4.ip_local_reserved_ports', '8080,9000-9100'],
      ['kernel.sem', '250 256000 100 1024'],
    ];
    /** Values Kiln refuses that the kernel refuses too (EINVAL). */
    const refusedByBoth: [string, string][] = [
      ['net.ipv4.ip_local_port_range', '60999 32768'],
      ['net.ipv4.ip_local_port_range', '1024 65536'],
      ['net.ipv4.ip_local_reserved_ports', '9100-9000'],
      ['net.ipv4.tcp_keepalive_probes', '256'],
      ['net.ipv4.tcp_notsent_lowat', '4294967296'],
      ['net.ipv4.tcp_tw_reuse', '3'],
      ['kernel.shmmni', '32769'],
      ['fs.mqueue.msg_max', '65537'],
    ];
    /** Values the kernel takes but Kiln refuses on purpose: meaningless, or not what the kernel keeps. */
    const stricterThanKernel: [string, string][] = [
      ['net.ipv4.tcp_rmem', '8192 4096 100000'], // min above default: the kernel does not check the order
      ['net.ipv4.tcp_rmem', '4096 87380'], // the kernel keeps the old max
      ['net.ipv4.tcp_syncookies', '3'],
      ['net.ipv4.tcp_slow_start_after_idle', '2'],
      ['net.ipv4.tcp_keepalive_time', '0'],
      ['net.core.somaxconn', '0x100'],
    ];

    it.each(accepted)('%s = %j: Kiln and the kernel accept it', { timeout: TIMEOUT_MS }, (key, value) => {
      expect(validateSysctlValue(key, value)).toBeUndefined();
      const [result] = writeInPod([{ key, value }]).values();
      expect(result?.error).toBeUndefined();
      expect(result?.after).toBe(normalize(value));
    });

    it.each(refusedByBoth)('%s = %j: Kiln and the kernel refuse it', { timeout: TIMEOUT_MS }, (key, value) => {
      expect(validateSysctlValue(key, value)).toBeDefined();
      const [result] = writeInPod([{ key, value }]).values();
      expect(result?.error).toBe('EINVAL');
    });

    it.each(stricterThanKernel)('%s = %j: the kernel takes it, Kiln refuses it', { timeout: TIMEOUT_MS }, (key, value) => {
      expect(validateSysctlValue(key, value)).toBeDefined();
      const [result] = writeInPod([{ key, value }]).values();
      expect(result?.error).toBeUndefined();
    });

    it('refuses a local port range below the unprivileged port start, and the write order matters', { timeout: TIMEOUT_MS }, () => {
      const below = { 'net.ipv4.ip_local_port_range': '1000 2000' };
      expect(validateSysctlSet(below)).toMatchObject([{ reason: 'conflict' }]);
      expect(writeInPod([{ key: 'net.ipv4.ip_local_port_range', value: '1000 2000' }]).get('net.ipv4.ip_local_port_range')?.error).toBe('EINVAL');

      const pair = { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ip_local_port_range': '1 1023' };
      expect(validateSysctlSet(pair)).toMatchObject([{ reason: 'order-dependent' }]);
      const startFirst = writeInPod([
        { key: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
        { key: 'net.ipv4.ip_local_port_range', value: '1 1023' },
      ]);
      expect(startFirst.get('net.ipv4.ip_local_port_range')?.error).toBeUndefined();
      const rangeFirst = writeInPod([
        { key: 'net.ipv4.ip_local_port_range', value: '1 1023' },
        { key: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
      ]);
      expect(rangeFirst.get('net.ipv4.ip_local_port_range')?.error).toBe('EINVAL');
    });
  });
});

/** The host's current value, read (never written) in this process's own namespaces. */
function probeHost(key: string): string | undefined {
  const result = spawnSync('sysctl', ['-n', key], { encoding: 'utf8', timeout: TIMEOUT_MS });
  return result.status === 0 ? normalize(result.stdout) : undefined;
}
