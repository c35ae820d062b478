/** Diagnostic codes of the Argo CD output. */
export const ArgoCdCode = {
  /** Two environments deploy to one namespace of one cluster: their apps would fight over the objects. */
  ARGOCD_SHARED_NAMESPACE: 'ARGOCD_SHARED_NAMESPACE',
  /** A synced folder would hold something that is not a Kubernetes object. */
  ARGOCD_NOT_AN_OBJECT: 'ARGOCD_NOT_AN_OBJECT',
  /** One object in two files of one app, or in two apps. */
  ARGOCD_REPEATED_OBJECT: 'ARGOCD_REPEATED_OBJECT',
  /** A generated Argo CD object fails its schema (a bug in Kiln). */
  ARGOCD_OBJECT_INVALID: 'ARGOCD_OBJECT_INVALID',
} as const;
export type ArgoCdCode = (typeof ArgoCdCode)[keyof typeof ArgoCdCode];
