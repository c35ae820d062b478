/** Diagnostic codes of breaking changes between two generated trees. */
export const DiffCode = {
  /** A volume's storage request goes down: the API server refuses it, and smaller means new, empty volumes. */
  VOLUME_SHRINK: 'VOLUME_SHRINK',
  /** A field the API server refuses to change: a selector, a StatefulSet's serviceName or claim templates, a Service's clusterIP. */
  IMMUTABLE_FIELD_CHANGED: 'IMMUTABLE_FIELD_CHANGED',
  /** An acknowledgement that matches no change between the base and the working tree. */
  ACKNOWLEDGEMENT_STALE: 'ACKNOWLEDGEMENT_STALE',
} as const;
export type DiffCode = (typeof DiffCode)[keyof typeof DiffCode];
