import type { Output } from '@kiln/core';
import type { Environment, ServiceInput } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { RunbooksCode } from './codes.js';
import { runbooksEmitter } from './emitter.js';
import { api, db, environment, procedure, shop, TARGETS, worker } from './fixtures.js';
import { lintMarkdown, markdownTokens, tokensOf } from './markdown-check.js';

const PATH = 'shop-prod/runbooks/host-tuning.md';

function emit(env: Environment): Map<string, string> {
  const result = runbooksEmitter.emit(env);
  expect(result.diagnostics).toEqual([]);
  const files = new Map(result.outputs.map((output: Output) => [output.path, output.format === 'markdown' ? output.text : '']));
  for (const [path, text] of files) expect(lintMarkdown(path, text)).toEqual([]);
  return files;
}

/** The text under a level-2 heading, up to the next one. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section '${title}' in:\n${markdown}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

const headings = (markdown: string) => tokensOf(markdownTokens(markdown), 'atxHeadingText').map((t) => t.text);

/** api with a safe, an unsafe namespaced and a node-level sysctl and a nofile limit, each with its reason. */
const tunedApi = (reason = 'accept queue for bursts'): ServiceInput => ({
  ...api,
  tuning: {
    sysctls: {
      'net.ipv4.ip_local_port_range': { value: '1024 65535', reason: 'many outgoing connections' },
      'net.core.somaxconn': { value: 65535, reason },
      'net.core.rmem_max': { value: 134217728, reason: 'large receive buffers' },
    },
    ulimits: { nofile: { soft: 65536, hard: 65536, reason: 'one descriptor per client' } },
  },
});

const POOL = { name: 'tuned', nodeSelector: { 'kiln.dev/node-pool': 'tuned' }, allowedUnsafeSysctls: ['net.core.somaxconn'], ulimits: 'runtime' as const };

