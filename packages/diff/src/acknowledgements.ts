/**
 * Breaking changes held against the environments' acknowledgements. An unacknowledged one is an
 * error on the environment's file naming the object, the fields, why the cluster will not take it
 * and the procedure that lands it (the README's "Breaking changes" has them in full). Against a base
 * revision (`kiln diff`), an acknowledgement matching no change is a warning: the change has landed,
 * and the entry would let the same change through again unnoticed. `generate` and `check` compare
 * with the working tree's generated/, which holds the change as soon as it is generated, so there
 * an unmatched acknowledgement says nothing and is not reported.
 */
import { closest } from '@kiln/model';
import type { BreakingChangeKind, Diagnostic, Environment } from '@kiln/model';
import type { BreakingChange } from './breaking.js';
import { DiffCode } from './codes.js';
import type { FieldChange } from './report.js';

const kubectl = (change: BreakingChange) => `kubectl${change.namespace ? ` -n ${change.namespace}` : ''}`;
/** `statefulset postgres`, as kubectl names it. */
const resource = (change: BreakingChange) => change.object.replace(/^([^/]+)\//, (_, kind: string) => `${kind.toLowerCase()} `);
const recreate = (change: BreakingChange) => `${kubectl(change)} delete ${resource(change)} --cascade=orphan (its pods keep running) and let Argo CD create it again`;

/** Why the cluster will not take each change, and how to land it. */
const PROCEDURES: Readonly<Record<BreakingChangeKind, { readonly why: string; readonly fix: (change: BreakingChange) => string }>> = {
  'volume-shrink': {
    why: 'A volume cannot shrink: the API server refuses a smaller claim, and a smaller volume is a new, empty one',
    fix: () => 'keep the size; or back the data up, delete the workload and its claims, let Argo CD create them at the new size and restore',
  },
  'volume-claim-templates': {
    why: "A StatefulSet's volumeClaimTemplates cannot change: the API server refuses the update and the sync fails",
    fix: (change) => `${recreate(change)}; a larger size reaches existing claims only by hand (kubectl patch pvc on each; its StorageClass must allow volume expansion)`,
  },
  'service-name': {
    why: "A StatefulSet's serviceName cannot change: the API server refuses the update and the sync fails",
    fix: (change) => `${recreate(change)}, then ${kubectl(change)} rollout restart ${resource(change)} so the pods take the new name`,
  },
  'pod-management-policy': {
    why: "A StatefulSet's podManagementPolicy cannot change: the API server refuses the update and the sync fails",
    fix: recreate,
  },
  selector: {
    why: "A workload's spec.selector cannot change: the API server refuses the update and the sync fails",
    fix: (change) => `${recreate(change)}, then delete what the old one left (its ReplicaSet or pods) once the new pods are ready; or rename the service, so a new workload replaces the old`,
  },
  headless: {
    why: "A Service's clusterIP cannot change: the API server refuses a switch to headless and keeps clusterIP: None on a switch back",
    fix: (change) => `${kubectl(change)} delete ${resource(change)} and let Argo CD create it again (the name does not resolve in between)`,
  },
};

const shown = (field: FieldChange) => (field.lines ? `${field.path} (text changed)` : `${field.path}: ${field.before ?? '(absent)'} → ${field.after ?? '(absent)'}`);

/** What the judging reads of an environment. */
export type Acknowledging = Pick<Environment, 'name' | 'source' | 'acknowledge'>;

const matches = (change: BreakingChange, environment: Acknowledging) => (environment.acknowledge ?? []).some((a) => a.change === change.change && a.object === change.object);

export interface AcknowledgementOptions {
  /** Report acknowledgements that match no change: right against a base revision only. */
  readonly stale: boolean;
}

/** The diagnostics of breaking changes found between two trees, for the environments they belong to. */
export function breakingDiagnostics(changes: readonly BreakingChange[], environments: readonly Acknowledging[], options: AcknowledgementOptions): Diagnostic[] {
  const byName = new Map(environments.map((environment) => [environment.name, environment]));
  const errors = changes.flatMap((change): Diagnostic[] => {
    const environment = byName.get(change.environment);
    if (environment && matches(change, environment)) return [];
    const file = environment?.source ?? 'environments/';
    const { why, fix } = PROCEDURES[change.change];
    const fields = change.fields.slice(0, 3).map(shown).join('; ') + (change.fields.length > 3 ? ` (and ${change.fields.length - 3} more)` : '');
    // An acknowledgement of this change that misspells the object: say which one it meant.
    const misspelled = (environment?.acknowledge ?? []).findIndex((a) => a.change === change.change && closest(a.object, [change.object]) !== undefined);
    const typo = misspelled < 0 ? '' : `acknowledge[${misspelled}] names '${environment?.acknowledge?.[misspelled]?.object ?? ''}': did you mean '${change.object}'? `;
    return [
      {
        code: change.change === 'volume-shrink' ? DiffCode.VOLUME_SHRINK : DiffCode.IMMUTABLE_FIELD_CHANGED,
        severity: 'error',
        file,
        path: '',
        message: `${change.object} (generated/${change.file}) changes ${fields}. ${why}`,
        hint: `${typo}${fix(change)} (README: Breaking changes); then acknowledge it in ${file}: acknowledge: [{ change: '${change.change}', object: '${change.object}', reason: '…' }]`,
      },
    ];
  });
  if (!options.stale) return errors;
  const stale = environments.flatMap((environment) =>
    (environment.acknowledge ?? []).flatMap((acknowledgement, index): Diagnostic[] =>
      changes.some((change) => change.environment === environment.name && change.change === acknowledgement.change && change.object === acknowledgement.object)
        ? []
        : [
            {
              code: DiffCode.ACKNOWLEDGEMENT_STALE,
              severity: 'warning',
              file: environment.source,
              path: `acknowledge[${index}]`,
              message: `acknowledges a ${acknowledgement.change} change of ${acknowledgement.object}, but nothing between the base and this tree makes one`,
              hint: 'remove it once the change has synced (left in place, it lets the same change through again); if the change is still to come, check the Kind/name',
            },
          ],
    ),
  );
  return [...errors, ...stale];
}
