/**
 * The resolved model emitters see: defaulted, overrides applied, references resolved, sorted where
 * order carries no meaning. Plain data only, so `kiln explain` can print it as it is.
 */
import { isIP } from 'node:net';
import type { Acknowledgement } from './acknowledge.js';
import { databaseStoreSecrets } from './database.js';
import type { Database, DatabaseVariable } from './database.js';
import type { Delivery } from './delivery.js';
import type { Stage } from './environment.js';
import type { SecretRotation, StopSignal } from './lifecycle.js';
import type { Alert, Dashboard, Metric, Monitoring, Procedure, RecordingRule, Slo } from './monitoring-model.js';
import type { TuningPlan } from './tuning/plan.js';
import type { Waiver } from './waivers.js';

export interface Environment {
  readonly name: string;
  readonly stage: Stage;
  readonly description?: string;
  /** The environment file, relative to the repository root. */
  readonly source: string;
  readonly region?: string;
  /** Labels for every object, `kiln.dev/region` included. */
  readonly labels: Readonly<Record<string, string>>;
  readonly targets: Targets;
  readonly systems: readonly System[];
  readonly monitoring: Monitoring;
  readonly delivery?: Delivery;
  /** Breaking changes the environment means to make, in the author's order; absent when none. */
  readonly acknowledge?: readonly Acknowledgement[];
  /** Stage policy findings it lives with until a date, in the author's order; absent when none. */
  readonly waivers?: readonly Waiver[];
  /** The environment this one is promoted from. */
  readonly follows?: string;
  /** Where every sysctl and ulimit need lands (pods, containers, host profiles, units), computed once. */
  readonly tuning: TuningPlan;
}

export interface Targets {
  readonly kubernetes?: KubernetesTarget;
  readonly compose?: ComposeTarget;
  readonly hosts?: HostsTarget;
}

export interface KubernetesTarget {
  readonly cluster: string;
  readonly version: { readonly major: number; readonly minor: number };
  readonly namespace: string;
  readonly destination: { readonly server?: string | undefined; readonly name?: string | undefined };
  readonly secretStore: { readonly kind: 'SecretStore' | 'ClusterSecretStore'; readonly name: string; readonly keyPrefix: string };
  readonly monitoringNamespace: string;
  /** The default pool's: where a service runs that names no pool when the target declares none, or several. */
  readonly allowedUnsafeSysctls: readonly string[];
  /** In the author's order. */
  readonly nodePools: readonly NodePool[];
  /** How ulimits reach containers on the default pool and on pools that do not say. */
  readonly ulimits?: UlimitMechanism;
  /** Feature gates the cluster enables that Kiln uses, sorted. */
  readonly featureGates: readonly string[];
  /** The cert-manager issuer of the services' certificates. */
  readonly tls?: { readonly issuer: { readonly name: string; readonly kind: 'Issuer' | 'ClusterIssuer' } };
  /** The Gateway public routes attach to. */
  readonly gateway?: Gateway;
}

/** A Gateway API Gateway, with the namespace its proxies run in (its own unless declared). */
export interface Gateway {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
  readonly proxyNamespace: string;
}

/** How a Kubernetes container gets its ulimits: the runtime's defaults on the pool's nodes, or a shell wrapper. */
export type UlimitMechanism = 'runtime' | 'entrypoint';

export type ContainerRuntime = 'containerd' | 'cri-o';

export interface NodePool {
  readonly name: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The oldest kernel on the pool's nodes, when declared. */
  readonly kernel?: string;
  /** Sorted. */
  readonly allowedUnsafeSysctls: readonly string[];
  /** The host profile applied to the pool's nodes. */
  readonly profile: string;
  /** Whether a privileged DaemonSet writes the profile's node-level sysctls, beside the sysctl.d file. */
  readonly nodeSysctls: 'sysctl.d' | 'daemonset';
  /** The pool's own choice, else the target's. */
  readonly ulimits?: UlimitMechanism;
  readonly containerRuntime: ContainerRuntime;
}

export interface ComposeTarget {
  readonly secretsDir: string;
  /** The Docker host's profile. */
  readonly hostProfile: string;
}

export interface HostsTarget {
  readonly machines: readonly Machine[];
  /** In the author's order. */
  readonly containerHosts: readonly ContainerHost[];
}

/** A machine running other machines as system containers (a Proxmox VE node running LXC). */
export interface ContainerHost {
  readonly name: string;
  readonly address?: string;
  /** Its name unless declared. */
  readonly profile: string;
}

