/** The authoring schema of an environment: systems instantiated on targets, with typed overrides. */
import { z } from 'zod';
import { dnsLabel, envVarName, imageReference, quantity } from './checks.js';
import { deliverySchema } from './delivery.js';
import { monitoringSchema } from './monitoring.js';
import { envValueSchema, resourcesSchema } from './service.js';
import { systemSchema } from './system.js';

export const STAGES = ['development', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/).max(63);
const labelKey = z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);

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
      }),
    )
    .min(1),
});

export const overrideSchema = z.strictObject({
  /** Fixed replica count for this environment (services without autoscaling or members). */
  replicas: z.number().int().min(0).optional(),
  /** Autoscaling bounds for this environment. */
  autoscaling: z
    .strictObject({
      /** Fewest replicas. */
      minReplicas: z.number().int().min(1).optional(),
      /** Most replicas. */
      maxReplicas: z.number().int().min(1).optional(),
    })
    .optional(),
  /** Requests and limits merged over the service's, resource by resource. */
  resources: resourcesSchema.optional(),
  /** Image tag for this environment (`'1.4.3'`). */
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/).optional(),
  /** Whole image reference for this environment; wins over `tag`. */
  image: imageReference.optional(),
  /** Values merged over the service's environment. */
  env: z.record(envVarName, envValueSchema).optional(),
  /** Volume sizes by volume name. */
  volumeSizes: z.record(dnsLabel, quantity).optional(),
  /** The Kubernetes node pool (`targets.kubernetes.nodePools[].name`) the service's tuning needs. */
  nodePool: dnsLabel.optional(),
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
