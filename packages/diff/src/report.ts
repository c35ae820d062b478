/**
 * What a diff says, as data. `DiffDocument` is the stable JSON shape of `kiln diff --format json`:
 * fields are only ever added to it, never renamed or removed, while `schema` stays
 * `kiln.dev/diff/v1`. Every value in it is already masked: a secret-like value appears only as its
 * fingerprint.
 */

/** Output kinds, in the order they are reported. */
export const OUTPUT_KINDS = ['kubernetes', 'compose', 'prometheus', 'alertmanager', 'grafana', 'runbooks', 'host', 'other'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const CHANGE_TYPES = ['added', 'changed', 'removed', 'renamed'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** The group of files at the top of generated/ (the index); no environment can be named so. */
export const INDEX_GROUP = '(index)';

export interface FieldChange {
  /**
   * Where in the resource: object keys joined by `.`, list items by their name where they have one
   * (`spec.template.spec.containers[api].image`), else by position (`steps[1].value`); a Markdown
   * section by its heading; `''` for a whole file compared line by line.
   */
  readonly path: string;
  /** The value before, rendered (strings as they are, anything else as compact JSON); absent when the field was added. */
  readonly before?: string;
  /** The value after; absent when the field was removed. */
  readonly after?: string;
  /** Text compared line by line: unified-diff lines, each starting with `' '`, `'-'`, `'+'` or `'@@'`. Replaces before/after. */
  readonly lines?: readonly string[];
  /** True when before/after are fingerprints (`(sha256:1a2b3c4d)`) of a secret-like value. */
  readonly masked?: boolean;
}

export interface ResourceRef {
  /** Stable key of the resource inside its environment and kind (Kubernetes: `apiVersion/kind/namespace/name`). */
  readonly id: string;
  /** The resource as people name it: `Deployment shop/api`, `alert HighErrorRate`, `service api`, `runbook high-error-rate`. */
  readonly name: string;
  /** Its file, relative to generated/. */
  readonly file: string;
}

export interface ResourceChange extends ResourceRef {
  /** The environment (top folder of generated/), `argocd`, or `(index)` for files at the top of generated/. */
  readonly environment: string;
  readonly kind: OutputKind;
  /** Kubernetes kind, or `alert`, `record`, `service`, `dashboard`, `runbook`, `file`, …: renames pair resources of one type. */
  readonly type: string;
  readonly change: ChangeType;
  /** For a rename: what the resource was before. */
  readonly previous?: ResourceRef;
  /** For a rename: how alike the two are, 0–1 (names aside). */
  readonly similarity?: number;
  /**
   * Field-level changes. An added resource lists its content; a removed one lists nothing (its
   * content is in the base revision); a changed or renamed one lists what differs.
   */
  readonly fields: readonly FieldChange[];
}

export interface Counts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly renamed: number;
}

export interface SummaryRow extends Counts {
  readonly environment: string;
  readonly kind: OutputKind;
}

/** The result of comparing two trees. */
export interface DiffReport {
  /** One row per environment and kind with any change, in report order. */
  readonly summary: readonly SummaryRow[];
  /** Every change, sorted by environment, kind (in `OUTPUT_KINDS` order), file and id. */
  readonly resources: readonly ResourceChange[];
  readonly totals: Counts;
}

/** `kiln diff --format json`. */
export interface DiffDocument extends DiffReport {
  readonly schema: 'kiln.dev/diff/v1';
  /** The base revision: the ref as given and the commit it named. */
  readonly base: { readonly ref: string; readonly commit: string };
  /** The other side: always the working tree's environments, compiled in memory. */
  readonly head: 'working-tree';
  /** Whether anything differs (what `--exit-code` turns into exit 1). */
  readonly changed: boolean;
}

export function isEmpty(report: DiffReport): boolean {
  return report.resources.length === 0;
}
