/**
 * Stage policies: what production requires of the resolved model, and staging and development in
 * part, as kube-linter and Polaris check manifests and Pod Security checks pods. Each policy has a
 * stable id (what a waiver names) and its own diagnostic code (what tools and tests match on); its
 * findings are diagnostics at the severity its stage gives it, unless a waiver covers them.
 */
import { ModelCode } from './codes.js';
import { monitoringCoverage } from './coverage.js';
import type { Severity } from './diagnostic.js';
import type { Stage } from './environment.js';
import { isPinned, parseImage } from './image.js';
import type { Environment, Port, Service } from './model.js';
import { baseReplicas, disruptionBudget, maxReplicas, servicesOf } from './model.js';
import { compareQuantities, parseQuantity } from './quantity.js';
import { isRouted } from './tls.js';
import { nodeTuningNamespace } from './tuning/node-pools.js';

export const POLICY_IDS = [
  'pinned-images',
  'resources',
  'probes',
  'non-root',
  'read-only-root',
  'no-privilege-escalation',
  'no-host-namespaces',
  'no-sensitive-host-mounts',
  'disruption-budget',
  'network-policy',
  'public-tls',
  'alert-and-dashboard',
  'system-namespace',
] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

type Path = readonly (string | number)[];

/** Where a finding is fixed: inside the service's definition (`service`), or in the environment file. */
export type Where = { readonly service: string; readonly path: Path } | { readonly path: Path };

export interface PolicyFinding {
  /** The service it is about: a waiver scoped to the service covers it. */
  readonly service?: string;
  /** What Kiln itself runs that it is about, as `Kind/name` (`DaemonSet/node-sysctls-tuned`). */
  readonly object?: string;
  readonly at: Where;
  readonly message: string;
  readonly fix: string;
}

export interface Policy {
  readonly id: PolicyId;
  readonly code: ModelCode;
  /** One line: what it requires, and where the model cannot say otherwise, what it checks instead. */
  readonly description: string;
  /** Its severity in each stage; a stage it does not name, it does not apply in. */
  readonly stages: Readonly<Partial<Record<Stage, Severity>>>;
  readonly check: (environment: Environment) => PolicyFinding[];
}

/** What staging rehearses for production holds there too: pinned images, the containers' security, the network. */
const STRICT = { production: 'error', staging: 'error' } as const;
/** What reaches past the container into the node or the cluster: development is told too. */
const HOST_SAFETY = { production: 'error', staging: 'error', development: 'warning' } as const;
/** Availability and operations: staging is told, development is left alone. */
const OPERATIONS = { production: 'error', staging: 'warning' } as const;

/** Host paths a container must never see (kube-linter `sensitive-host-mounts`, Polaris `hostPathSet`). */
const SENSITIVE_HOST_PATHS = ['/', '/boot', '/dev', '/etc', '/proc', '/root', '/run', '/sys', '/var/lib/containerd', '/var/lib/docker', '/var/lib/kubelet', '/var/run'];

/** Namespaces Kubernetes keeps for itself: `default`, and the `kube-` prefix it reserves. */
function isSystemNamespace(namespace: string): boolean {
  return namespace === 'default' || namespace.startsWith('kube-');
}

const service = (s: Service, path: Path, message: string, fix: string): PolicyFinding => ({ service: s.name, at: { service: s.name, path }, message, fix });

/** The node-tuning DaemonSets, with the input path of the pool that asks for each. */
function nodeTuning(environment: Environment): { object: string; hostNetwork: boolean; at: Where; name: string }[] {
  const pools = environment.targets.kubernetes?.nodePools ?? [];
  return environment.tuning.daemonSets.map((daemonSet) => ({
    object: `DaemonSet/${daemonSet.name}`,
    name: daemonSet.name,
    hostNetwork: daemonSet.hostNetwork,
    at: { path: ['targets', 'kubernetes', 'nodePools', pools.findIndex((pool) => pool.name === daemonSet.pool), 'nodeSysctls'] },
  }));
}

const NODE_TUNING_FIX = "set the pool's nodeSysctls to 'sysctl.d' and install the host profile's sysctl.d file on its nodes yourself";

