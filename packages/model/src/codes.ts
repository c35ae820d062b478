/** Every diagnostic code the model reports: one place, so the list is the documentation. */
export const ModelCode = {
  /** A field the schema does not know: usually a typo. */
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  /** A value of the wrong type, or a required field missing. */
  WRONG_TYPE: 'WRONG_TYPE',
  /** A value out of range or not one of the allowed values. */
  INVALID_VALUE: 'INVALID_VALUE',
  /** Not a DNS-1123 label, an IANA port name or a valid environment variable name. */
  INVALID_NAME: 'INVALID_NAME',
  INVALID_IMAGE: 'INVALID_IMAGE',
  QUANTITY_INVALID: 'QUANTITY_INVALID',
  QUANTITY_NOT_CANONICAL: 'QUANTITY_NOT_CANONICAL',
  LIMIT_BELOW_REQUEST: 'LIMIT_BELOW_REQUEST',
  DUPLICATE_SERVICE: 'DUPLICATE_SERVICE',
  DUPLICATE_PORT_NAME: 'DUPLICATE_PORT_NAME',
  PORT_CONFLICT: 'PORT_CONFLICT',
  DUPLICATE_SYSTEM: 'DUPLICATE_SYSTEM',
  UNKNOWN_SERVICE: 'UNKNOWN_SERVICE',
  UNKNOWN_PORT: 'UNKNOWN_PORT',
  /** `pinned-images` (a stage policy): an image without a tag or digest, or with `latest`. */
  IMAGE_TAG_REQUIRED: 'IMAGE_TAG_REQUIRED',
  /** A plain value that is or holds a credential (secret-detector.ts): make it a `secret('…')` reference, or `plain(…, { reason })`. */
  SECRET_AS_PLAIN_VALUE: 'SECRET_AS_PLAIN_VALUE',
  REPLICAS_CONFLICT: 'REPLICAS_CONFLICT',
  AUTOSCALING_RANGE: 'AUTOSCALING_RANGE',
  PROBE_ACTION: 'PROBE_ACTION',
  DUPLICATE_MACHINE: 'DUPLICATE_MACHINE',
  SERVICE_NOT_PLACED: 'SERVICE_NOT_PLACED',
  MEMBER_COUNT_MISMATCH: 'MEMBER_COUNT_MISMATCH',
  /** A member's own file (`secretFiles[].member`, `config.memberFiles`) for a member the service does not have, or for a service without members. */
  UNKNOWN_MEMBER: 'UNKNOWN_MEMBER',
  /** `peersOf()` a service that declares no peer list (`stateful.peers`). */
  NO_PEER_LIST: 'NO_PEER_LIST',
  /** A Besu node with no chain definition (`genesis-file` or `network`): it would join Ethereum mainnet. */
  BESU_CHAIN_UNDEFINED: 'BESU_CHAIN_UNDEFINED',
  NO_TARGET: 'NO_TARGET',
  INVALID_SYSCTL: 'INVALID_SYSCTL',
  /** A sysctl Kiln's knowledge base does not list, not declared `unlisted` with a reason. */
  UNKNOWN_SYSCTL: 'UNKNOWN_SYSCTL',
  /** A sysctl value the kernel would refuse or misread (format, range, order). */
  INVALID_SYSCTL_VALUE: 'INVALID_SYSCTL_VALUE',
  /** A ulimit name neither systemd nor pam_limits knows. */
  UNKNOWN_ULIMIT: 'UNKNOWN_ULIMIT',
  /** A service's override names a Kubernetes node pool the target does not declare. */
  UNKNOWN_NODE_POOL: 'UNKNOWN_NODE_POOL',
  /** A node-level sysctl with no host profile to go to (a Kubernetes service on the default pool). */
  SYSCTL_NOT_PLACED: 'SYSCTL_NOT_PLACED',
  /** A namespaced sysctl the pool's kubelet treats as unsafe and does not allow. */
  SYSCTL_UNSAFE_NOT_ALLOWED: 'SYSCTL_UNSAFE_NOT_ALLOWED',
  /** A sysctl safe only from a later Kubernetes version or on a newer node kernel than the target's. */
  SYSCTL_NOT_SAFE_YET: 'SYSCTL_NOT_SAFE_YET',
  /** Two services on one host profile need different values of one sysctl. */
  SYSCTL_CONFLICT: 'SYSCTL_CONFLICT',
  /** Two services running as one user on one host profile need different limits of one item. */
  LIMIT_CONFLICT: 'LIMIT_CONFLICT',
  /** A nofile limit above the profile's fs.nr_open. */
  NOFILE_ABOVE_NR_OPEN: 'NOFILE_ABOVE_NR_OPEN',
  /** An accepted tuning gap that is no gap (a warning). */
  TUNING_ACCEPT_UNUSED: 'TUNING_ACCEPT_UNUSED',
  /** A ulimit of a Kubernetes service no mechanism gives (the pool names none, or its mechanism cannot set that item). */
  ULIMIT_NOT_PLACED: 'ULIMIT_NOT_PLACED',
  /** The entrypoint wrapper would replace an image ENTRYPOINT Kiln does not know: the service declares no command. */
  ULIMIT_ENTRYPOINT_UNKNOWN: 'ULIMIT_ENTRYPOINT_UNKNOWN',
  /** A machine names a container host the hosts target does not declare. */
  UNKNOWN_CONTAINER_HOST: 'UNKNOWN_CONTAINER_HOST',
  /** Two environments on one cluster need different values of one setting on a node pool they share. */
  NODE_POOL_CONFLICT: 'NODE_POOL_CONFLICT',
  /** An alert without a runbook. */
  ALERT_WITHOUT_RUNBOOK: 'ALERT_WITHOUT_RUNBOOK',
  /** An alert without a test case that makes it fire. */
  ALERT_WITHOUT_TEST: 'ALERT_WITHOUT_TEST',
  /** Two test cases of one alert share a name. */
  DUPLICATE_TEST_CASE: 'DUPLICATE_TEST_CASE',
  /** A recording rule with `for`. */
  RECORDING_RULE_FOR: 'RECORDING_RULE_FOR',
  /** A record name that is not `level:metric:operations`. */
  INVALID_RECORD_NAME: 'INVALID_RECORD_NAME',
  /** An SLO whose SLI is no plain selector, or whose test series Kiln cannot choose. */
  SLO_SELECTOR: 'SLO_SELECTOR',
  /** Two SLOs, or two receivers, with one name. */
  DUPLICATE_NAME: 'DUPLICATE_NAME',
  /** Two dashboards of an environment with one uid. */
  DUPLICATE_DASHBOARD_UID: 'DUPLICATE_DASHBOARD_UID',
  /** A link (an alert's runbook, a panel, a procedure) to a dashboard or panel the environment does not have. */
  UNKNOWN_PANEL: 'UNKNOWN_PANEL',
  /** A procedure refers to a procedure the environment does not have. */
  UNKNOWN_PROCEDURE: 'UNKNOWN_PROCEDURE',
  /** A route names a receiver that is not declared. */
  UNKNOWN_RECEIVER: 'UNKNOWN_RECEIVER',
  /** `follows` names no environment, the environment itself, a later stage, or closes a cycle. */
  INVALID_FOLLOWS: 'INVALID_FOLLOWS',
  /** An environment runs an image its upstream stage never ran (a warning of `kiln check`). */
  IMAGE_NOT_PROMOTED: 'IMAGE_NOT_PROMOTED',
  /** A number too large for the field Kubernetes keeps it in (int32: 2^31 and above). */
  NUMBER_TOO_LARGE: 'NUMBER_TOO_LARGE',
  /** A label key whose name is over 63 characters or whose prefix is over 253. */
  LABEL_KEY_TOO_LONG: 'LABEL_KEY_TOO_LONG',
  /** Services that wait for each other (`dependsOn`) in a circle, or one that waits for itself; or variables that refer to each other. */
  DEPENDENCY_CYCLE: 'DEPENDENCY_CYCLE',
  /** Two mounts of one container on one path (scratch, configuration, volume, secret files). */
  MOUNT_PATH_CONFLICT: 'MOUNT_PATH_CONFLICT',
  /** A service's configuration files over the 1 MiB a ConfigMap holds. */
  CONFIG_TOO_LARGE: 'CONFIG_TOO_LARGE',
  /** An environment variable Kiln sets itself (a member's id, the peer list), also set by the author. */
  ENV_SET_BY_KILN: 'ENV_SET_BY_KILN',
  /** `$(NAME)` in a service with `expand: true` names no variable of the container. */
  UNKNOWN_VARIABLE: 'UNKNOWN_VARIABLE',
  /** A stop signal the target cannot deliver (a Kubernetes cluster without lifecycle.stopSignal, an image without `kill` or `sh`). */
  STOP_SIGNAL_UNDELIVERABLE: 'STOP_SIGNAL_UNDELIVERABLE',
  /** A grace period that leaves no margin over the application's own shutdown timeout. */
  GRACE_PERIOD_TOO_SHORT: 'GRACE_PERIOD_TOO_SHORT',
  /** The clients' connection pools at their most replicas exceed what the server accepts. */
  CONNECTION_BUDGET_EXCEEDED: 'CONNECTION_BUDGET_EXCEEDED',
  /** A directory the application writes to that is neither a volume nor scratch space, under a read-only root filesystem. */
  WRITE_PATH_READ_ONLY: 'WRITE_PATH_READ_ONLY',
  /** A rotation mode for a secret the service does not use. */
  UNKNOWN_SECRET: 'UNKNOWN_SECRET',
  /** `rotation: 'reload'` for a secret the service reads from an environment variable, which never changes in a running process. */
  ROTATION_NEEDS_RESTART: 'ROTATION_NEEDS_RESTART',
  // Stage policies (policies.ts): one code per policy, named for what is wrong (`pinned-images` keeps IMAGE_TAG_REQUIRED, above).
  /** `resources`: a service without CPU and memory requests and limits, or with a zero one. */
  RESOURCES_MISSING: 'RESOURCES_MISSING',
  /** `probes`: a service without a liveness probe, or a readiness probe while it serves a port. */
  PROBES_MISSING: 'PROBES_MISSING',
  /** `non-root`: a container that may run as root. */
  RUNS_AS_ROOT: 'RUNS_AS_ROOT',
  /** `read-only-root`: a container that can write its root filesystem. */
  WRITABLE_ROOT_FILESYSTEM: 'WRITABLE_ROOT_FILESYSTEM',
  /** `no-privilege-escalation`: a container that allows privilege escalation, or is privileged. */
  PRIVILEGE_ESCALATION: 'PRIVILEGE_ESCALATION',
  /** `no-host-namespaces`: a pod in the node's network, PID or IPC namespace. */
  HOST_NAMESPACE: 'HOST_NAMESPACE',
  /** `no-sensitive-host-mounts`: docker.sock or a system directory of the host mounted into a container. */
  SENSITIVE_HOST_MOUNT: 'SENSITIVE_HOST_MOUNT',
  /** `disruption-budget`: a multi-replica workload whose PodDisruptionBudget is missing or keeps nothing up. */
  DISRUPTION_BUDGET_MISSING: 'DISRUPTION_BUDGET_MISSING',
  /** `network-policy`: a workload in a namespace no default-deny NetworkPolicy covers. */
  NETWORK_POLICY_MISSING: 'NETWORK_POLICY_MISSING',
  /** `public-tls`: a public HTTP endpoint without TLS. */
  PUBLIC_PORT_WITHOUT_TLS: 'PUBLIC_PORT_WITHOUT_TLS',
  /** `alert-and-dashboard`: a service no alert or no dashboard watches. */
  SERVICE_UNMONITORED: 'SERVICE_UNMONITORED',
  /** `system-namespace`: an environment in `default` or a `kube-` namespace. */
  SYSTEM_NAMESPACE: 'SYSTEM_NAMESPACE',
  /** A waiver names a policy that does not exist. */
  UNKNOWN_POLICY: 'UNKNOWN_POLICY',
  /** A waiver past its `expires` date (the date Kiln runs with: `--date`, default today). */
  WAIVER_EXPIRED: 'WAIVER_EXPIRED',
  /** A waiver that covers no finding (a warning): fixed, or never needed. */
  WAIVER_STALE: 'WAIVER_STALE',
  /** TLS declared on a UDP port. */
  TLS_ON_UDP: 'TLS_ON_UDP',
  /** A port serves TLS, but its service does not say where it reads its certificate (`tls`). */
  TLS_FILES_MISSING: 'TLS_FILES_MISSING',
  /** Kiln is to issue certificates on a Kubernetes target that names no cert-manager issuer. */
  TLS_ISSUER_MISSING: 'TLS_ISSUER_MISSING',
  /** Metrics served on a TLS port: Kiln's scrape configurations use plain HTTP. */
  TLS_METRICS_PORT: 'TLS_METRICS_PORT',
  /** Host names on a port that is not plain HTTP (not declared HTTP, UDP, or TLS, which the Gateway terminates). */
  ROUTE_NOT_HTTP: 'ROUTE_NOT_HTTP',
  /** Host names on an internal port. */
  ROUTE_NOT_PUBLIC: 'ROUTE_NOT_PUBLIC',
  /** Host names without a Gateway to route them through (`targets.kubernetes.gateway`). */
  GATEWAY_MISSING: 'GATEWAY_MISSING',
  /** Source ranges nothing enforces: no Kubernetes target, or no public port on a LoadBalancer. */
  SOURCE_RANGES_UNUSED: 'SOURCE_RANGES_UNUSED',
  /** `url()` to a port that declares no `appProtocol`, so no scheme. */
  URL_NOT_HTTP: 'URL_NOT_HTTP',
  /** A value names a host (URL, `host:port`, DSN) that is neither a service of the environment nor an external endpoint it binds. */
  UNKNOWN_HOST: 'UNKNOWN_HOST',
  /** A value names a service or external endpoint that no flow from its service reaches (on that port). */
  HOST_WITHOUT_FLOW: 'HOST_WITHOUT_FLOW',
  /** A system declares an external endpoint the environment does not bind to a host or address block. */
  EXTERNAL_NOT_BOUND: 'EXTERNAL_NOT_BOUND',
  /** The environment binds an external endpoint no system declares. */
  UNKNOWN_EXTERNAL: 'UNKNOWN_EXTERNAL',
  /** A managed database whose ports are not the one TCP port 5432 that CloudNativePG's instances listen on. */
  DATABASE_PORT: 'DATABASE_PORT',
  /** A managed database without exactly one volume, its data. */
  DATABASE_VOLUME: 'DATABASE_VOLUME',
  /** A field a managed database cannot have (Kiln derives it, or the operator runs the pods): args, env, replicas, metrics … */
  DATABASE_CONFLICT: 'DATABASE_CONFLICT',
  /** A server parameter CloudNativePG sets itself and refuses. */
  DATABASE_PARAMETER_FIXED: 'DATABASE_PARAMETER_FIXED',
  /** The CloudNativePG operand image runs another PostgreSQL version than the service's image. */
  DATABASE_VERSION_MISMATCH: 'DATABASE_VERSION_MISMATCH',
  /** A production database on Kubernetes without backups to an object store (no point-in-time recovery). */
  DATABASE_BACKUP_REQUIRED: 'DATABASE_BACKUP_REQUIRED',
  /** A base backup schedule CloudNativePG would refuse or misread (five fields, a value out of range). */
  DATABASE_SCHEDULE_INVALID: 'DATABASE_SCHEDULE_INVALID',
  /** `databaseEnv` names a service that is no managed database, or `overrides.<service>.database` one that is none. */
  NOT_A_DATABASE: 'NOT_A_DATABASE',
  /** A managed database on a target Kiln cannot run it on (a hosts target). */
  DATABASE_TARGET_UNSUPPORTED: 'DATABASE_TARGET_UNSUPPORTED',
} as const;
export type ModelCode = (typeof ModelCode)[keyof typeof ModelCode];
