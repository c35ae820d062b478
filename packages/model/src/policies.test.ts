import { describe, expect, it } from 'vitest';
import type { EnvironmentInput } from './environment.js';
import type { AlertInput } from './monitoring.js';
import { POLICIES } from './policies.js';
import { resolveEnvironment } from './resolve.js';
import type { ServiceInput } from './service.js';
import type { SystemInput } from './system.js';
import type { WaiverInput } from './waivers.js';

const DATE = '2026-06-01';
const sources = { environment: 'environments/shop.ts', system: () => 'environments/systems/shop.ts' };

/** A production service that meets every policy. */
const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'api',
  image: 'ghcr.io/acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080, appProtocol: 'http' }, { name: 'metrics', port: 9090 }],
  resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  probes: { liveness: { http: { path: '/live', port: 'http' } }, readiness: { http: { path: '/ready', port: 'http' } } },
  replicas: 2,
  security: { runAsUser: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
  metrics: { port: 'metrics', exports: [{ name: 'http_requests_total', type: 'counter', help: 'Requests' }] },
  ...over,
});

const alert = (expr: string): AlertInput => ({
  name: 'ApiDown',
  expr,
  severity: 'critical',
  summary: 'API down',
  description: 'Prometheus cannot reach the API.',
  runbook: { impact: 'Orders fail.', diagnosis: ['Look at the pods.'], mitigation: ['Roll back.'] },
  tests: [{ name: 'fires', series: { 'up{job="api",instance="a"}': '0x10' }, at: '5m', expect: [{ labels: { job: 'api', instance: 'a' } }] }],
});

const dashboard = (expr: string): NonNullable<SystemInput['dashboards']>[number] => ({ title: 'Shop', rows: [{ title: 'Traffic', panels: [{ title: 'Requests', description: 'Requests a second.', unit: 'reqps', queries: [{ expr }] }] }] });

const shop = (services: ServiceInput[] = [api()], over: Partial<SystemInput> = {}): SystemInput => ({
  name: 'shop',
  services,
  alerts: [alert('up{job="api"} == 0')],
  dashboards: [dashboard('sum(rate(http_requests_total[$__rate_interval]))')],
  ...over,
});

const KUBERNETES = { kubernetes: { cluster: 'prod', version: '1.31', secretStore: { name: 'vault' } } };

const input = (over: Partial<EnvironmentInput> = {}): EnvironmentInput => ({ name: 'shop', stage: 'production', systems: [shop()], targets: KUBERNETES, ...over });

/** The policy diagnostics (and any other) of an input on a date, as [code, severity, path]. */
function findings(env: EnvironmentInput, date = DATE): [string, string, string][] {
  return resolveEnvironment(env, sources, { date }).issues.map((issue) => [issue.code, issue.severity ?? 'error', issue.path.join('.')]);
}

const SERVICE = 'systems.0.services.0';

