/** The authoring schema of an environment: systems instantiated on targets, with typed overrides. */
import { z } from 'zod';
import { dnsLabel, envVarName, imageVersion, int32, labelKey, labelValue, quantity, userRecord } from './checks.js';
import { deliverySchema } from './delivery.js';
import { FEATURE_GATES } from './lifecycle.js';
import { monitoringSchema } from './monitoring.js';
import { envValueSchema, resourcesSchema } from './service.js';
import { systemSchema } from './system.js';

export const STAGES = ['development', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];


export const nodePoolSchema = z.strictObject({
  /** Pool name, a DNS-1123 label; services name it in `overrides.<service>.nodePool`. */
  name: dnsLabel,
  /** Labels the pool's nodes carry: a pod that needs the pool's tuning gets them as its nodeSelector. */
  nodeSelector: z.record(labelKey, labelValue),
  /**
   * The oldest kernel on the pool's nodes (`'5.15'`): the kubelet drops some safe sysctls on older ones.
   * @default '4.19' (the oldest kernel kubeadm accepts)
   */
  kernel: z.string().regex(/^[0-9]+\.[0-9]+([.\-+~_][0-9A-Za-z.\-+~_]*)?$/, "write the kernel's major.minor, e.g. '5.15'").optional(),
  /** Namespaced sysctls the pool's kubelets allow with `--allowed-unsafe-sysctls` (a trailing `*` matches a prefix). */
  allowedUnsafeSysctls: z.array(z.string()).default([]),
  /**
   * The host profile applied to the pool's nodes.
   * @default the pool's name
   */
  profile: dnsLabel.optional(),
  /**
   * How the node-level sysctls of the pool's profile reach its nodes: `'sysctl.d'`, you install
   * `host/sysctl.d/90-<profile>.conf` in the node image or bootstrap; `'daemonset'`, Kiln also emits a
   * privileged DaemonSet pinned to the pool (namespace `<namespace>-node-tuning`, Pod Security level
   * `privileged`) that writes them on every node, before the workloads sync.
   * @default 'sysctl.d'
   */
  nodeSysctls: z.enum(['sysctl.d', 'daemonset']).default('sysctl.d'),
  /**
   * How the ulimits of the services on this pool reach their containers (Kubernetes has no ulimit
   * field): `'runtime'`, the container runtime's defaults on the pool's nodes (a containerd.service
   * drop-in, or CRI-O's `default_ulimits`), in the pool's host profile; `'entrypoint'`, the container's
   * command runs under `/bin/sh -c 'ulimit … && exec "$@"'`, which needs a shell in the image, the
   * service's `command`, and a runtime hard limit at least as high.
   * @default targets.kubernetes.ulimits
   */
  ulimits: z.enum(['runtime', 'entrypoint']).optional(),
  /**
   * The container runtime of the pool's nodes: where `ulimits: 'runtime'` writes the defaults.
   * @default 'containerd'
   */
  containerRuntime: z.enum(['containerd', 'cri-o']).default('containerd'),
});