export interface Machine {
  readonly name: string;
  readonly address: string;
  readonly services: readonly string[];
  /** The machine's role: its first service unless declared. */
  readonly profile: string;
  /** The container host it is a system container on, if it is one. */
  readonly containerHost?: string;
}

export interface System {
  readonly name: string;
  readonly description?: string;
  /** The file that defined the system, relative to the repository root. */
  readonly source: string;
  readonly services: readonly Service[];
  /** Between the system's services. */
  readonly flows: readonly Flow[];
  /** Endpoints outside the environment, bound to where this environment finds them; sorted by name. */
  readonly externals: readonly External[];
  /** Flows with an external at one end: a service calling out (`to` an external, its port), or a client calling in (`from` one). */
  readonly externalFlows: readonly Flow[];
  readonly alerts: readonly Alert[];
  readonly recordingRules: readonly RecordingRule[];
  readonly slos: readonly Slo[];
  /** Uids filled in. */
  readonly dashboards: readonly Dashboard[];
  readonly procedures: readonly Procedure[];
}

export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly port: Port;
}

/** An endpoint outside the environment, where this environment finds it. */
export interface External {
  readonly name: string;
  readonly description?: string;
  /** A DNS name or IP address, or an address block. */
  readonly address: { readonly host: string } | { readonly cidr: string };
  /** Its ports, `internal`: Kiln publishes nothing for them. */
  readonly ports: readonly Port[];
}

export interface Port {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly expose: 'internal' | 'public';
  readonly appProtocol?: 'http' | 'ws';
  /** It serves TLS with the service's certificate. */
  readonly tls?: true;
  /** Public host names routed to it through the environment's Gateway, in the author's order. */
  readonly hostnames?: readonly string[];
}

/** Where a service's TLS certificate comes from. */
export interface ServiceTls {
  /** The secret holding `tls.crt`, `tls.key` and `ca.crt`; its files are in the service's `secretFiles`. */
  readonly secret: string;
  /** Kiln issues it (a cert-manager Certificate on Kubernetes); else the secret store holds it. */
  readonly issued: boolean;
}

export type EnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly secret: SecretRef };

export interface SecretRef {
  readonly name: string;
  readonly key: string;
}

export interface SecretFile {
  readonly path: string;
  readonly secret: SecretRef;
  /** The one member that mounts it (a member's own file); every replica when absent. */
  readonly member?: number;
}

/** A variable set to the peer list of a stateful service (`peersOf`), which each target fills in as it fills that service's own. */
export interface PeerVariable {
  readonly name: string;
  /** The stateful service whose members it lists, with its `stateful.peers` format. */
  readonly service: string;
}

export interface ComputeResources {
  readonly cpu?: string | undefined;
  readonly memory?: string | undefined;
  readonly ephemeralStorage?: string | undefined;
}

export interface Resources {
  readonly requests: ComputeResources;
  readonly limits: ComputeResources;
}

export type ProbeAction =
  | { readonly kind: 'http'; readonly path: string; readonly port: number; readonly tls?: true }
  | { readonly kind: 'tcp'; readonly port: number }
  | { readonly kind: 'exec'; readonly command: readonly string[] };

