/** Deployments and StatefulSets, with the pod template every workload shares. */
import type { ComputeResources, Diagnostic, Environment, KubernetesTarget, Probe, Service } from '@kiln/model';
import { CONFIG_HASH_KEY, configFilesOf, configHash, dependentVariables, escapeDependentVariables, hasMemberFiles, memberPodName, own, peerVariables, referenceOrder, secretFilesOf, servicesOf } from '@kiln/model';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { KubernetesCode } from './codes.js';
import { metadata, selectorLabels, serviceLabels, SyncWave } from './labels.js';
import { rolloutAnnotations, stopSignal } from './lifecycle.js';
import { databaseClientEnv } from './cloudnative-pg.js';
import { headlessServiceName } from './services.js';

/** StatefulSet pods carry their ordinal in this label from Kubernetes 1.28 (PodIndexLabel). */
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ConfigMap of a service's configuration files, or of one member's where members have files of their own. */
export function configMapName(service: Service, member?: number): string {
  return member === undefined ? `${service.name}-config` : `${service.name}-${member}-config`;
}

/** The label that tells the members of a service apart where each is a StatefulSet of its own. */
export const MEMBER_LABEL = 'kiln.dev/member';

/** Each member's pod, stable name under the headless Service, in the namespace. */
export function memberHost(service: Service, id: number, namespace: string): string {
  return `${memberPodName(service.name, id, hasMemberFiles(service))}.${headlessServiceName(service)}.${namespace}.svc`;
}

/** A workload needs a stable identity or its own volume per replica: then it is a StatefulSet. */
export function isStatefulSet(service: Service): boolean {
  return service.stateful !== undefined || service.volumes.length > 0;
}

/**
 * The service's workload: a Deployment, or a StatefulSet for members and volumes. Members with files
 * of their own (a validator's key) get a StatefulSet each, `<service>-<id>` with one pod, as the usual
 * pattern for validators is: a pod template cannot differ by ordinal, and one template mounting every
 * member's files would give each pod all of them. They share the headless Service, the Services, the
 * PodDisruptionBudget and the NetworkPolicies, which select every member.
 */
export function workloads(env: Environment, target: KubernetesTarget, service: Service, diagnostics: Diagnostic[]): (IDeployment | IStatefulSet)[] {
  if (!service.stateful || !hasMemberFiles(service)) return [workload(env, target, service, diagnostics)];
  return service.stateful.ids.map((id) => workload(env, target, service, diagnostics, id));
}

function workload(env: Environment, target: KubernetesTarget, service: Service, diagnostics: Diagnostic[], member?: number): IDeployment | IStatefulSet {
  const own = member === undefined ? {} : { [MEMBER_LABEL]: String(member) };
  const template = podTemplate(env, target, service, diagnostics, member);
  const meta = metadata(member === undefined ? service.name : `${service.name}-${member}`, target.namespace, { ...serviceLabels(env, service), ...own }, SyncWave.workload, rolloutAnnotations(service));
  const replicas = member !== undefined ? { replicas: 1 } : service.scaling.kind === 'fixed' ? { replicas: service.scaling.replicas } : {};
  const selector = { matchLabels: { ...selectorLabels(env, service), ...own } };
  if (!isStatefulSet(service)) {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        ...replicas,
        selector,
        // Surge first, never below the wanted count: a rollout costs no capacity.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template,
      },
    };
  }
  const firstId = member === undefined ? (service.stateful?.ids[0] ?? 0) : 0;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta,
    spec: {
      ...replicas,
      serviceName: headlessServiceName(service),
      selector,
      // Members of a quorum must all start to elect a leader; OrderedReady would wait forever for
      // member 0 to become ready alone.
      podManagementPolicy: service.stateful ? 'Parallel' : 'OrderedReady',
      ...(firstId === 0 ? {} : { ordinals: { start: firstId } }),
      updateStrategy: { type: 'RollingUpdate' },
      template,
      // Written out as the API server stores them (apiVersion, kind, volumeMode), or Argo CD's diff
      // shows the StatefulSet OutOfSync forever (argo-cd#11143).
      volumeClaimTemplates: service.volumes.map((volume) => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: volume.name, labels: selectorLabels(env, service) },
        spec: {
          accessModes: ['ReadWriteOnce'],
          volumeMode: 'Filesystem',
          ...(volume.storageClass === undefined ? {} : { storageClassName: volume.storageClass }),
          resources: { requests: { storage: volume.size } },
        },
      })),
    },
  };
}