export const kubernetesTargetSchema = z.strictObject({
  /** Cluster name, as Argo CD knows it. */
  cluster: dnsLabel,
  /** Kubernetes minor version of the cluster's kubelets (`'1.31'`); decides which sysctls are safe. */
  version: z.string().regex(/^1\.[0-9]{1,2}$/, "write the minor version, e.g. '1.31'"),
  /**
   * Namespace for every object of the environment.
   * @default the environment name
   */
  namespace: dnsLabel.optional(),
  /**
   * Where Argo CD deploys: the cluster's API server URL or its name as registered in Argo CD.
   * @default { name: <cluster> }
   */
  destination: z.strictObject({ server: z.url().optional(), name: z.string().min(1).optional() }).optional(),
  /** The External Secrets store that resolves secret references. */
  secretStore: z.strictObject({
    /**
     * A namespaced SecretStore or a ClusterSecretStore.
     * @default 'ClusterSecretStore'
     */
    kind: z.enum(['SecretStore', 'ClusterSecretStore']).default('ClusterSecretStore'),
    /** The store's name. */
    name: dnsLabel,
    /**
     * Prefix of remote keys: secret `db-password` is read from `<prefix>db-password`.
     * @default '<environment>/'
     */
    keyPrefix: z.string().optional(),
  }),
  /**
   * Namespace Prometheus runs in; NetworkPolicies let it reach metrics ports.
   * @default 'monitoring'
   */
  monitoringNamespace: dnsLabel.default('monitoring'),
  /**
   * Namespaced sysctls the kubelets of the default pool allow with `--allowed-unsafe-sysctls`: the
   * nodes a service runs on when it names no pool and the target declares none, or several.
   */
  allowedUnsafeSysctls: z.array(z.string()).default([]),
  /**
   * Node pools Kiln tunes: each gets a host profile (`host/sysctl.d/90-<profile>.conf`) with the
   * node-level sysctls of the services that run on it. A service runs on the pool its override names
   * (`nodePool`), or on the only pool declared; with none declared, on the default pool, which has no
   * profile: a node-level sysctl then has nowhere to go.
   * @default []
   */
  nodePools: z.array(nodePoolSchema).default([]),
  /**
   * How ulimits reach containers on the default pool and on every pool that does not say (see
   * `nodePools[].ulimits`); the default pool has no host profile, so there only `'entrypoint'` works.
   * Without one, a service's ulimit on Kubernetes is an error unless `tuning.accept` names it.
   */
  ulimits: z.enum(['runtime', 'entrypoint']).optional(),
  /**
   * Alpha or beta features the cluster's API servers and kubelets enable that Kiln can use.
   * `ContainerStopSignals` (1.33+): a service's `stopSignal` goes into `lifecycle.stopSignal` instead
   * of a preStop hook.
   * @default []
   */
  featureGates: z.array(z.enum(FEATURE_GATES)).default([]),
});

export const composeTargetSchema = z.strictObject({
  /**
   * Directory, relative to the Compose file, holding one file per secret.
   * @default './secrets'
   */
  secretsDir: z.string().default('./secrets'),
  /**
   * The Docker host's profile: node-level sysctls of the services land in `host/sysctl.d/90-<profile>.conf`.
   * @default 'docker-host'
   */
  hostProfile: dnsLabel.default('docker-host'),
});

export const hostsTargetSchema = z.strictObject({
  /** The machines, each with the services it runs. */
  machines: z
    .array(
      z.strictObject({
        /** Machine name, a DNS-1123 label. */
        name: dnsLabel,
        /** Address other machines and Prometheus reach it at. */
        address: z.string().min(1),
        /** Services (by name) run here as systemd units; a stateful service takes one member per machine. */
        services: z.array(dnsLabel).min(1),
        /**
         * The machine's role: machines with one profile get the same sysctl.d and limits.d files.
         * @default the machine's first service
         */
        profile: dnsLabel.optional(),
        /**
         * The container host (`containerHosts[].name`) this machine is a system container on (an LXC
         * container on Proxmox VE): it shares that host's kernel, so its services' node-level sysctls go
         * to the container host's profile, where they can be set, and not to the machine's.
         */
        containerHost: dnsLabel.optional(),
      }),
    )
    .min(1),
  /**
   * Machines that run the target's machines as system containers (Proxmox VE nodes running LXC). A
   * container cannot set node-level sysctls (read-only inside an unprivileged one): they go to its
   * host's profile, `host/sysctl.d/90-<profile>.conf`.
   * @default []
   */
  containerHosts: z
    .array(
      z.strictObject({
        /** Host name, a DNS-1123 label: how the operator reaches it (`ssh <name>`). */
        name: dnsLabel,
        /** Its address, when it should be listed. */
        address: z.string().min(1).optional(),
        /**
         * Its host profile.
         * @default the host's name
         */
        profile: dnsLabel.optional(),
      }),
    )
    .default([]),
});

