/**
 * Breaking changes between two generated trees: changes to a Kubernetes object that the API server
 * refuses on update, or that lose data. What is immutable follows the API server's validation:
 * apps/v1 workloads' `spec.selector`; every field of a StatefulSet's spec but `replicas`,
 * `ordinals`, `template`, `updateStrategy`, `revisionHistoryLimit`,
 * `persistentVolumeClaimRetentionPolicy` and `minReadySeconds`; a Service's `clusterIP` once set
 * (unless it is or becomes an ExternalName: Kiln writes `None` or nothing, so what can change is
 * headless or not); and a claim's storage request, which may grow but not shrink. Service `type` changes are accepted (the API server clears what the new type does not
 * use), so they are no breaking change. Storage sizes are compared as quantities: `10Gi` is `10240Mi`.
 */
import type { BreakingChangeKind } from '@kiln/model';
import { compareQuantities, formatQuantity, parseQuantity } from '@kiln/model';
import { classify } from './classify.js';
import type { Files } from './diff.js';
import type { FieldChange } from './report.js';
import { diffTree } from './tree.js';
import { unitsOf } from './units.js';

export interface BreakingChange {
  /** The environment: the top folder of generated/. */
  readonly environment: string;
  /** The object's file, relative to generated/. */
  readonly file: string;
  /** `Kind/name`, as an acknowledgement names it. */
  readonly object: string;
  /** The object's namespace, if it has one. */
  readonly namespace?: string;
  readonly change: BreakingChangeKind;
  /** What changes, masked as kiln diff shows it: `spec.volumeClaimTemplates[data].spec.resources.requests.storage: 10Gi → 5Gi`. */
  readonly fields: readonly FieldChange[];
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);
const child = (value: unknown, key: string): unknown => (isPlain(value) ? value[key] : undefined);

/** Immutable spec fields by kind other than the claim templates, with the value the API server defaults them to. */
const IMMUTABLE: Readonly<Record<string, readonly { readonly field: string; readonly change: BreakingChangeKind; readonly default?: string }[]>> = {
  Deployment: [{ field: 'selector', change: 'selector' }],
  DaemonSet: [{ field: 'selector', change: 'selector' }],
  StatefulSet: [
    { field: 'selector', change: 'selector' },
    { field: 'serviceName', change: 'service-name' },
    { field: 'podManagementPolicy', change: 'pod-management-policy', default: 'OrderedReady' },
  ],
};

interface KubernetesObject {
  readonly environment: string;
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly value: Plain;
}

/**
 * The breaking changes from `before` to `after` (file maps relative to generated/), in file order.
 * An object is compared with the object of the same environment, kind, namespace and name; files
 * whose text is equal on both sides are never parsed, so either map may leave them out.
 */
export function breakingChanges(before: Files, after: Files): BreakingChange[] {
  const paths = [...after.keys()].filter((path) => before.has(path) && before.get(path) !== after.get(path));
  const old = new Map(objects(before, paths).map((o) => [key(o), o]));
  return objects(after, paths).flatMap((now) => {
    const was = old.get(key(now));
    return was === undefined ? [] : compare(was, now);
  });
}

function objects(files: Files, paths: readonly string[]): KubernetesObject[] {
  return paths.flatMap((file) => {
    const { environment, kind } = classify(file);
    if (kind !== 'kubernetes') return [];
    return unitsOf(file, files.get(file) ?? '', kind).flatMap((unit) => {
      const value = unit.value;
      const name = child(child(value, 'metadata'), 'name');
      const namespace = child(child(value, 'metadata'), 'namespace');
      if (!isPlain(value) || typeof value.kind !== 'string' || typeof name !== 'string') return [];
      return [{ environment, file, kind: value.kind, name, ...(typeof namespace === 'string' && { namespace }), value }];
    });
  });
}