export interface Probe {
  readonly action: ProbeAction;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

export interface Probes {
  readonly liveness?: Probe;
  readonly readiness?: Probe;
  readonly startup?: Probe;
}

export type Scaling =
  | { readonly kind: 'fixed'; readonly replicas: number }
  | {
      readonly kind: 'autoscaled';
      readonly minReplicas: number;
      readonly maxReplicas: number;
      readonly cpuUtilization?: number;
      readonly podsMetrics: readonly { readonly metric: string; readonly averageValue: string }[];
    };

export interface Stateful {
  /** Member ids, in order. */
  readonly ids: readonly number[];
  readonly idEnv?: string;
  readonly peers?: { readonly env: string; readonly port: Port; readonly format: string; readonly separator: string };
  readonly maxUnavailable: number;
}

export interface Volume {
  readonly name: string;
  readonly mountPath: string;
  readonly size: string;
  readonly storageClass?: string | undefined;
}

export interface Security {
  readonly runAsNonRoot: boolean;
  readonly runAsUser?: number | undefined;
  readonly runAsGroup?: number | undefined;
  readonly fsGroup?: number | undefined;
  readonly readOnlyRootFilesystem: boolean;
  readonly allowPrivilegeEscalation: boolean;
}

export interface Ulimit {
  readonly soft: number;
  readonly hard: number;
  /** Why the service needs it, where the author said. */
  readonly reason?: string;
}

export interface ConnectionPool {
  /** The service connected to. */
  readonly server: string;
  readonly size: number;
  /** The variable that tells the client its pool size. */
  readonly env?: string;
}

export interface Service {
  readonly name: string;
  readonly system: string;
  readonly description?: string;
  /** The image reference after overrides, always with a tag or digest outside development. */
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Kubernetes expands `$(NAME)` in env values, command and args (the author asked); else they are literal. */
  readonly expand?: true;
  readonly ports: readonly Port[];
  /** Sorted by name. */
  readonly env: readonly EnvVar[];
  readonly resources: Resources;
  readonly probes: Probes;
  readonly scaling: Scaling;
  readonly stateful?: Stateful;
  /** The signal the process drains on, where declared; else the image's STOPSIGNAL, or SIGTERM. */
  readonly stopSignal?: StopSignal;
  /** The application's own shutdown timeout, where declared. */
  readonly shutdownTimeoutSeconds?: number;
  /** Between the stop signal and SIGKILL: the declared one, else the shutdown timeout plus a margin, else 30. */
  readonly terminationGracePeriodSeconds: number;
  /** Programs the image ships that Kiln may run in it, sorted. */
  readonly tools: readonly string[];
  /** Directories the application writes to, sorted. */
  readonly writes: readonly string[];
  /** Connection pools to the services it calls (sizes after overrides), sorted by server; each pool's `env` is in `env` too. */
  readonly connectionPools: readonly ConnectionPool[];
  /** The most client connections the service accepts, where declared. */
  readonly maxConnections?: number;
  /** A database Kiln manages (a CloudNativePG Cluster on Kubernetes); its container's env and args are in `env` and `args`. */
  readonly database?: Database;
  /** Variables set from managed databases' connection settings, sorted by name; absent when none. */
  readonly databaseEnv?: readonly DatabaseVariable[];
  /** Variables set to another stateful service's peer list, sorted by name; absent when none. */
  readonly peerEnv?: readonly PeerVariable[];
  /** How each secret rotated outside git reaches the service, by secret name, sorted. */
  readonly secretRotation: Readonly<Record<string, SecretRotation>>;
  readonly security: Security;
  readonly volumes: readonly Volume[];
  readonly scratch: readonly string[];
  /** `memberFiles`: each member's own copies (`{id}` replaced), by member id; absent when none. */
  readonly config?: { readonly mountPath: string; readonly files: Readonly<Record<string, string>>; readonly memberFiles?: Readonly<Record<string, Readonly<Record<string, string>>>> };
  /** Secrets delivered as files, its TLS files included, sorted by path then member; members' own ones carry `member`. */
  readonly secretFiles: readonly SecretFile[];
  /** Where its TLS certificate comes from, when it reads one. */
  readonly tls?: ServiceTls;
  /** Client CIDRs allowed to reach its public ports that have no route, where the environment limits them. */
  readonly sourceRanges?: readonly string[];
  /** Callers may reach replicas before they are ready. */
  readonly publishNotReadyAddresses: boolean;
  /** Sorted. */
  readonly dependsOn: readonly string[];
  readonly metrics?: { readonly port: Port; readonly path: string; readonly exports: readonly Metric[] };
  /** Sorted by key. */
  readonly sysctls: Readonly<Record<string, string>>;
  /** Why the service needs each sysctl, where the author said; sorted by key. */
  readonly sysctlReasons: Readonly<Record<string, string>>;
  /** Sorted by name; a single number n is `{ soft: n, hard: n }`. */
  readonly ulimits: Readonly<Record<string, Ulimit>>;
  /** The Kubernetes node pool the environment's override names. */
  readonly nodePool?: string;
}

/** Every service of an environment, across its systems, in a stable order. */
export function servicesOf(environment: Environment): Service[] {
  return environment.systems.flatMap((system) => system.services);
}

/** Every external endpoint of an environment, across its systems. */
export function externalsOf(environment: Environment): External[] {
  return environment.systems.flatMap((system) => system.externals);
}

/**
 * What a NetworkPolicy can select of an external endpoint, which selects pods, namespaces and
 * address blocks but never names: an IP address or a block as that block; a cluster Service name
 * (`<name>.<namespace>.svc`, `….svc.cluster.local`, a member `<pod>.<name>.<namespace>.svc…`) as its
 * namespace; any other DNS name as any address, since its addresses are the name server's to decide.
 */
export type ExternalSelection = { readonly block: string } | { readonly namespace: string } | { readonly anywhere: true };

export function externalSelection(external: Pick<External, 'address'>): ExternalSelection {
  const address = external.address;
  if ('cidr' in address) return { block: address.cidr };
  const family = isIP(address.host);
  if (family !== 0) return { block: `${address.host}/${family === 6 ? 128 : 32}` };
  const namespace = /^(?:[a-z0-9-]+\.)?[a-z0-9-]+\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(address.host)?.[1];
  return namespace === undefined ? { anywhere: true } : { namespace };
}

/** Every flow with an external at one end, across the environment's systems. */
export function externalFlowsOf(environment: Environment): Flow[] {
  return environment.systems.flatMap((system) => system.externalFlows);
}

/** The systemd units of a hosts target: `<service>.service` for each service placed on a machine, in service order. */
export function hostUnits(environment: Environment): { readonly unit: string; readonly service: Service }[] {
  const placed = new Set(environment.targets.hosts?.machines.flatMap((machine) => machine.services) ?? []);
  return servicesOf(environment)
    .filter((service) => placed.has(service.name))
    .map((service) => ({ unit: `${service.name}.service`, service }));
}

/** Every secret an environment refers to, by name, with the keys used, sorted. */
export function secretsOf(environment: Environment): { name: string; keys: string[] }[] {
  const keys = new Map<string, Set<string>>();
  const containers = environment.targets.compose !== undefined || environment.targets.hosts !== undefined;
  for (const service of servicesOf(environment)) {
    // A managed database's variables are its container's: on Kubernetes CloudNativePG runs it and
    // reads only its object store's credentials.
    const env = service.database && !containers ? [] : service.env;
    const store = service.database && environment.targets.kubernetes ? databaseStoreSecrets(service.database) : [];
    const refs = [...env.flatMap((variable) => ('secret' in variable ? [variable.secret] : [])), ...service.secretFiles.map((file) => file.secret), ...store];
    add(refs);
  }
  // Alert receivers' keys and webhook URLs are secrets too.
  add(receiverSecrets(environment));
  function add(refs: readonly SecretRef[]): void {
    for (const ref of refs) {
      const set = keys.get(ref.name) ?? new Set<string>();
      set.add(ref.key);
      keys.set(ref.name, set);
    }
  }
  return [...keys]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, set]) => ({ name, keys: [...set].sort(compareText) }));
}

