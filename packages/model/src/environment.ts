/** The authoring schema of an environment: systems instantiated on targets, with typed overrides. */
import { z } from 'zod';
import { acknowledgementSchema } from './acknowledge.js';
import { dnsLabel, envVarName, hostName, imageVersion, int32, labelKey, labelValue, portName, quantity, userRecord } from './checks.js';
import { databaseOverrideSchema } from './database.js';
import { deliverySchema } from './delivery.js';
import { FEATURE_GATES } from './lifecycle.js';
import { monitoringSchema } from './monitoring.js';
import { dataKey, plainText } from './secret-ref.js';
import { envValueSchema, resourcesSchema } from './service.js';
import { systemSchema } from './system.js';
import { waiverSchema } from './waivers.js';

export const STAGES = ['development', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

/** A Gateway API hostname: a DNS name, lower case, optionally with a leading `*.` wildcard label. */
const hostname = z
  .string()
  .max(253)
  .regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "a DNS name such as 'api.example.org' or '*.example.org'");

/** A network in CIDR notation, IPv4 or IPv6 (`'203.0.113.0/24'`). */
const cidr = z.string().refine((value) => z.cidrv4().safeParse(value).success || z.cidrv6().safeParse(value).success, "a network in CIDR notation, e.g. '203.0.113.0/24'");


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
  /**
   * Namespaced sysctls the pool's kubelets allow with `--allowed-unsafe-sysctls` (a trailing `*` matches a prefix).
   * @default []
   */
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
  destination: z
    .strictObject({
      /** The API server's URL (`https://kubernetes.default.svc` for Argo CD's own cluster). */
      server: z.url().optional(),
      /** The cluster's name in Argo CD. */
      name: z.string().min(1).optional(),
    })
    .optional(),
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
   * @default []
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
  /** Certificates for ports that serve TLS: each service gets a cert-manager Certificate from this issuer. */
  tls: z
    .strictObject({
      /** The cert-manager issuer that signs the services' certificates (a CA issuer, for certificates clients can verify). */
      issuer: z.strictObject({
        /** The issuer's name. */
        name: dnsLabel,
        /**
         * A namespaced Issuer (in the environment's namespace) or a ClusterIssuer.
         * @default 'ClusterIssuer'
         */
        kind: z.enum(['Issuer', 'ClusterIssuer']).default('ClusterIssuer'),
      }),
    })
    .optional(),
  /**
   * The Gateway API Gateway that takes public HTTP traffic and terminates TLS: each port with
   * `overrides.<service>.hostnames` gets an HTTPRoute to it. Its listener must allow routes from this
   * environment's namespace (`allowedRoutes`).
   */
  gateway: z
    .strictObject({
      /** The Gateway's name. */
      name: dnsLabel,
      /** The Gateway's namespace. */
      namespace: dnsLabel,
      /** The listener routes attach to (its HTTPS listener); all of the Gateway's when absent. */
      sectionName: dnsLabel.optional(),
      /**
       * Where the Gateway's proxies run: NetworkPolicies admit the routed ports from this namespace.
       * Envoy Gateway runs them in its controller's namespace (`envoy-gateway-system`), not the Gateway's.
       * @default namespace
       */
      proxyNamespace: dnsLabel.optional(),
    })
    .optional(),
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
  /**
   * How many members a stateful service runs here (`stateful.members` of the system): its peer lists,
   * its members' own files and its machines follow (besu's devnet runs four validators, mainnet five).
   */
  members: int32(1).optional(),
  /** The container's arguments here, in place of the service's `args`. */
  args: z.array(plainText).optional(),
  /**
   * Configuration files here, by file name, over the service's `config.files`: a name it has is
   * replaced, a new one added (a chain's genesis per network). The service must declare `config`.
   */
  configFiles: userRecord(dataKey, plainText).optional(),
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
  /** A managed database's instances, backups and name in this environment. */
  database: databaseOverrideSchema.optional(),
  /**
   * Public host names by port (an HTTP or WebSocket port with `expose: 'public'`): on Kubernetes an
   * HTTPRoute from `targets.kubernetes.gateway` to the port, TLS terminated at the Gateway, instead of
   * a LoadBalancer. Compose publishes the port as before.
   */
  hostnames: z.record(portName, z.array(hostname).min(1)).optional(),
  /**
   * Client CIDRs allowed to reach the service's public ports that have no route: the LoadBalancer's
   * `loadBalancerSourceRanges` on Kubernetes. Routed ports are the Gateway's to restrict.
   */
  sourceRanges: z.array(cidr).min(1).optional(),
});

/**
 * Where an external endpoint is, in one environment: exactly one of `host` and `cidr`. On Kubernetes
 * egress to it is allowed on its ports: an IP or a block as an `ipBlock`, a cluster Service name
 * (`<name>.<namespace>.svc…`) as its namespace, any other DNS name as any address (a NetworkPolicy
 * cannot select by name). Clients that call in are admitted from their block or IP.
 */
export const externalBindingSchema = z.strictObject({
  /** Its DNS name or IP address: what the services' values name to reach it. */
  host: hostName.optional(),
  /** Its addresses as a block (`'10.20.0.0/16'`; peers on the internet: `'0.0.0.0/0'`). */
  cidr: cidr.optional(),
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
  /**
   * Needs this environment knowingly leaves unmet: Kiln reports them nowhere else.
   * @default []
   */
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
  /**
   * Extra labels for every object.
   * @default {}
   */
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
  /**
   * Per-service overrides, by service name.
   * @default {}
   */
  overrides: z.record(dnsLabel, overrideSchema).default({}),
  /**
   * Where this environment finds each external endpoint its systems declare, by name:
   * `{ jaeger: { host: 'jaeger-collector.observability.svc.cluster.local' } }`. Every one needs a binding.
   * @default {}
   */
  externals: z.record(dnsLabel, externalBindingSchema).default({}),
  /**
   * Host and kernel tuning of the environment as a whole: the gaps it accepts.
   * @default { accept: [] }
   */
  tuning: environmentTuningSchema.default({ accept: [] }),
  /** Where Argo CD takes generated/ from, for a Kubernetes target; without it Kiln writes no Application. */
  delivery: deliverySchema.optional(),
  /**
   * Breaking changes to generated Kubernetes objects this environment means to make (a smaller
   * volume, a changed selector): each is an error until acknowledged here, with the procedure that
   * lands it in the README's "Breaking changes". Remove an entry once the change has synced;
   * `kiln diff` warns about one that matches no change.
   * @default []
   */
  acknowledge: z.array(acknowledgementSchema).default([]),
  /**
   * Stage policies this environment knowingly breaks, each until a date:
   * `{ policy: 'pinned-images', service: 'api', reason: '…', expires: '2027-03-31' }`. `npx kiln policies`
   * lists the policies and every waiver; a waiver past its date is an error, one that covers nothing a warning.
   * @default []
   */
  waivers: z.array(waiverSchema).default([]),
  /**
   * Prometheus: scrape and evaluation intervals, platform catalogs, alert routing.
   * @default { scrapeInterval: '30s', evaluationInterval: '30s', platform: [], labels: {} }
   */
  monitoring: monitoringSchema.default({ scrapeInterval: '30s', evaluationInterval: '30s', platform: [], labels: {} }),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type ParsedEnvironment = z.output<typeof environmentSchema>;
export type KubernetesTargetInput = z.input<typeof kubernetesTargetSchema>;
export type OverrideInput = z.input<typeof overrideSchema>;
export type ExternalBindingInput = z.input<typeof externalBindingSchema>;
