/** Diagnostic codes the Kubernetes emitter reports. */
export const KubernetesCode = {
  /** An object failed its kubernetes-models schema: a bug in Kiln or a value that slipped through. */
  OBJECT_INVALID: 'K8S_OBJECT_INVALID',
  /** CPU autoscaling without a CPU request: the HPA has nothing to compute utilization against. */
  HPA_WITHOUT_CPU_REQUEST: 'K8S_HPA_WITHOUT_CPU_REQUEST',
  /** A feature the cluster's Kubernetes version does not have. */
  VERSION_TOO_OLD: 'K8S_VERSION_TOO_OLD',
} as const;