function podTemplate(env: Environment, target: KubernetesTarget, service: Service, diagnostics: Diagnostic[], member?: number): IPodTemplateSpec {
  const { security } = service;
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  const annotations: Record<string, string> = {};
  if (service.config) {
    // A member with files of its own reads its own ConfigMap: the shared files and its own.
    const own = member !== undefined && service.config.memberFiles !== undefined;
    volumes.push({ name: 'config', configMap: { name: configMapName(service, own ? member : undefined) } });
    mounts.push({ name: 'config', mountPath: service.config.mountPath, readOnly: true });
    // A config change must roll the pods: the template changes when the ConfigMap's content does.
    annotations[CONFIG_HASH_KEY] = configHash(configFilesOf(service, member));
  }
  service.scratch.forEach((path, i) => {
    volumes.push({ name: `scratch-${i}`, emptyDir: {} });
    mounts.push({ name: `scratch-${i}`, mountPath: path });
  });
  for (const volume of service.volumes) mounts.push({ name: volume.name, mountPath: volume.mountPath });
  // Secret files come from the Secret the ExternalSecret creates. The files of one secret in one
  // directory are mounted as that directory, not by subPath: the kubelet then updates them when the
  // secret rotates (a subPath mount never sees an update).
  secretDirectories(service, member).forEach(({ secret, directory, files }, i) => {
    const name = `secret-${i}`;
    volumes.push({ name, secret: { secretName: secret, items: files.map((f) => ({ key: f.key, path: f.file })) } });
    mounts.push({ name, mountPath: directory, readOnly: true });
  });
  const ulimits = Object.entries(service.ulimits);
  if (ulimits.length > 0) {
    // Kubernetes has no ulimit field (kubernetes#3595): the pool's container runtime defaults or an
    // entrypoint wrapper give them (placement decided which). Say what the service needs, where a
    // reviewer and the node's runtime config can see it.
    annotations['kiln.dev/required-ulimits'] = ulimits.map(([name, { soft, hard }]) => `${name}=${soft}:${hard}`).join(',');
  }

  const spread: ITopologySpreadConstraint[] =
    env.stage === 'production' && (service.scaling.kind === 'autoscaled' || service.scaling.replicas > 1)
      ? [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selectorLabels(env, service) } }]
      : [];
  // Placement (model: tuning/placement.ts) decided what the kubelet accepts and which pool's nodes the
  // pod needs; node-level needs went to that pool's host profile.
  const tuning = own(env.tuning.pods, service.name);
  const sysctls = (tuning?.sysctls ?? []).map(({ name, value }) => ({ name, value }));
  const nodeSelector = { ...tuning?.nodeSelector };
  // The entrypoint wrapper (`/bin/sh -c 'ulimit … && exec "$@"'`) runs the service's command; args follow unchanged.
  const command = tuning?.command ?? service.command;
  const stop = stopSignal(target, service);

  const container: IContainer = {
    name: service.name,
    image: service.image,
    ...(command && { command: command.map(asWritten(service)) }),
    ...(service.args && { args: service.args.map(asWritten(service)) }),
    ...(service.ports.length > 0 && { ports: service.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) }),
    ...nonEmpty('env', containerEnv(env, target, service, diagnostics, member)),
    resources: {
      ...nonEmpty('requests', resourceList(service.resources.requests)),
      ...nonEmpty('limits', resourceList(service.resources.limits)),
    },
    ...(service.probes.startup && { startupProbe: probe(service.probes.startup) }),
    ...(service.probes.liveness && { livenessProbe: probe(service.probes.liveness) }),
    ...(service.probes.readiness && { readinessProbe: probe(service.probes.readiness) }),
    securityContext: {
      allowPrivilegeEscalation: security.allowPrivilegeEscalation,
      readOnlyRootFilesystem: security.readOnlyRootFilesystem,
      capabilities: { drop: ['ALL'] },
    },
    ...nonEmpty('volumeMounts', mounts),
    ...stop.container,
  };

  return {
    metadata: { labels: { ...serviceLabels(env, service), ...(member === undefined ? {} : { [MEMBER_LABEL]: String(member) }) }, ...(Object.keys(annotations).length > 0 && { annotations }) },
    spec: {
      serviceAccountName: service.name,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: service.terminationGracePeriodSeconds,
      securityContext: {
        runAsNonRoot: security.runAsNonRoot,
        ...(security.runAsUser === undefined ? {} : { runAsUser: security.runAsUser }),
        ...(security.runAsGroup === undefined ? {} : { runAsGroup: security.runAsGroup }),
        ...(security.fsGroup === undefined ? {} : { fsGroup: security.fsGroup }),
        seccompProfile: { type: 'RuntimeDefault' },
        ...nonEmpty('sysctls', sysctls),
      },
      ...stop.pod,
      ...nonEmpty('nodeSelector', nodeSelector),
      ...nonEmpty('topologySpreadConstraints', spread),
      containers: [container],
      ...nonEmpty('volumes', volumes),
    },
  };
}