describe('host tuning runbook', () => {
  it('is written, and linked from the index, only where a service needs a sysctl or a limit', () => {
    const plain = emit(environment());
    expect(plain.has(PATH)).toBe(false);
    expect(headings(plain.get('shop-prod/runbooks/README.md') ?? '')).not.toContain('Host tuning');

    const tuned = emit(environment(shop({ services: [tunedApi(), db, worker] })));
    expect(tuned.has(PATH)).toBe(true);
    expect(section(tuned.get('shop-prod/runbooks/README.md') ?? '', 'Host tuning')).toContain('[Host tuning](host-tuning.md)');
  });

  it('puts Kubernetes pod sysctls in the pod section and node-level ones in the pool profile, with reasons and checks', () => {
    const env = environment(shop({ services: [tunedApi(), db, worker] }), { targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop', nodePools: [POOL] } } });
    const markdown = emit(env).get(PATH) ?? '';
    const pods = section(markdown, 'Kubernetes pods');
    expect(pods).toContain('| `net.ipv4.ip_local_port_range` | `1024 65535` | pod `securityContext.sysctls` (safe) | many outgoing connections |');
    expect(pods).toContain('| `net.core.somaxconn` | `65535` | pod `securityContext.sysctls` (unsafe: allowed by the kubelets of pool tuned) | accept queue for bursts |');
    expect(pods).toContain('| `net.core.rmem_max` | `134217728` | node-level: host profile `tuned` (below) | large receive buffers |');
    expect(pods).toContain('| ulimit `nofile` | `65536:65536` | container runtime defaults: host profile `tuned` (below) | one descriptor per client |');
    expect(pods).toContain('the container runtime of pool `tuned` gives every container these limits by default');
    expect(pods).toContain('`--allowed-unsafe-sysctls=net.core.somaxconn`');
    expect(pods).toContain("nodeSelector `kiln.dev/node-pool=tuned`: the pool's nodes must carry these labels");
    expect(pods).toContain('kubectl -n shop exec deployment/api -- cat /proc/sys/net/core/somaxconn');
    expect(pods).toContain('kubectl -n shop exec deployment/api -- cat /proc/1/limits');
    expect(pods).not.toContain('cat /proc/sys/net/core/rmem_max');

    const profiles = section(markdown, 'Host profiles');
    expect(profiles).toContain('[sysctl.d/90-tuned.conf](../host/sysctl.d/90-tuned.conf)');
    expect(profiles).toContain('| `net.core.rmem_max` | `134217728` | api | large receive buffers |');
    expect(profiles).toContain('kubectl get nodes -l kiln.dev/node-pool=tuned');
    expect(profiles).toContain('kubectl debug node/<node> -it --image=busybox -- sysctl -n net.core.rmem_max');
    expect(profiles).toContain('The nodes must carry the labels `kiln.dev/node-pool=tuned`');
    expect(profiles).toContain('[systemd/containerd.service.d/90-tuned.conf](../host/systemd/containerd.service.d/90-tuned.conf): copy to `/etc/systemd/system/containerd.service.d/`');
    expect(profiles).toContain('| `nofile` | 65536 | 65536 | api | one descriptor per client |');
    expect(profiles).toContain("# a new container's limits (the runtime's defaults): nofile 65536:65536\nkubectl debug node/<node> -it --image=busybox -- cat /proc/self/limits");
    expect(profiles).not.toContain('LXC');
    expect(profiles).not.toContain('DaemonSet');
  });

  it('describes the entrypoint wrapper and what it needs from the image and the runtime', () => {
    const wrapped = { ...tunedApi(), command: ['/app/api'] };
    const env = environment(shop({ services: [wrapped, db, worker] }), { targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop', nodePools: [{ ...POOL, ulimits: 'entrypoint' }] } } });
    const pods = section(emit(env).get(PATH) ?? '', 'Kubernetes pods');
    expect(pods).toContain('| ulimit `nofile` | `65536:65536` | entrypoint wrapper: `ulimit -n` | one descriptor per client |');
    expect(pods).toContain(`the container runs its command under \`/bin/sh -c 'ulimit -S -n 65536 && ulimit -H -n 65536 && exec "$@"'\``);
    expect(pods).toContain('The image must have `/bin/sh`');
  });

  it('says what the node tuning DaemonSet does, which Pod Security level it needs, and how to check it', () => {
    const env = environment(shop({ services: [tunedApi(), db, worker] }), { targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop', nodePools: [{ ...POOL, nodeSysctls: 'daemonset' }] } } });
    const profiles = section(emit(env).get(PATH) ?? '', 'Host profiles');
    expect(profiles).toContain('DaemonSet `node-sysctls-tuned` in namespace `shop-node-tuning` also writes the sysctls on every node of the pool');
    expect(profiles).toContain('which must contain `/bin/sh`, `cat` and `tr`');
    expect(profiles).toContain('Pod Security: the DaemonSet needs level `privileged` (a privileged container, to write global keys, and the host network namespace');
    expect(profiles).toContain('labelled `pod-security.kubernetes.io/enforce=privileged`');
    expect(profiles).toContain('kubectl -n shop-node-tuning rollout status daemonset/node-sysctls-tuned');
    expect(profiles).toContain('kubectl -n shop-node-tuning logs -l app.kubernetes.io/name=node-sysctls-tuned -c apply --prefix');
    expect(profiles).not.toContain('the runtime does not start after a reboot');

    // A runtime nofile above the kernel's default needs fs.nr_open before the runtime starts: the DaemonSet is too late.
    const high = { ...tunedApi(), tuning: { ...tunedApi().tuning, ulimits: { nofile: 2097152 } } };
    const late = environment(shop({ services: [high, db, worker] }), { targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop', nodePools: [{ ...POOL, nodeSysctls: 'daemonset' }] } } });
    expect(section(emit(late).get(PATH) ?? '', 'Host profiles')).toContain('install the sysctl.d file on the nodes too, or the runtime does not start after a reboot');
  });

  it('keeps namespaced sysctls and limits on Compose containers and node-level ones in the Docker host profile', () => {
    const markdown = emit(environment(shop({ services: [tunedApi(), db, worker] }))).get(PATH) ?? '';
    const containers = section(markdown, 'Docker Compose containers');
    const compose = 'docker compose -p shop-prod -f generated/shop-prod/compose/docker-compose.yml';
    expect(containers).toContain('| `net.core.somaxconn` | `65535` | Compose `sysctls:` | accept queue for bursts |');
    expect(containers).toContain('| `net.core.rmem_max` | `134217728` | node-level: host profile `docker-host` (below) | large receive buffers |');
    expect(containers).toContain('| ulimit `nofile` | `65536:65536` | Compose `ulimits:` | one descriptor per client |');
    expect(containers).toContain(`${compose} exec api cat /proc/sys/net/core/somaxconn`);
    expect(containers).toContain(`${compose} exec api cat /proc/1/limits`);
    const profiles = section(markdown, 'Host profiles');
    expect(profiles).toContain('### Profile docker-host');
    expect(profiles).toContain('| `net.core.rmem_max` | `134217728` | api | large receive buffers |');
    expect(profiles).toContain('On the Docker host:');
    expect(profiles).toContain('sysctl -n net.core.rmem_max');
    expect(profiles).not.toContain('net.core.somaxconn');
  });

  it('puts every need of a machine in its profile and the limits in the unit drop-in, with the LXC caveat', () => {
    const markdown = emit(environment(shop({ services: [tunedApi(), db, worker] }), { targets: TARGETS.hosts })).get(PATH) ?? '';
    expect(headings(markdown)).not.toContain('Kubernetes pods');
    expect(headings(markdown)).not.toContain('Docker Compose containers');
    const profiles = section(markdown, 'Host profiles');
    expect(profiles).toContain('| `net.core.somaxconn` | `65535` | api | accept queue for bursts |');
    expect(profiles).toContain('ssh edge-1 sysctl -n net.core.somaxconn');
    expect(profiles).toContain('[limits.d/90-api.conf](../host/limits.d/90-api.conf)');
    expect(profiles).toContain('If these machines are system containers (LXC on Proxmox VE), the node-level `net.core.rmem_max` cannot be set inside them');
    expect(profiles).not.toMatch(/node-level[^\n]*`net\.core\.somaxconn`/);
    const units = section(markdown, 'systemd units');
    expect(units).toContain('[systemd/api.service.d/90-kiln.conf](../host/systemd/api.service.d/90-kiln.conf)');
    expect(units).toMatch(/\| `nofile` \| 65536 \| 65536 \| `LimitNOFILE=65536:65536` \| one descriptor per client \|/);
    expect(units).toContain('ssh edge-1 systemctl show api.service -p Restart -p KillSignal -p TimeoutStopUSec -p LimitNOFILE');
    expect(units).toContain('`Restart=on-failure`');
    expect(units).toContain("ssh edge-1 'cat /proc/$(systemctl show -p MainPID --value api.service)/limits'");
  });

  it("moves node-level sysctls of system containers to their container host's profile, and says so", () => {
    const hosts = { hosts: { ...TARGETS.hosts.hosts, containerHosts: [{ name: 'pve' }], machines: TARGETS.hosts.hosts.machines.map((m) => ({ ...m, containerHost: 'pve' })) } };
    const markdown = emit(environment(shop({ services: [tunedApi(), db, worker] }), { targets: hosts })).get(PATH) ?? '';
    const profiles = section(markdown, 'Host profiles');
    expect(profiles).toContain('### Profile pve');
    expect(profiles).toContain('[sysctl.d/90-pve.conf](../host/sysctl.d/90-pve.conf)');
    expect(profiles).toMatch(/Container host `pve` runs `edge-1`[^\n]* as system containers \(LXC\)/);
    expect(profiles).toContain('ssh pve sysctl -n net.core.rmem_max');
    expect(profiles).toContain('These machines are system containers on `pve`: their services\' node-level sysctls are in its profile, `pve`, not here.');
    expect(profiles).not.toContain('If these machines are system containers');
    expect(profiles).not.toContain('ssh edge-1 sysctl -n net.core.rmem_max');
  });

  it('lists accepted gaps with their reasons', () => {
    const env = environment(shop({ services: [tunedApi(), db, worker] }), {
      targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, allowedUnsafeSysctls: ['net.core.somaxconn'] } },
      tuning: {
        accept: [
          { service: 'api', sysctl: 'net.core.rmem_max', reason: 'the managed nodes keep *their* defaults | for now' },
          { service: 'api', ulimit: 'nofile', reason: "the runtime's default is enough" },
        ],
      },
    });
    const markdown = emit(env).get(PATH) ?? '';
    expect(section(markdown, 'Kubernetes pods')).toContain('| `net.core.rmem_max` | `134217728` | not placed: an accepted gap (below) | large receive buffers |');
    expect(section(markdown, 'Kubernetes pods')).toContain('| ulimit `nofile` | `65536:65536` | not placed: an accepted gap (below) | one descriptor per client |');
    expect(section(markdown, 'Kubernetes pods')).toContain('no mechanism gives these limits here');
    expect(section(markdown, 'Accepted gaps')).toContain("| api | ulimit `nofile` | the runtime's default is enough |");
    expect(section(markdown, 'Accepted gaps')).toContain('| api | sysctl `net.core.rmem_max` | the managed nodes keep \\*their\\* defaults \\| for now |');
    expect(headings(markdown)).not.toContain('Host profiles');
  });

  it('escapes reasons with Markdown characters, keeping each table row whole', () => {
    const reason = 'bursts | of *10k* <b>clients</b> [see](x) `q` _x_\n# not a heading';
    const markdown = emit(environment(shop({ services: [tunedApi(reason), db, worker] }))).get(PATH) ?? '';
    const escaped = 'bursts \\| of \\*10k\\* \\<b>clients\\</b> \\[see\\](x) \\`q\\` \\_x\\_ # not a heading';
    expect(section(markdown, 'Docker Compose containers')).toContain(`| \`net.core.somaxconn\` | \`65535\` | Compose \`sysctls:\` | ${escaped} |`);
    expect(headings(markdown)).not.toContain('not a heading');
    const cells = tokensOf(markdownTokens(markdown), 'tableRow').map((row) => tokensOf([row], 'tableData').length + tokensOf([row], 'tableHeader').length);
    expect(new Set(cells)).toEqual(new Set([4]));
  });

  it('takes its file name from a procedure that would have it', () => {
    const result = runbooksEmitter.emit(environment(shop({ services: [tunedApi(), db, worker], procedures: [procedure({ name: 'host-tuning', see: [] })] })));
    expect(result.diagnostics).toMatchObject([{ code: RunbooksCode.RUNBOOK_NAME_TAKEN, path: 'procedures[host-tuning].name' }]);
  });
});