/** A port that speaks HTTP: declared so (`appProtocol`), probed with HTTP, or serving metrics. */
function isHttp(s: Service, port: Port): boolean {
  return port.appProtocol !== undefined || s.metrics?.port.name === port.name || Object.values(s.probes).some((probe) => probe?.action.kind === 'http' && probe.action.port === port.port);
}

const ZERO = parseQuantity('0');

export const POLICIES: readonly Policy[] = [
  {
    id: 'pinned-images',
    code: ModelCode.IMAGE_TAG_REQUIRED,
    description: 'every image is a version tag or a digest, never `latest` or no tag: one manifest always runs the same bits',
    stages: STRICT,
    check: (environment) =>
      servicesOf(environment).flatMap((s) => {
        const image = parseImage(s.image);
        if (!image || isPinned(image)) return [];
        return [service(s, ['image'], `image '${s.image}' has ${image.tag === 'latest' ? "the moving tag 'latest'" : 'no tag'}; a ${environment.stage} environment runs a fixed version`, `pin a version, e.g. '${image.repository}:1.2.3', or give the environment one under images: { '${s.name}': '1.2.3' }`)];
      }),
  },
  {
    id: 'resources',
    code: ModelCode.RESOURCES_MISSING,
    description: 'every service requests and limits CPU and memory, none of them zero: the scheduler places it, the kernel caps it',
    stages: OPERATIONS,
    check: (environment) =>
      servicesOf(environment).flatMap((s) => {
        const missing = (['requests', 'limits'] as const).flatMap((kind) =>
          (['cpu', 'memory'] as const).flatMap((resource) => {
            const value = s.resources[kind][resource];
            const quantity = value === undefined ? undefined : parseQuantity(value);
            return quantity === undefined || (ZERO !== undefined && compareQuantities(quantity, ZERO) <= 0) ? [`${kind}.${resource}`] : [];
          }),
        );
        if (missing.length === 0) return [];
        return [service(s, ['resources'], `service '${s.name}' has no ${missing.join(', ')} (or a zero one)`, `set resources: { requests: { cpu, memory }, limits: { cpu, memory } }, in the system or under overrides.${s.name}.resources`)];
      }),
  },
  {
    id: 'probes',
    code: ModelCode.PROBES_MISSING,
    description: 'on Kubernetes and Compose, every service has a liveness probe, and a readiness probe when it has a TCP port, each on a port it declares (hosts: systemd has no probes)',
    stages: OPERATIONS,
    check: (environment) => {
      if (!environment.targets.kubernetes && !environment.targets.compose) return [];
      return servicesOf(environment).flatMap((s) => {
        const serves = s.ports.some((port) => port.protocol === 'TCP');
        const missing = [...(s.probes.liveness ? [] : ['liveness']), ...(s.probes.readiness || !serves ? [] : ['readiness'])];
        const undeclared = (['liveness', 'readiness', 'startup'] as const).filter((kind) => {
          const action = s.probes[kind]?.action;
          return action !== undefined && action.kind !== 'exec' && !s.ports.some((port) => port.port === action.port && port.protocol === 'TCP');
        });
        return [
          ...(missing.length === 0 ? [] : [service(s, ['probes'], `service '${s.name}' has no ${missing.join(' or ')} probe: ${missing.includes('liveness') ? 'a hung process is never restarted' : 'traffic reaches replicas that cannot serve it'}`, `add probes: { ${missing.map((kind) => `${kind}: { http: { path: '/health', port: '…' } }`).join(', ')} } (or tcp, or exec)`)]),
          ...undeclared.map((kind) => service(s, ['probes', kind], `the ${kind} probe of service '${s.name}' checks a port it does not declare`, 'declare the port under ports, or probe one that is declared')),
        ];
      });
    },
  },
  {
    id: 'non-root',
    code: ModelCode.RUNS_AS_ROOT,
    description: 'containers run as a user other than root; on Compose, which cannot check runAsNonRoot, with a declared runAsUser; node-tuning DaemonSets run as root',
    stages: STRICT,
    check: (environment) => [
      ...servicesOf(environment).flatMap((s) => {
        if (!s.security.runAsNonRoot || s.security.runAsUser === 0) {
          return [service(s, ['security'], `service '${s.name}' may run as root`, 'remove runAsNonRoot: false and runAsUser: 0, and run the process as an unprivileged user, e.g. security: { runAsUser: 10001 }')];
        }
        if (environment.targets.compose && s.security.runAsUser === undefined) {
          return [service(s, ['security', 'runAsUser'], `service '${s.name}' runs on Compose as its image's user, which may be root: Compose has no runAsNonRoot to check it`, "set security.runAsUser (and runAsGroup) to the image's unprivileged user, e.g. 10001")];
        }
        return [];
      }),
      ...nodeTuning(environment).map((d) => ({ object: d.object, at: d.at, message: `DaemonSet ${d.name} writes node-level sysctls from an init container running as root`, fix: NODE_TUNING_FIX })),
    ],
  },
  {
    id: 'read-only-root',
    code: ModelCode.WRITABLE_ROOT_FILESYSTEM,
    description: 'containers have a read-only root filesystem; what they write goes to volumes and scratch directories',
    stages: STRICT,
    check: (environment) =>
      servicesOf(environment).flatMap((s) =>
        s.security.readOnlyRootFilesystem ? [] : [service(s, ['security', 'readOnlyRootFilesystem'], `service '${s.name}' can write to its root filesystem`, 'remove readOnlyRootFilesystem: false, and give each directory it writes a volume or a scratch directory')],
      ),
  },
  {
    id: 'no-privilege-escalation',
    code: ModelCode.PRIVILEGE_ESCALATION,
    description: 'no process gains more privileges than it started with (no setuid, no privileged container): node-tuning DaemonSets are privileged',
    stages: HOST_SAFETY,
    check: (environment) => [
      ...servicesOf(environment).flatMap((s) =>
        s.security.allowPrivilegeEscalation ? [service(s, ['security', 'allowPrivilegeEscalation'], `service '${s.name}' allows privilege escalation`, 'remove allowPrivilegeEscalation: true')] : [],
      ),
      ...nodeTuning(environment).map((d) => ({ object: d.object, at: d.at, message: `DaemonSet ${d.name} runs a privileged container, which holds every capability of the node`, fix: NODE_TUNING_FIX })),
    ],
  },
  {
    id: 'no-host-namespaces',
    code: ModelCode.HOST_NAMESPACE,
    description: "no pod shares the node's network, PID or IPC namespace: services have no field for it, so this checks what Kiln runs itself, a node-tuning DaemonSet that writes net.* keys in the node's network",
    stages: HOST_SAFETY,
    check: (environment) =>
      nodeTuning(environment)
        .filter((d) => d.hostNetwork)
        .map((d) => ({ object: d.object, at: d.at, message: `DaemonSet ${d.name} runs in the node's network namespace (hostNetwork), where node-level net.* keys live`, fix: NODE_TUNING_FIX })),
  },
  {
    id: 'no-sensitive-host-mounts',
    code: ModelCode.SENSITIVE_HOST_MOUNT,
    description: 'no container mounts docker.sock or a system directory of its host: services have no hostPath, so this checks the one host directory Kiln mounts, the Compose secrets directory',
    stages: HOST_SAFETY,
    check: (environment) => {
      const dir = environment.targets.compose?.secretsDir;
      if (dir === undefined || !dir.startsWith('/')) return [];
      const normal = dir.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      const hit = normal.includes('docker.sock') || SENSITIVE_HOST_PATHS.some((path) => normal === path || (path !== '/' && normal.startsWith(`${path}/`)));
      if (!hit) return [];
      return [{ at: { path: ['targets', 'compose', 'secretsDir'] }, message: `Compose mounts secrets from ${dir}, a system directory of the host, into the containers`, fix: "keep the secrets in a directory of their own, e.g. './secrets' beside the Compose file" }];
    },
  },
  {
    id: 'disruption-budget',
    code: ModelCode.DISRUPTION_BUDGET_MISSING,
    description: 'on Kubernetes, every workload that can run more than one replica has a PodDisruptionBudget that keeps at least one up through a drain',
    stages: OPERATIONS,
    check: (environment) => {
      if (!environment.targets.kubernetes) return [];
      return servicesOf(environment).flatMap((s) => {
        if (maxReplicas(s) <= 1) return [];
        const budget = disruptionBudget(s);
        const fewest = baseReplicas(s);
        if (budget && budget.maxUnavailable < fewest) return [];
        const path = s.stateful ? ['stateful', 'maxUnavailable'] : s.scaling.kind === 'autoscaled' ? ['autoscaling', 'minReplicas'] : ['replicas'];
        const message = budget
          ? `the PodDisruptionBudget of service '${s.name}' lets a drain take every one of its ${fewest} replica${fewest === 1 ? '' : 's'} down at once (maxUnavailable ${budget.maxUnavailable})`
          : `service '${s.name}' runs up to ${maxReplicas(s)} replicas without a PodDisruptionBudget`;
        return [service(s, path, message, s.stateful ? `lower stateful.maxUnavailable below ${fewest}` : `run at least ${budget ? budget.maxUnavailable + 1 : 2} replicas`)];
      });
    },
  },
  {
    id: 'network-policy',
    code: ModelCode.NETWORK_POLICY_MISSING,
    description: "on Kubernetes, a NetworkPolicy denies by default in every namespace: Kiln writes one into each namespace it creates, so this checks that every workload lands in one of those",
    stages: STRICT,
    check: (environment) => {
      const target = environment.targets.kubernetes;
      if (!target) return [];
      const policed = new Set([target.namespace, nodeTuningNamespace(target)]);
      return environment.tuning.daemonSets
        .filter((daemonSet) => !policed.has(daemonSet.namespace))
        .map((daemonSet) => ({ object: `DaemonSet/${daemonSet.name}`, at: { path: ['targets', 'kubernetes', 'namespace'] }, message: `DaemonSet ${daemonSet.name} runs in namespace ${daemonSet.namespace}, where Kiln writes no NetworkPolicy`, fix: 'this is a bug in Kiln; please report it' }));
    },
  },
  {
    id: 'public-tls',
    code: ModelCode.PUBLIC_PORT_WITHOUT_TLS,
    description: 'every public HTTP endpoint (appProtocol, an HTTP probe, or metrics) is encrypted: the port serves TLS, or a Gateway route terminates it',
    stages: OPERATIONS,
    check: (environment) =>
      servicesOf(environment).flatMap((s) =>
        s.ports.flatMap((port, p) =>
          port.expose === 'public' && port.protocol === 'TCP' && isHttp(s, port) && !port.tls && !isRouted(port)
            ? [service(s, ['ports', p], `public port '${port.name}' of service '${s.name}' serves HTTP without TLS`, `serve TLS on it (ports: [{ name: '${port.name}', …, tls: true }] and the service's tls files), or route it through the Gateway (overrides.${s.name}.hostnames)`)]
            : [],
        ),
      ),
  },
  {
    id: 'alert-and-dashboard',
    code: ModelCode.SERVICE_UNMONITORED,
    description: 'every service has at least one alert and one dashboard that watch it: they read its metrics or name it in a matcher (job="…"), or are its SLO\'s',
    stages: OPERATIONS,
    check: (environment) => {
      const coverage = monitoringCoverage(environment);
      return servicesOf(environment).flatMap((s) => {
        const count = coverage.get(s.name) ?? { alerts: 0, dashboards: 0 };
        const missing = [...(count.alerts === 0 ? ['alert'] : []), ...(count.dashboards === 0 ? ['dashboard'] : [])];
        if (missing.length === 0) return [];
        return [service(s, [], `no ${missing.join(' and no ')} watches service '${s.name}'`, `add to its system ${missing.map((what) => `${what === 'alert' ? 'an alert' : 'a dashboard panel'} on its metrics or on up{job="${s.name}"}`).join(', and ')}`)];
      });
    },
  },
  {
    id: 'system-namespace',
    code: ModelCode.SYSTEM_NAMESPACE,
    description: 'no environment runs in a namespace Kubernetes keeps for itself: `default`, `kube-system`, `kube-public`, or any other `kube-` one',
    stages: HOST_SAFETY,
    check: (environment) => {
      const namespace = environment.targets.kubernetes?.namespace;
      if (namespace === undefined || !isSystemNamespace(namespace)) return [];
      return [{ at: { path: ['targets', 'kubernetes', 'namespace'] }, message: `the environment runs in namespace '${namespace}', which Kubernetes keeps for itself`, fix: `give it a namespace of its own, e.g. namespace: '${environment.name}'` }];
    },
  },
];
