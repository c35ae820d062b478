/**
 * Breaking changes an environment acknowledges: changes to a generated Kubernetes object that the
 * API server refuses (an immutable field) or that lose data (a smaller volume). Kiln refuses each
 * one (`kiln generate`, `kiln check`, `kiln diff`) unless the environment names it here, because it
 * only lands by hand: the README's "Breaking changes" section has the procedure for each.
 */
import { z } from 'zod';

/**
 * The changes, by what changes:
 * - `volume-shrink`: a volume's storage request goes down (a PersistentVolumeClaim or a
 *   StatefulSet's `volumeClaimTemplates`): volumes cannot shrink, the data must move;
 * - `volume-claim-templates`: any other change of a StatefulSet's `volumeClaimTemplates` (a larger
 *   size, a storage class, a new volume);
 * - `service-name`, `pod-management-policy`: a StatefulSet's `serviceName`, `podManagementPolicy`;
 * - `selector`: a Deployment's, StatefulSet's or DaemonSet's `spec.selector`;
 * - `headless`: a Service switching between headless (`clusterIP: None`) and not.
 */
export const BREAKING_CHANGES = ['volume-shrink', 'volume-claim-templates', 'service-name', 'pod-management-policy', 'selector', 'headless'] as const;
export type BreakingChangeKind = (typeof BREAKING_CHANGES)[number];

export const acknowledgementSchema = z.strictObject({
  /** The change (see `BREAKING_CHANGES`). */
  change: z.enum(BREAKING_CHANGES),
  /** The object it changes, as `Kind/name`: `StatefulSet/postgres`, `Service/postgres-headless`. */
  object: z.string().regex(/^[A-Z][A-Za-z0-9]*\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "write the object as Kind/name, e.g. 'StatefulSet/postgres'"),
  /** Why, and who runs the procedure when it syncs; reviewers read it. */
  reason: z.string().min(1),
});

export type AcknowledgementInput = z.input<typeof acknowledgementSchema>;
export type Acknowledgement = Readonly<z.output<typeof acknowledgementSchema>>;