/** The file that defined a service's system: where diagnostics about the service point. */
export function systemSource(environment: Environment, service: Service): string {
  return environment.systems.find((system) => system.name === service.system)?.source ?? environment.source;
}

/** Replica count to run where nothing autoscales (Compose, the PDB decision). */
export function baseReplicas(service: Service): number {
  if (service.stateful) return service.stateful.ids.length;
  return service.scaling.kind === 'fixed' ? service.scaling.replicas : service.scaling.minReplicas;
}

/** The most replicas a service can run: its members, its fixed count, or its autoscaler's maximum. */
export function maxReplicas(service: Service): number {
  if (service.stateful) return service.stateful.ids.length;
  return service.scaling.kind === 'fixed' ? service.scaling.replicas : service.scaling.maxReplicas;
}

/**
 * The PodDisruptionBudget of a service on Kubernetes: every workload that can run more than one
 * replica gets one, which keeps all but `maxUnavailable` replicas up through drains.
 */
export function disruptionBudget(service: Service): { readonly maxUnavailable: number } | undefined {
  if (maxReplicas(service) <= 1) return undefined;
  return { maxUnavailable: service.stateful?.maxUnavailable ?? 1 };
}

/** Code-point order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A peer list entry for each member, given how a target names member hosts. */
export function peerList(service: Service, host: (id: number) => string, port: (id: number) => number): string | undefined {
  const stateful = service.stateful;
  if (!stateful?.peers) return undefined;
  const { format, separator } = stateful.peers;
  return stateful.ids
    .map((id) => format.replaceAll('{id}', String(id)).replaceAll('{host}', host(id)).replaceAll('{port}', String(port(id))))
    .join(separator);
}

/**
 * The peer lists a container gets, by variable: its own members' (`stateful.peers`) and other
 * services' (`peersOf`), given how the target names a member's host. Every member listens on the
 * peer port itself, so each entry's port is the container port.
 */
export function peerVariables(service: Service, services: readonly Service[], host: (service: Service, id: number) => string): [string, string][] {
  const list = (of: Service) => peerList(of, (id) => host(of, id), () => of.stateful?.peers?.port.port ?? 0);
  const own = service.stateful?.peers ? [[service.stateful.peers.env, list(service) ?? ''] as [string, string]] : [];
  const others = (service.peerEnv ?? []).map((variable): [string, string] => {
    const of = services.find((candidate) => candidate.name === variable.service);
    if (!of) throw new Error(`peerVariables: peersOf('${variable.service}') should have been checked by the rules`);
    return [variable.name, list(of) ?? ''];
  });
  return [...own, ...others];
}

