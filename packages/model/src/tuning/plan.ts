/**
 * Where every sysctl and ulimit need of an environment lands, computed once from the resolved model:
 * the Kubernetes and Compose emitters read the pod and container parts (and the node tuning
 * DaemonSets), the hosts emitter the profiles and units, the runbooks the whole plan.
 */
import type { ContainerRuntime, UlimitMechanism } from '../model.js';

/** Who needs a setting and why (the reason is the author's, when given). */
export interface TuningNeed {
  readonly service: string;
  readonly reason?: string;
}

/** One line of a profile's sysctl.d file. */
export interface ProfileSysctl {
  readonly key: string;
  readonly value: string;
  /** Sorted by service; empty when Kiln added the line itself (see `note`). */
  readonly needs: readonly TuningNeed[];
  /** Why Kiln added or placed it here, beyond the services' reasons. */
  readonly note?: string;
}

/** One limits.d line pair (soft and hard) of a profile. */
export interface ProfileLimit {
  /** pam_limits domain: a user name, `uid:uid`, or `root`. */
  readonly domain: string;
  readonly item: string;
  readonly soft: number;
  readonly hard: number;
  readonly need: TuningNeed;
}

/** A set of machines tuned alike: a hosts machine role, the Docker host, a Kubernetes node pool. */
export interface HostProfile {
  readonly name: string;
  /** What the profile is applied to, for people (`machines rpc-1, rpc-2`, `the Docker host`, `node pool tuned`). */
  readonly appliesTo: readonly string[];
  /** Sorted by key. */
  readonly sysctls: readonly ProfileSysctl[];
  /** Sorted by domain, then item. Only hosts targets have PAM logins to limit. */
  readonly limits: readonly ProfileLimit[];
  /** The container runtime's default limits on the profile's nodes (pools with `ulimits: 'runtime'`), sorted by item. */
  readonly runtimeLimits: readonly RuntimeLimit[];
  /** The runtimes those limits are written for (the pools' `containerRuntime`), sorted. */
  readonly runtimes: readonly ContainerRuntime[];
}

/** One default limit of the container runtime: every container on the profile's nodes inherits it. */
export interface RuntimeLimit {
  readonly item: string;
  readonly soft: number;
  readonly hard: number;
  /** Sorted by service. */
  readonly needs: readonly TuningNeed[];
}

/** What a Kubernetes pod gets. */
export interface PodTuning {
  /** The pool whose kubelets the pod's needs rely on. */
  readonly pool: string;
  /** Sorted by name; values are strings, as the API wants them. */
  readonly sysctls: readonly { readonly name: string; readonly value: string }[];
  /** Whether a sysctl is outside the kubelet's safe list (allowed only by the pool's flag). */
  readonly unsafe: boolean;
  /** The pool's labels, when the pod needs that pool's tuning; empty otherwise. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** How the container gets its ulimits, when it needs some and any is placed. */
  readonly ulimits?: UlimitMechanism;
  /**
   * With `ulimits: 'entrypoint'`: the container's command, wrapped
   * (`/bin/sh -c 'ulimit -S -n … && ulimit -H -n … && exec "$@"' kiln-ulimits <command…>`); args follow it unchanged.
   */
  readonly command?: readonly string[];
}

/** A privileged DaemonSet that writes a pool's node-level sysctls on each of its nodes. */
export interface NodeSysctlDaemonSet {
  readonly pool: string;
  readonly profile: string;
  /** `node-sysctls-<pool>`. */
  readonly name: string;
  /** `<namespace>-node-tuning`: the environment's namespace for node tuning, Pod Security level privileged. */
  readonly namespace: string;
  /** The pool's labels: the DaemonSet runs on its nodes only. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The profile's sysctls, sorted by key. */
  readonly sysctls: readonly { readonly key: string; readonly value: string }[];
  /** Node-level net.* keys are writable only from the node's own network namespace. */
  readonly hostNetwork: boolean;
}

/** A systemd unit's resource limits on hosts targets. */
export interface UnitTuning {
  /** `<service>.service`. */
  readonly unit: string;
  readonly service: string;
  /** The service runs as root: systemd does not enforce LimitNPROC there, TasksMax= does the job. */
  readonly root: boolean;
  /** Sorted by item. */
  readonly limits: readonly { readonly item: string; readonly soft: number; readonly hard: number; readonly reason?: string }[];
}

/** A need the environment leaves unmet on purpose. */
export interface AcceptedGap {
  readonly service: string;
  readonly sysctl?: string;
  readonly ulimit?: string;
  readonly reason: string;
}

export interface TuningPlan {
  /** Sorted by name. */
  readonly profiles: readonly HostProfile[];
  /** Kubernetes pods by service name. */
  readonly pods: Readonly<Record<string, PodTuning>>;
  /** Sorted by unit. */
  readonly units: readonly UnitTuning[];
  readonly accepted: readonly AcceptedGap[];
  /** Node tuning DaemonSets of Kubernetes pools with `nodeSysctls: 'daemonset'`, sorted by name. */
  readonly daemonSets: readonly NodeSysctlDaemonSet[];
}