describe('stage policies', () => {
  it('pass a production environment that meets them', () => {
    expect(findings(input())).toEqual([]);
  });

  it('run only when a date is given', () => {
    const env = input({ images: { api: 'latest' } });
    expect(resolveEnvironment(env, sources).issues).toEqual([]);
    expect(findings(env)).toEqual([['IMAGE_TAG_REQUIRED', 'error', 'images.api']]);
  });

  it.each<[string, Partial<EnvironmentInput>, [string, string, string][]]>([
    ['pinned-images: the moving tag latest, from images', { images: { api: 'latest' } }, [['IMAGE_TAG_REQUIRED', 'error', 'images.api']]],
    ['pinned-images: no tag, in the system', { systems: [shop([api({ image: 'ghcr.io/acme/api' })])] }, [['IMAGE_TAG_REQUIRED', 'error', `${SERVICE}.image`]]],
    ['resources: no CPU limit', { systems: [shop([api({ resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } } })])] }, [['RESOURCES_MISSING', 'error', `${SERVICE}.resources`]]],
    ['resources: a zero memory request', { systems: [shop([api({ resources: { requests: { cpu: '250m', memory: '0' }, limits: { cpu: '500m', memory: '256Mi' } } })])] }, [['RESOURCES_MISSING', 'error', `${SERVICE}.resources`]]],
    ['probes: no liveness probe', { systems: [shop([api({ probes: { readiness: { http: { path: '/ready', port: 'http' } } } })])] }, [['PROBES_MISSING', 'error', `${SERVICE}.probes`]]],
    ['non-root: runAsNonRoot off', { systems: [shop([api({ security: { runAsNonRoot: false } })])] }, [['RUNS_AS_ROOT', 'error', `${SERVICE}.security`]]],
    ['non-root: Compose without a user', { targets: { compose: {} }, systems: [shop([api({ security: { runAsNonRoot: true } })])] }, [['RUNS_AS_ROOT', 'error', `${SERVICE}.security.runAsUser`]]],
    ['read-only-root: a writable root', { systems: [shop([api({ security: { runAsUser: 10001, readOnlyRootFilesystem: false } })])] }, [['WRITABLE_ROOT_FILESYSTEM', 'error', `${SERVICE}.security.readOnlyRootFilesystem`]]],
    ['no-privilege-escalation: allowed', { systems: [shop([api({ security: { runAsUser: 10001, allowPrivilegeEscalation: true } })])] }, [['PRIVILEGE_ESCALATION', 'error', `${SERVICE}.security.allowPrivilegeEscalation`]]],
    ['no-sensitive-host-mounts: secrets from /etc', { targets: { compose: { secretsDir: '/etc/shop' } } }, [['SENSITIVE_HOST_MOUNT', 'error', 'targets.compose.secretsDir']]],
    ['disruption-budget: every member may go', { systems: [shop([api({ replicas: undefined, stateful: { members: 3, maxUnavailable: 3 } })])] }, [['DISRUPTION_BUDGET_MISSING', 'error', `${SERVICE}.stateful.maxUnavailable`]]],
    ['disruption-budget: an autoscaler down to one', { systems: [shop([api({ replicas: undefined, autoscaling: { minReplicas: 1, maxReplicas: 4, cpuUtilization: 70 } })])] }, [['DISRUPTION_BUDGET_MISSING', 'error', `${SERVICE}.autoscaling.minReplicas`]]],
    ['public-tls: a public HTTP port in the clear', { systems: [shop([api({ ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }, { name: 'metrics', port: 9090 }] })])] }, [['PUBLIC_PORT_WITHOUT_TLS', 'error', `${SERVICE}.ports.0`]]],
    ['alert-and-dashboard: no dashboard', { systems: [shop([api()], { dashboards: [] })] }, [['SERVICE_UNMONITORED', 'error', SERVICE]]],
    ['system-namespace: kube-system', { targets: { kubernetes: { ...KUBERNETES.kubernetes, namespace: 'kube-system' } } }, [['SYSTEM_NAMESPACE', 'error', 'targets.kubernetes.namespace']]],
    ['system-namespace: default', { targets: { kubernetes: { ...KUBERNETES.kubernetes, namespace: 'default' } } }, [['SYSTEM_NAMESPACE', 'error', 'targets.kubernetes.namespace']]],
  ])('%s', (_, over, expected) => {
    expect(findings(input(over))).toEqual(expected);
  });

  it.each<[string, Partial<EnvironmentInput>]>([
    ['pinned-images: a digest', { images: { api: `ghcr.io/acme/api@sha256:${'a'.repeat(64)}` } }],
    ['probes: none asked of a hosts target, which has no probes', { targets: { hosts: { machines: [{ name: 'm', address: '10.0.0.1', services: ['api'] }] } }, systems: [shop([api({ probes: {}, replicas: undefined })])] }],
    ['probes: no readiness asked of a service without a TCP port', { systems: [shop([api({ ports: [], metrics: undefined, probes: { liveness: { exec: { command: ['true'] } } } })], { dashboards: [dashboard('up{job="api"}')] })] }],
    ['non-root: Compose with a user', { targets: { compose: {} } }],
    ['no-sensitive-host-mounts: a secrets directory of its own', { targets: { compose: { secretsDir: '/srv/shop/secrets' } } }],
    ['disruption-budget: one replica needs none', { systems: [shop([api({ replicas: 1 })])] }],
    ['disruption-budget: not on Compose', { targets: { compose: {} }, systems: [shop([api({ replicas: undefined, stateful: { members: 3, maxUnavailable: 3 } })])] }],
    ['public-tls: a public port that serves TLS', { targets: { kubernetes: { ...KUBERNETES.kubernetes, tls: { issuer: { name: 'ca' } } } }, systems: [shop([api({ ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public', tls: true }, { name: 'metrics', port: 9090 }], tls: { certificate: '/certs/tls.crt', key: '/certs/tls.key' } })])] }],
    ['public-tls: a public port routed through the Gateway', { targets: { kubernetes: { ...KUBERNETES.kubernetes, gateway: { name: 'public', namespace: 'gateway' } } }, systems: [shop([api({ ports: [{ name: 'http', port: 8080, appProtocol: 'http', expose: 'public' }, { name: 'metrics', port: 9090 }] })])], overrides: { api: { hostnames: { http: ['api.example.org'] } } } }],
    ['public-tls: a public port that does not speak HTTP', { systems: [shop([api({ ports: [{ name: 'http', port: 8080, appProtocol: 'http' }, { name: 'metrics', port: 9090 }, { name: 'p2p', port: 30303, expose: 'public' }] })])] }],
    ['alert-and-dashboard: an SLO alert and a panel on its metrics', { systems: [shop([api({ metrics: { port: 'metrics', exports: [{ name: 'http_requests_total', type: 'counter', help: 'Requests', labels: [{ name: 'code', values: ['200', '500'] }] }] } })], { alerts: [], slos: [{ name: 'api-availability', service: 'api', description: 'Requests succeed', objective: 99.9, sli: { errors: 'http_requests_total{code="500"}', total: 'http_requests_total' } }] })] }],
  ])('%s passes', (_, over) => {
    expect(findings(input(over))).toEqual([]);
  });

  it('relax in staging and development', () => {
    const bare = shop([api({ image: 'ghcr.io/acme/api', resources: undefined, probes: {} })], { alerts: [], dashboards: [] });
    expect(findings(input({ stage: 'staging', systems: [bare] }))).toEqual([
      ['IMAGE_TAG_REQUIRED', 'error', `${SERVICE}.image`],
      ['RESOURCES_MISSING', 'warning', `${SERVICE}.resources`],
      ['PROBES_MISSING', 'warning', `${SERVICE}.probes`],
      ['SERVICE_UNMONITORED', 'warning', SERVICE],
    ]);
    expect(findings(input({ stage: 'development', systems: [bare] }))).toEqual([]);
    // Root inside a container is staging's concern; a privileged one reaches the node, and development hears of it.
    const root = shop([api({ security: { runAsNonRoot: false, allowPrivilegeEscalation: true } })]);
    expect(findings(input({ stage: 'staging', systems: [root] }))).toEqual([
      ['RUNS_AS_ROOT', 'error', `${SERVICE}.security`],
      ['PRIVILEGE_ESCALATION', 'error', `${SERVICE}.security.allowPrivilegeEscalation`],
    ]);
    expect(findings(input({ stage: 'development', systems: [root] }))).toEqual([['PRIVILEGE_ESCALATION', 'warning', `${SERVICE}.security.allowPrivilegeEscalation`]]);
  });

  it('name what Kiln runs itself: a node-tuning DaemonSet is root, privileged and, for net.* keys, in the host network', () => {
    const tuned = (sysctl: string, nodeSysctls: 'daemonset' | 'sysctl.d'): EnvironmentInput =>
      input({
        systems: [shop([api({ tuning: { sysctls: { [sysctl]: { value: 5000, reason: 'bursts' } } } })])],
        targets: { kubernetes: { ...KUBERNETES.kubernetes, nodePools: [{ name: 'tuned', nodeSelector: { pool: 'tuned' }, nodeSysctls }] } },
        overrides: { api: { nodePool: 'tuned' } },
      });
    const pool = 'targets.kubernetes.nodePools.0.nodeSysctls';
    expect(findings(tuned('net.core.netdev_max_backlog', 'daemonset'))).toEqual([
      ['RUNS_AS_ROOT', 'error', pool],
      ['PRIVILEGE_ESCALATION', 'error', pool],
      ['HOST_NAMESPACE', 'error', pool],
    ]);
    expect(findings(tuned('vm.max_map_count', 'daemonset')).map(([code]) => code)).toEqual(['RUNS_AS_ROOT', 'PRIVILEGE_ESCALATION']);
    expect(findings(tuned('net.core.netdev_max_backlog', 'sysctl.d'))).toEqual([]);
    // An object waiver covers the DaemonSet, for one policy at a time.
    const waived: EnvironmentInput = { ...tuned('net.core.netdev_max_backlog', 'daemonset'), waivers: [{ policy: 'no-host-namespaces', object: 'DaemonSet/node-sysctls-tuned', reason: 'node-level net.* keys', expires: '2027-01-31' }] };
    expect(findings(waived).map(([code]) => code)).toEqual(['RUNS_AS_ROOT', 'PRIVILEGE_ESCALATION']);
  });

  it('network-policy: every workload lands in a namespace Kiln denies by default', () => {
    const env = resolveEnvironment(
      input({
        systems: [shop([api({ tuning: { sysctls: { 'vm.max_map_count': { value: 262144, reason: 'mmap' } } } })])],
        targets: { kubernetes: { ...KUBERNETES.kubernetes, nodePools: [{ name: 'tuned', nodeSelector: { pool: 'tuned' }, nodeSysctls: 'daemonset' }] } },
      }),
      sources,
    ).environment;
    if (!env) throw new Error('fixture does not resolve');
    const check = POLICIES.find((p) => p.id === 'network-policy')?.check ?? (() => []);
    expect(check(env)).toEqual([]);
    // The model cannot put a workload elsewhere; the check still holds it to that.
    const elsewhere = { ...env, tuning: { ...env.tuning, daemonSets: env.tuning.daemonSets.map((d) => ({ ...d, namespace: 'kube-system' })) } };
    expect(check(elsewhere).map((finding) => finding.object)).toEqual(['DaemonSet/node-sysctls-tuned']);
  });
});

describe('waivers', () => {
  const latest = (waiver: Partial<WaiverInput>): EnvironmentInput => ({ ...input({ images: { api: 'latest' } }), waivers: [{ policy: 'pinned-images', reason: 'the vendor publishes no tags', expires: '2026-12-31', ...waiver }] });

  it('cover a finding until their date, by service or for the whole environment', () => {
    expect(findings(latest({ service: 'api' }))).toEqual([]);
    expect(findings(latest({}))).toEqual([]);
    expect(findings(latest({ service: 'api' }), '2026-12-31')).toEqual([]);
  });

  it('are an error the day after they expire, in place of what they cover', () => {
    const issues = resolveEnvironment(latest({ service: 'api' }), sources, { date: '2027-01-01' }).issues;
    expect(issues.map((i) => [i.code, i.severity ?? 'error', i.path.join('.')])).toEqual([['WAIVER_EXPIRED', 'error', 'waivers.0.expires']]);
    expect(issues[0]?.message).toContain("the waiver of pinned-images for service 'api' expired on 2026-12-31 (the date is 2027-01-01); it covers: image 'ghcr.io/acme/api:latest'");
    expect(issues[0]?.hint).toContain('renew it');
  });

  it('that cover nothing are a warning', () => {
    expect(findings({ ...input(), waivers: [{ policy: 'pinned-images', service: 'api', reason: 'old', expires: '2026-12-31' }] })).toEqual([['WAIVER_STALE', 'warning', 'waivers.0']]);
    const resources: EnvironmentInput = { ...input({ stage: 'development' }), waivers: [{ policy: 'resources', reason: 'x', expires: '2026-12-31' }] };
    expect(resolveEnvironment(resources, sources, { date: DATE }).issues[0]?.message).toContain('policy resources does not apply in development');
  });

  it('a finding names the policy and how to waive it', () => {
    const [issue] = resolveEnvironment(input({ images: { api: 'latest' } }), sources, { date: DATE }).issues;
    expect(issue?.message).toContain('(policy pinned-images, required in production: environment shop)');
    expect(issue?.hint).toContain("or waive it in environments/shop.ts: waivers: [{ policy: 'pinned-images', service: 'api', reason: '…', expires: 'YYYY-MM-DD' }]");
  });

  it('are checked: a known policy, a calendar date, a reason, one scope', () => {
    const waived = (waiver: Record<string, string>) => findings({ ...input(), waivers: [{ policy: 'pinned-images', reason: 'r', expires: '2026-12-31', ...waiver } as never] });
    expect(waived({ policy: 'pinned-image' })).toEqual([['UNKNOWN_POLICY', 'error', 'waivers.0.policy']]);
    const [unknown] = resolveEnvironment({ ...input(), waivers: [{ policy: 'pinned-image', reason: 'r', expires: '2026-12-31' }] }, sources, { date: DATE }).issues;
    expect(unknown?.hint).toMatch(/^did you mean 'pinned-images'\?/);
    expect(waived({ expires: '2027-02-30' })).toEqual([['INVALID_VALUE', 'error', 'waivers.0.expires']]);
    expect(waived({ expires: '31/12/2026' })).toEqual([['INVALID_VALUE', 'error', 'waivers.0.expires']]);
    expect(waived({ reason: '  ' }).map(([code, , path]) => [code, path])).toEqual([['INVALID_VALUE', 'waivers.0.reason']]);
    expect(waived({ service: 'api', object: 'DaemonSet/x' })).toEqual([['INVALID_VALUE', 'error', 'waivers.0']]);
  });

  it('the date must be one', () => {
    expect(() => findings(input(), '2026-6-1')).toThrow(/no YYYY-MM-DD date/);
  });
});
