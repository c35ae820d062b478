/**
 * The synthetic workload: E environments × S services. For Kiln, a repository of TypeScript files
 * written through the public authoring API (`defineSystem`, `defineEnvironment`): one system file
 * holding every service, one file per environment. For cdk8s and the floor, the same Kubernetes
 * objects as plain data: per service a Deployment, Service, HPA, PDB and a ConfigMap of 20 keys.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `kubernetes`: the workload, Kubernetes target only. `full`: every output kind Kiln has, per service. */
export type Mode = 'kubernetes' | 'full';

export interface Size {
  readonly environments: number;
  readonly services: number;
}

export const CONFIG_KEYS = 20;

export const environmentName = (e: number): string => `env-${String(e).padStart(3, '0')}`;
export const serviceName = (s: number): string => `svc-${String(s).padStart(3, '0')}`;

/** The value the one-environment edit changes (in the first environment's overrides). */
const EDITED = { before: '"LOG_LEVEL": "info"', after: '"LOG_LEVEL": "debug"' };

function configFiles(s: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: CONFIG_KEYS }, (_, k) => [`key-${String(k).padStart(2, '0')}`, `value-${k}-of-${serviceName(s)}`]));
}

/** What both modes give a service: a Deployment, Service, HPA (and so a PDB) and a ConfigMap. */
function service(s: number) {
  return {
    name: serviceName(s),
    image: `ghcr.io/acme/${serviceName(s)}:1.${s % 10}.0`,
    ports: [{ name: 'http', port: 8080 }],
    env: { LOG_LEVEL: 'info' },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    probes: { readiness: { http: { path: '/ready', port: 'http' } } },
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
    config: { mountPath: '/etc/app', files: configFiles(s) },
  };
}

/** Per service, everything else Kiln makes: metrics, an alert with its runbook and test, tuning. */
function fullService(s: number) {
  const base = service(s);
  return {
    ...base,
    ports: [...base.ports, { name: 'metrics', port: 9100 }],
    metrics: {
      port: 'metrics',
      exports: [{ name: 'http_requests_total', type: 'counter', help: 'HTTP requests by status', labels: [{ name: 'code', values: ['200', '500'] }] }],
    },
    tuning: {
      // A namespaced one (on the pod) and a node-level one (in the nodes' host profile).
      sysctls: {
        'net.ipv4.tcp_keepalive_time': { value: 600, reason: 'drop dead client connections within ten minutes' },
        'net.core.netdev_max_backlog': { value: 5000, reason: 'packets queued per CPU under bursts' },
      },
      ulimits: { nofile: { soft: 65536, hard: 65536, reason: 'one descriptor per client connection' } },
    },
  };
}

function alert(s: number) {
  const job = serviceName(s);
  return {
    name: `HighErrorRate${String(s).padStart(3, '0')}`,
    expr: `sum by (job) (rate(http_requests_total{job="${job}",code="500"}[5m])) / sum by (job) (rate(http_requests_total{job="${job}"}[5m])) > 0.05`,
    for: '2m',
    severity: 'critical',
    summary: `Errors on ${job}`,
    description: `{{ $value | humanizePercentage }} of requests to ${job} fail.`,
    runbook: { impact: 'Clients get errors.', diagnosis: ['Read the logs.'], mitigation: ['Roll back the last release.'] },
    tests: [
      {
        name: 'one-in-ten-fail',
        series: { [`http_requests_total{job="${job}",instance="a",code="200"}`]: '0+90x15', [`http_requests_total{job="${job}",instance="a",code="500"}`]: '0+10x15' },
        at: '10m',
        expect: [{ labels: { job }, value: 0.1 }],
      },
    ],
  };
}

/** One dashboard panel per service, ten to a row. */
function dashboard(services: number) {
  const rows = Array.from({ length: Math.ceil(services / 10) }, (_, r) => ({
    title: `Services ${r * 10} to ${Math.min(services, r * 10 + 10) - 1}`,
    panels: Array.from({ length: Math.min(10, services - r * 10) }, (_, p) => ({
      title: `${serviceName(r * 10 + p)} requests`,
      description: 'Requests per second by status; a rise in 500s is an outage.',
      unit: 'reqps',
      queries: [{ expr: 'sum by (code) (rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))', legend: '{{code}}' }],
    })),
  }));
  return { uid: 'bench-services', title: 'Bench services', rows };
}

function system(mode: Mode, services: number) {
  const indices = Array.from({ length: services }, (_, s) => s);
  if (mode === 'kubernetes') return { name: 'bench', services: indices.map(service) };
  return {
    name: 'bench',
    services: indices.map(fullService),
    // A chain: each service calls the next on its http port.
    flows: indices.slice(1).map((s) => ({ from: serviceName(s - 1), to: serviceName(s), port: 'http' })),
    alerts: indices.map(alert),
    dashboards: [dashboard(services)],
  };
}