const key = (o: KubernetesObject) => `${o.environment}\u0000${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;

function compare(was: KubernetesObject, now: KubernetesObject): BreakingChange[] {
  const before = isPlain(was.value.spec) ? was.value.spec : {};
  const after = isPlain(now.value.spec) ? now.value.spec : {};
  const changes: BreakingChange[] = [];
  const add = (change: BreakingChangeKind, fields: readonly FieldChange[]) => {
    if (fields.length > 0) changes.push({ environment: now.environment, file: now.file, object: `${now.kind}/${now.name}`, ...(now.namespace && { namespace: now.namespace }), change, fields });
  };
  for (const { field, change, default: fallback } of IMMUTABLE[now.kind] ?? []) {
    add(change, specFields(field, before[field] ?? fallback, after[field] ?? fallback));
  }
  if (now.kind === 'StatefulSet') {
    const templates = claimTemplateChanges(before.volumeClaimTemplates, after.volumeClaimTemplates);
    add('volume-shrink', templates.shrinks);
    if (templates.shrinks.length === 0) add('volume-claim-templates', templates.fields);
  }
  if (now.kind === 'PersistentVolumeClaim') {
    const shrink = shrinks('spec.resources.requests.storage', storage(before), storage(after));
    add('volume-shrink', shrink ? [shrink] : []);
  }
  if (now.kind === 'Service' && before.type !== 'ExternalName' && after.type !== 'ExternalName' && (before.clusterIP === 'None') !== (after.clusterIP === 'None')) {
    add('headless', specFields('clusterIP', before.clusterIP, after.clusterIP));
  }
  return changes;
}

/** The field changes of one spec field, with paths from the object's top (`spec.selector.matchLabels.app`). */
function specFields(field: string, before: unknown, after: unknown): FieldChange[] {
  return diffTree({ spec: { [field]: before } }, { spec: { [field]: after } });
}

/** A claim's (or a claim template's) storage request, as written. */
function storage(spec: unknown): string | undefined {
  const value = child(child(child(spec, 'resources'), 'requests'), 'storage');
  return typeof value === 'string' ? value : undefined;
}

function shrinks(path: string, before: string | undefined, after: string | undefined): FieldChange | undefined {
  if (before === undefined || after === undefined) return undefined;
  const was = parseQuantity(before);
  const now = parseQuantity(after);
  return was && now && compareQuantities(now, was) < 0 ? { path, before, after } : undefined;
}

/**
 * A claim template as the API server compares it: its storage request in canonical form (`10240Mi`
 * is `10Gi`), and the fields it defaults filled in, so writing a default out changes nothing.
 */
function canonical(template: unknown): unknown {
  if (!isPlain(template)) return template;
  const spec = isPlain(template.spec) ? template.spec : {};
  const size = storage(spec);
  const quantity = size === undefined ? undefined : parseQuantity(size);
  const resources = isPlain(spec.resources) ? spec.resources : {};
  const requests = isPlain(resources.requests) ? resources.requests : {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    ...template,
    spec: { volumeMode: 'Filesystem', ...spec, ...(quantity && { resources: { ...resources, requests: { ...requests, storage: formatQuantity(quantity) } } }) },
  };
}

/** Smaller volumes, and every other change, of a StatefulSet's claim templates, each template by its name. */
function claimTemplateChanges(before: unknown, after: unknown): { shrinks: FieldChange[]; fields: FieldChange[] } {
  const byName = (list: unknown) => new Map((Array.isArray(list) ? list : []).map((template, i) => [String(child(child(template, 'metadata'), 'name') ?? i), template]));
  const old = byName(before);
  const now = byName(after);
  const shrunk: FieldChange[] = [];
  const fields: FieldChange[] = [];
  for (const name of [...now.keys(), ...[...old.keys()].filter((name) => !now.has(name))]) {
    const path = `spec.volumeClaimTemplates[${name}]`;
    const shrink = shrinks(`${path}.spec.resources.requests.storage`, storage(child(old.get(name), 'spec')), storage(child(now.get(name), 'spec')));
    if (shrink) shrunk.push(shrink);
    fields.push(...diffTree(canonical(old.get(name)), canonical(now.get(name))).map((f) => ({ ...f, path: f.path === '' ? path : `${path}.${f.path}` })));
  }
  return { shrinks: shrunk, fields };
}