/** The secret files a pod mounts (a member's: the shared ones and its own) grouped by (secret, directory), in path order. */
function secretDirectories(service: Service, member?: number) {
  const groups = new Map<string, { secret: string; directory: string; files: { key: string; file: string }[] }>();
  for (const { path, secret } of secretFilesOf(service, member)) {
    const directory = path.slice(0, path.lastIndexOf('/')) || '/';
    const id = `${secret.name}\u0000${directory}`;
    const group = groups.get(id) ?? { secret: secret.name, directory, files: [] };
    group.files.push({ key: secret.key, file: path.slice(path.lastIndexOf('/') + 1) });
    groups.set(id, group);
  }
  return [...groups.values()];
}

function containerEnv(env: Environment, target: KubernetesTarget, service: Service, diagnostics: Diagnostic[], member?: number): IEnvVar[] {
  const vars: IEnvVar[] = [
    ...service.env.map((v): IEnvVar =>
      'secret' in v ? { name: v.name, valueFrom: { secretKeyRef: { name: v.secret.name, key: v.secret.key } } } : { name: v.name, value: asWritten(service)(v.value) },
    ),
    ...databaseClientEnv(service),
  ];
  const stateful = service.stateful;
  // A member that is a StatefulSet of its own knows its id from the start: its pod's ordinal is 0.
  if (stateful?.idEnv && member !== undefined) vars.push({ name: stateful.idEnv, value: String(member) });
  else if (stateful?.idEnv) {
    if (target.version.minor < 28) {
      diagnostics.push({
        code: KubernetesCode.VERSION_TOO_OLD,
        severity: 'error',
        file: env.source,
        path: 'targets.kubernetes.version',
        message: `service '${service.name}' tells each member its id through the ${POD_INDEX_LABEL} label, which Kubernetes 1.${target.version.minor} does not set`,
        hint: "target Kubernetes '1.28' or later",
      });
    }
    vars.push({ name: stateful.idEnv, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } } });
  }
  // Its own members' and other services' (peersOf), each member by its stable name.
  for (const [name, value] of peerVariables(service, servicesOf(env), (of, id) => memberHost(of, id, target.namespace))) vars.push({ name, value: escapeDependentVariables(value) });
  // Kubernetes expands an env value only from the variables listed before it.
  if (service.expand) return referenceOrder(vars, (v) => (v.value === undefined ? [] : dependentVariables(v.value)));
  return vars.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * How a value reaches Kubernetes, which expands `$(VAR)` and reads `$$` as `$` in env values,
 * command and args: as written where the service asked for expansion, escaped everywhere else.
 */
function asWritten(service: Service): (text: string) => string {
  return service.expand ? (text) => text : escapeDependentVariables;
}

function probe(probe: Probe): IProbe {
  const { action } = probe;
  const handler =
    action.kind === 'http'
      ? { httpGet: { path: action.path, port: action.port, ...(action.tls && { scheme: 'HTTPS' as const }) } }
      : action.kind === 'tcp'
        ? { tcpSocket: { port: action.port } }
        : { exec: { command: [...action.command] } };
  return {
    ...handler,
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
    successThreshold: probe.successThreshold,
  };
}

/** A Kubernetes ResourceList: the resources that are set, under their API names. */
export function resourceList(resources: ComputeResources): Record<string, string> {
  const list: Record<string, string> = {};
  if (resources.cpu !== undefined) list.cpu = resources.cpu;
  if (resources.memory !== undefined) list.memory = resources.memory;
  if (resources.ephemeralStorage !== undefined) list['ephemeral-storage'] = resources.ephemeralStorage;
  return list;
}

/** `{ key: value }` when the list or map has something in it, else nothing: no empty fields in output. */
export function nonEmpty<K extends string, T extends readonly unknown[] | Record<string, unknown>>(key: K, value: T): { [P in K]?: T } {
  const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  return (empty ? {} : { [key]: value }) as { [P in K]?: T };
}
