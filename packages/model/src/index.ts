export { ModelCode } from './codes.js';
export { defineEnvironment, defineSystem, peersOf, plain, secret, sourceOf, url } from './define.js';
export { hasOwnFiles, memberIdsIn, memberPodName } from './member-rules.js';
export { isBesu } from './besu-rules.js';
export { detectSecret, detectSecretInFile, detectSecretsInArgs } from './secret-detector.js';
export type { SecretFinding } from './secret-detector.js';
export { fingerprint, isCredentialName, isSecretName, maskText, SECRET_SHAPES, scanText, wordsOf } from './secret-patterns.js';
export type { MaskTextOptions, SecretMatch, SecretShape } from './secret-patterns.js';
export { own } from './records.js';
export { hostReferences, isOwnAddress } from './host-references.js';
export type { HostReference } from './host-references.js';
export { redact } from './redact.js';
export { dependentVariables, escapeDependentVariables, expandDependentVariables, referenceOrder } from './expansion.js';
export type { EnvironmentOf } from './define.js';
export type { Diagnostic, Issue, Severity } from './diagnostic.js';
export { acknowledgementSchema, BREAKING_CHANGES } from './acknowledge.js';
export type { Acknowledgement, AcknowledgementInput, BreakingChangeKind } from './acknowledge.js';
export { deliverySchema } from './delivery.js';
export { cloudNativePgAppSecret, DATABASE_SETTINGS, databaseSettingValue, databaseStoreSecrets, dataDirectory, POSTGRES_PORT } from './database.js';
export type { Database, DatabaseBackup, DatabaseBackupInput, DatabaseInput, DatabaseSetting, DatabaseVariable } from './database.js';
export { cronProblem } from './cron.js';
export type { Delivery, DeliveryInput } from './delivery.js';
export { STAGES } from './environment.js';
export type { EnvironmentInput, ExternalBindingInput, KubernetesTargetInput, OverrideInput, Stage } from './environment.js';
export { formatImage, imageIn, isPinned, isTag, parseImage } from './image.js';
export type { ImageReference } from './image.js';
export { closest, isDns1123Label, suggestName } from './names.js';
export { POLICIES, POLICY_IDS } from './policies.js';
export type { Policy, PolicyFinding, PolicyId } from './policies.js';
export { isIsoDate, waiverReport, waiverSchema } from './waivers.js';
export type { Waiver, WaiverInput, WaiverReport, WaiverStatus } from './waivers.js';
export { checkFollows, sharedImages } from './promotion.js';
export type { PromotedImage } from './promotion.js';
export { baseReplicas, disruptionBudget, maxReplicas, compareText, externalFlowsOf, externalSelection, externalsOf, hostUnits, dashboardPath, findPanel, hasMonitoring, hostFiles, panelIds, procedurePath, runbookPath, monitoredServices, peerList, receiverSecrets, secretsOf, servicesOf, systemSource, configFilesOf, hasMemberFiles, peerVariables, secretFilesOf } from './model.js';
export {
  composeRestart,
  CONFIG_HASH_KEY,
  configHash,
  CONTAINER_STOP_SIGNALS,
  FEATURE_GATES,
  gracePeriodSeconds,
  kubernetesStop,
  RELOADER_SECRET_ANNOTATION,
  restartSecrets,
  SECRET_REFRESH_INTERVAL,
  SHUTDOWN_MARGIN_SECONDS,
  STOP_SIGNALS,
  SYSTEMD_RESTART,
} from './lifecycle.js';
export type { KubernetesStop, SecretRotation, StopSignal } from './lifecycle.js';
export type {
  ComposeTarget,
  ComputeResources,
  ConnectionPool,
  ContainerHost,
  ContainerRuntime,
  EnvVar,
  Environment,
  External,
  ExternalSelection,
  Flow,
  Gateway,
  HostsTarget,
  KubernetesTarget,
  Machine,
  NodePool,
  PeerVariable,
  Port,
  Probe,
  ProbeAction,
  Probes,
  Resources,
  Scaling,
  SecretFile,
  SecretRef,
  Service,
  ServiceTls,
  Stateful,
  System,
  Ulimit,
  UlimitMechanism,
  Volume,
} from './model.js';
export type { Sources } from './normalize.js';
export { checkQuantity, compareQuantities, formatQuantity, parseQuantity, quantityBytes, quantityCores } from './quantity.js';
export type { Quantity } from './quantity.js';
export { ENVIRONMENT_SCHEMA_ID, environmentJsonSchema } from './json-schema.js';
export type { FieldDoc, FieldDocs } from './json-schema.js';
export { resolveEnvironment } from './resolve.js';
export type { Resolution, ResolutionOptions } from './resolve.js';
export type { EnvValueInput, PeersRefInput, ResourcesInput, SecretRefInput, ServiceInput, UrlRefInput } from './service.js';
export { isRouted, loadBalancedPorts, portUrl, TLS_KEYS } from './tls.js';
export { alertSchema, catalogSchema, duration, metricSchema, monitoringSchema, recordingRuleSchema, sloSchema } from './monitoring.js';
export type { AlertInput, CatalogInput, MetricInput, MonitoringInput, RecordingRuleInput, SloInput } from './monitoring.js';
export type { Alert, AlertTest, Catalog, Dashboard, Metric, Monitoring, Panel, Procedure, Receiver, RecordingRule, Slo } from './monitoring-model.js';
export { dashboardSchema, PANEL_TYPES, procedureSchema } from './observability.js';
export type { DashboardInput, PanelInput, ProcedureInput } from './observability.js';
export { dashboardUidOf } from './normalize.js';
export { cadvisor, defineCatalog, goRuntime, jvm, kubeStateMetrics, rustProcess, scrapeSeries } from './catalogs.js';
export { add, errorBudget, multiply, subtract } from './decimal.js';
export { environmentMetrics } from './metrics.js';
export { compileSlo, concreteSeries, metricOfSeries, parseSelector, pascalCase } from './slo.js';
export type { Selector } from './slo.js';
export { sysctlScope } from './sysctl.js';
export type { SysctlScope } from './sysctl.js';
export {
  ASSUMED_NODE_KERNEL,
  isSafeSysctl,
  kernelAtLeast,
  knownSysctls,
  parseKernelVersion,
  safeSysctls,
  sysctlInfo,
  sysctlNamespace,
  validateSysctlSet,
  validateSysctlValue,
} from './sysctl-knowledge/index.js';
export type {
  KernelVersion,
  NamespacedSysctlEntry,
  NodeSysctlEntry,
  SafeInKubernetes,
  SysctlEntry,
  SysctlField,
  SysctlProblem,
  SysctlProblemReason,
  SysctlValueFormat,
} from './sysctl-knowledge/index.js';
export type { ExternalInput, FlowInput, SystemInput } from './system.js';
export type { AcceptedGap, HostProfile, NodeSysctlDaemonSet, PodTuning, ProfileLimit, ProfileSysctl, RuntimeLimit, TuningNeed, TuningPlan, UnitTuning } from './tuning/plan.js';
export { DEFAULT_NR_OPEN, isKnownUlimit, KIB_IN_LIMITS_CONF, NOT_IN_DOCKER, runtimeSetsUlimit, SHELL_ULIMITS, ULIMITS } from './tuning/ulimits.js';
export { WRAPPER_NAME } from './tuning/entrypoint.js';
export { checkNodePools, NODE_TUNING_IMAGE, nodeTuningNamespace, PAUSE_IMAGE } from './tuning/node-pools.js';