/** Whether a service's members differ (their own secret or configuration files): each then runs as a workload of its own. */
export function hasMemberFiles(service: Service): boolean {
  return service.secretFiles.some((file) => file.member !== undefined) || service.config?.memberFiles !== undefined;
}

/** The secret files one member mounts (the shared ones and its own); without an id, the shared ones. */
export function secretFilesOf(service: Service, id?: number): SecretFile[] {
  return service.secretFiles.filter((file) => file.member === undefined || file.member === id);
}

/** The configuration files one member reads (the shared ones and its own copies), sorted by name; without an id, the shared ones. */
export function configFilesOf(service: Service, id?: number): Record<string, string> {
  const own = id === undefined ? undefined : service.config?.memberFiles?.[String(id)];
  return Object.fromEntries(Object.entries({ ...service.config?.files, ...own }).sort(([a], [b]) => compareText(a, b)));
}

/** The secrets alert receivers read (PagerDuty keys, webhook URLs), in receiver order. */
export function receiverSecrets(environment: Environment): SecretRef[] {
  return (environment.monitoring.alerting?.receivers ?? []).flatMap((receiver) =>
    [receiver.pagerduty?.routingKey, receiver.slack?.url, receiver.webhook?.token].flatMap((ref) => (ref ? [{ name: ref.secret, key: ref.key }] : [])),
  );
}

/** Services Prometheus scrapes: those that declare a metrics port. */
export function monitoredServices(environment: Environment): Service[] {
  return servicesOf(environment).filter((service) => service.metrics);
}

/** Whether an environment has anything for Prometheus: a scraped service or a rule. */
export function hasMonitoring(environment: Environment): boolean {
  return monitoredServices(environment).length > 0 || environment.systems.some((system) => system.alerts.length > 0 || system.recordingRules.length > 0);
}

/**
 * Panel ids of a dashboard: rows and panels numbered from 1 in reading order (a row is a panel in
 * Grafana's JSON too). Dashboards and runbook links (`d/<uid>?viewPanel=<id>`) both use these.
 */
export function panelIds(dashboard: Dashboard): Map<string, number> {
  const ids = new Map<string, number>();
  let next = 1;
  for (const row of dashboard.rows) {
    next += 1; // the row itself
    for (const panel of row.panels) ids.set(panel.title, next++);
  }
  return ids;
}

/** The dashboard and panel a reference names, in an environment whose references were checked. */
export function findPanel(environment: Environment, ref: { readonly dashboard: string; readonly panel: string }): { dashboard: Dashboard; id: number } | undefined {
  for (const system of environment.systems) {
    const dashboard = system.dashboards.find((d) => d.uid === ref.dashboard);
    const id = dashboard ? panelIds(dashboard).get(ref.panel) : undefined;
    if (dashboard && id !== undefined) return { dashboard, id };
  }
  return undefined;
}

/** Where an alert's runbook is generated (inside generated/): one per alert name, SLO alerts included. */
export function runbookPath(environment: string, alert: { readonly name: string }): string {
  return `${environment}/runbooks/${alert.name}.md`;
}

/** Where a procedure's runbook is generated (inside generated/). */
export function procedurePath(environment: string, procedure: { readonly name: string }): string {
  return `${environment}/runbooks/${procedure.name}.md`;
}

/** Where a dashboard's JSON is generated (inside generated/); runbooks link it where no Grafana is declared. */
export function dashboardPath(environment: string, uid: string): string {
  return `${environment}/grafana/dashboards/${uid}.json`;
}

/**
 * Where the host files of a profile or a unit are generated, inside `<env>/host/`: the hosts emitter
 * writes them, runbooks link them. `90-`: late among /etc's files, so they override distribution defaults.
 */
export const hostFiles = {
  sysctl: (profile: string) => `sysctl.d/90-${profile}.conf`,
  limits: (profile: string) => `limits.d/90-${profile}.conf`,
  /** A unit's drop-in: its stop, restart and resource-limit settings. */
  dropIn: (unit: string) => `systemd/${unit}.d/90-kiln.conf`,
  /** The container runtime's default limits on a profile's nodes: a containerd.service drop-in, or a CRI-O drop-in. */
  runtime: (runtime: ContainerRuntime, profile: string) => (runtime === 'containerd' ? `systemd/containerd.service.d/90-${profile}.conf` : `crio/crio.conf.d/90-${profile}.conf`),
} as const;
