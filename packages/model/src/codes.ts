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
  IMAGE_TAG_REQUIRED: 'IMAGE_TAG_REQUIRED',
  /** A plain value that is or holds a credential (secret-detector.ts): make it a `secret('…')` reference, or `plain(…, { reason })`. */
  SECRET_AS_PLAIN_VALUE: 'SECRET_AS_PLAIN_VALUE',
  REPLICAS_CONFLICT: 'REPLICAS_CONFLICT',
  AUTOSCALING_RANGE: 'AUTOSCALING_RANGE',
  PROBE_ACTION: 'PROBE_ACTION',
  DUPLICATE_MACHINE: 'DUPLICATE_MACHINE',
  SERVICE_NOT_PLACED: 'SERVICE_NOT_PLACED',
  MEMBER_COUNT_MISMATCH: 'MEMBER_COUNT_MISMATCH',
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
} as const;
export type ModelCode = (typeof ModelCode)[keyof typeof ModelCode];