function environment(mode: Mode, e: number, services: number) {
  const kubernetes = { cluster: 'bench', version: '1.31', secretStore: { name: 'vault' } };
  const common = { name: environmentName(e), stage: 'development', overrides: { [serviceName(0)]: { env: { LOG_LEVEL: 'info' } } } };
  if (mode === 'kubernetes') return { ...common, targets: { kubernetes } };
  return {
    ...common,
    targets: {
      // One node pool: its host profile carries the node-level sysctl and the runtime's nofile default.
      kubernetes: { ...kubernetes, nodePools: [{ name: 'bench-nodes', nodeSelector: { 'example.org/pool': 'bench' }, kernel: '6.1', ulimits: 'runtime' }] },
      compose: {},
      // Every service also as systemd units on one machine: sysctl.d, limits.d and unit drop-ins.
      hosts: { machines: [{ name: 'host-1', address: '10.0.0.1', services: Array.from({ length: services }, (_, s) => serviceName(s)) }] },
    },
    delivery: { repository: 'https://git.example.org/platform/deploy.git', revision: 'main' },
    monitoring: {
      grafana: { url: 'https://grafana.example.org', version: '11.6' },
      runbookBaseUrl: 'https://git.example.org/platform/deploy/blob/main/generated',
      alerting: { receivers: [{ name: 'oncall', webhook: { url: 'https://ops.example.org/hooks/bench' } }], routes: { critical: 'oncall', warning: 'oncall', info: 'oncall' } },
    },
  };
}

/**
 * Writes a repository the `kiln` CLI compiles: package.json, environments/ and node_modules (a link
 * to the workspace's, so `@kiln/model` resolves as in a user's repository).
 */
export function writeRepository(dir: string, mode: Mode, size: Size, nodeModules: string): void {
  mkdirSync(join(dir, 'environments', 'systems'), { recursive: true });
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'kiln-bench-repository', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  // JSON is TypeScript: the objects are built here and written as the literals a person would type.
  writeFileSync(
    join(dir, 'environments', 'systems', 'bench.ts'),
    `import { defineSystem } from '@kiln/model';\n\nexport const bench = defineSystem(${JSON.stringify(system(mode, size.services), null, 2)});\n`,
  );
  for (let e = 0; e < size.environments; e++) {
    writeFileSync(
      join(dir, 'environments', `${environmentName(e)}.ts`),
      `import { defineEnvironment } from '@kiln/model';\nimport { bench } from './systems/bench';\n\nexport default defineEnvironment({\n  systems: [bench],\n  ...${JSON.stringify(environment(mode, e, size.services), null, 2)},\n});\n`,
    );
  }
}

/** Changes one value on one line of the first environment's file; returns the undo. */
export function editOneEnvironment(dir: string): () => void {
  const file = join(dir, 'environments', `${environmentName(0)}.ts`);
  const text = readFileSync(file, 'utf8');
  if (text.split(EDITED.before).length !== 2) throw new Error(`${file} should hold ${EDITED.before} once`);
  writeFileSync(file, text.replace(EDITED.before, EDITED.after));
  return () => writeFileSync(file, text);
}

/** A Kubernetes object as plain data (what cdk8s's ApiObject and the floor take). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly [field: string]: unknown;
}

/** The five objects of one service in one environment, shaped like Kiln's. */
export function kubernetesObjects(e: number, s: number): KubernetesObject[] {
  const name = serviceName(s);
  const namespace = environmentName(e);
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': namespace };
  const spec = service(s);
  const labels = { ...selector, 'app.kubernetes.io/component': name, 'app.kubernetes.io/part-of': 'bench', 'app.kubernetes.io/version': spec.image.split(':')[1] ?? '', 'app.kubernetes.io/managed-by': 'bench' };
  const metadata = (objectName: string) => ({ name: objectName, namespace, labels });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(name),
      spec: {
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name,
                image: spec.image,
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                env: [{ name: 'LOG_LEVEL', value: 'info' }],
                resources: spec.resources,
                readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: metadata(name), spec: { selector, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: metadata(name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: metadata(name), spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(`${name}-config`), data: configFiles(s) },
  ];
}

/** Each Kubernetes object of the workload with its environment, in order. */
export function* allKubernetesObjects(size: Size): Generator<{ environment: string; object: KubernetesObject }> {
  for (let e = 0; e < size.environments; e++) for (let s = 0; s < size.services; s++) for (const object of kubernetesObjects(e, s)) yield { environment: environmentName(e), object };
}

/** The arguments of cdk8s.js and floor.js: `E S OUTDIR`. */
export function scriptArguments(): { size: Size; out: string } {
  const [environments, services, out] = process.argv.slice(2);
  if (out === undefined) throw new Error('usage: node SCRIPT ENVIRONMENTS SERVICES OUTDIR');
  return { size: { environments: Number(environments), services: Number(services) }, out };
}