export const overrideSchema = z.strictObject({
  /** Fixed replica count for this environment (services without autoscaling or members). */
  replicas: int32(0).optional(),
  /** Autoscaling bounds for this environment. */
  autoscaling: z
    .strictObject({
      /** Fewest replicas. */
      minReplicas: int32(1).optional(),
      /** Most replicas. */
      maxReplicas: int32(1).optional(),
    })
    .optional(),
  /** Requests and limits merged over the service's, resource by resource. */
  resources: resourcesSchema.optional(),
  /** Values merged over the service's environment. */
  env: userRecord(envVarName, envValueSchema).optional(),
  /** Volume sizes by volume name. */
  volumeSizes: z.record(dnsLabel, quantity).optional(),
  /** The Kubernetes node pool (`targets.kubernetes.nodePools[].name`) the service's tuning needs. */
  nodePool: dnsLabel.optional(),
  /** Connection pool sizes by server, over the service's `connectionPools` (its `env` follows). */
  connectionPools: z.record(dnsLabel, int32(1)).optional(),
});

export const tuningAcceptSchema = z.strictObject({
  /** The service whose need is not met. */
  service: dnsLabel,
  /** The sysctl left unplaced. */
  sysctl: z.string().min(1).optional(),
  /** The ulimit left unplaced. */
  ulimit: z.string().min(1).optional(),
  /** Why the environment lives with it; the runbook lists it. */
  reason: z.string().min(1),
});

export const environmentTuningSchema = z.strictObject({
  /** Needs this environment knowingly leaves unmet: Kiln reports them nowhere else. */
  accept: z.array(tuningAcceptSchema).default([]),
});

export const environmentSchema = z.strictObject({
  /** Environment name, a DNS-1123 label, unique; also its file name and its folder in generated/. */
  name: dnsLabel,
  /** Decides the rules that apply: pinned images in staging and production, zone spread in production. */
  stage: z.enum(STAGES),
  /** One line on what the environment is for; shown in the generated index. */
  description: z.string().optional(),
  /** Region, put on every object as the `kiln.dev/region` label. */
  region: labelValue.optional(),
  /** Extra labels for every object. */
  labels: z.record(labelKey, labelValue).default({}),
  /** The systems this environment runs, from `defineSystem`. */
  systems: z.array(systemSchema).min(1),
  /** Where it runs: at least one target. */
  targets: z.strictObject({
    /** A Kubernetes cluster, synced by Argo CD. */
    kubernetes: kubernetesTargetSchema.optional(),
    /** A Docker Compose project on one host. */
    compose: composeTargetSchema.optional(),
    /** Named machines running the services as systemd units. */
    hosts: hostsTargetSchema.optional(),
  }),
  /**
   * The environment this one is promoted from: production follows staging. `kiln promote FROM TO`
   * copies FROM's `images` into TO's file, and `kiln check` warns when TO runs an image FROM never ran.
   */
  follows: dnsLabel.optional(),
  /**
   * Image versions by service name: a tag on the system's repository (`'1.4.3'`) or a whole
   * reference (`'ghcr.io/acme/api@sha256:…'`). Without an entry a service runs the system's image.
   * This is what moves between stages, and what `kiln promote` edits.
   * @default {}
   */
  images: z.record(dnsLabel, imageVersion).default({}),
  /** Per-service overrides, by service name. */
  overrides: z.record(dnsLabel, overrideSchema).default({}),
  /** Host and kernel tuning of the environment as a whole: the gaps it accepts. */
  tuning: environmentTuningSchema.default({ accept: [] }),
  /** Where Argo CD takes generated/ from, for a Kubernetes target; without it Kiln writes no Application. */
  delivery: deliverySchema.optional(),
  /** Prometheus: scrape and evaluation intervals, platform catalogs, alert routing. */
  monitoring: monitoringSchema.default({ scrapeInterval: '30s', evaluationInterval: '30s', platform: [], labels: {} }),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type ParsedEnvironment = z.output<typeof environmentSchema>;
export type KubernetesTargetInput = z.input<typeof kubernetesTargetSchema>;
export type OverrideInput = z.input<typeof overrideSchema>;
