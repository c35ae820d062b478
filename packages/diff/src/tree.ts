/**
 * Field-level changes between two parsed documents: objects key by key, lists item by item (by
 * name where the items have one), text line by line, JSON inside a string (a dashboard in a
 * ConfigMap) as JSON. Every value is masked on the way out.
 */
import { fingerprint, isCredentialPath, maskText } from './mask.js';
import { unifiedLines } from './lines.js';
import type { FieldChange } from './report.js';

/** Which paths hold secrets by their place (a Secret's `data`), beyond credential-like names. */
export type SensitivePlace = (segments: readonly string[]) => boolean;

export interface TreeOptions {
  readonly sensitive?: SensitivePlace;
  /** Mask `key = value` lines inside multi-line strings (configuration files) as well as credential shapes. */
  readonly keyValueText?: boolean;
  /** The resource was renamed: a list item named `from` before is the item named `to` after (`containers[web]` → `containers[storefront]`). */
  readonly rename?: { readonly from: string; readonly to: string };
}

/**
 * Keys that name a list item, in order of preference: `containers[api]`, `rules[HighErrorRate]`,
 * `panels[Requests]`; a Compose mount by its path in the container (`volumes[/var/lib/bitquan]`).
 */
const NAME_KEYS = ['name', 'alert', 'record', 'job_name', 'uid', 'title', 'refId', 'secretKey', 'target'] as const;

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlain(a) && isPlain(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `spec.replicas`, `metadata.labels[app.kubernetes.io/name]`; a top-level key as it is (`net.core.rmem_max`, `## Impact`). */
function keyPath(path: string, key: string): string {
  if (path === '') return key;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${key}]`;
}

const itemPath = (path: string, name: string): string => `${path}[${name}]`;

/** Names of a list's items (`api`, `api#2` for a second `api`), or undefined when not every item has one. */
function itemNames(items: readonly unknown[]): { names: string[]; key: (item: unknown) => string | undefined } | undefined {
  const keyOf = (item: unknown): string | undefined => (isPlain(item) ? NAME_KEYS.find((key) => typeof item[key] === 'string' && item[key] !== '') : undefined);
  // An empty list takes the naming of the other side.
  if (!items.every((item) => keyOf(item) !== undefined)) return undefined;
  const seen = new Map<string, number>();
  const names = items.map((item) => {
    const name = (item as Plain)[keyOf(item) as string] as string;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}#${count}`;
  });
  return { names, key: keyOf };
}

class Walker {
  readonly out: FieldChange[] = [];

  constructor(private readonly options: TreeOptions) {}

  private secret(segments: readonly string[]): boolean {
    return isCredentialPath(segments) || (this.options.sensitive?.(segments) ?? false);
  }

  /** A value for display: masked, strings as they are, the rest as compact JSON. */
  render(value: unknown, segments: readonly string[]): { text: string; masked: boolean } {
    if (this.secret(segments) && !isPlain(value) && !Array.isArray(value)) return { text: fingerprint(value), masked: true };
    const clone = this.maskedClone(value, segments);
    if (typeof clone === 'string') return { text: clone === '' ? '""' : clone, masked: clone !== value };
    return { text: JSON.stringify(clone) ?? 'null', masked: JSON.stringify(clone) !== JSON.stringify(value) };
  }

  /** The value with every secret leaf fingerprinted and credential shapes masked; a list item's name stays (the path shows it anyway). */
  private maskedClone(value: unknown, segments: readonly string[]): unknown {
    if (Array.isArray(value)) {
      const named = itemNames(value);
      return value.map((item, i) => {
        const itemSegments = [...segments, named?.names[i] ?? String(i)];
        const nameKey = named?.key(item);
        if (isPlain(item) && nameKey !== undefined) {
          return Object.fromEntries(Object.entries(item).map(([key, child]) => [key, key === nameKey ? child : this.maskedClone(child, [...itemSegments, key])]));
        }
        return this.maskedClone(item, itemSegments);
      });
    }
    if (isPlain(value)) {
      // A list item's name is in its path already (`env[DB_PASSWORD]`): showing it again hides nothing.
      const shown = segments[segments.length - 1];
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, (NAME_KEYS as readonly string[]).includes(key) && child === shown ? child : this.maskedClone(child, [...segments, key])]));
    }
    if (this.secret(segments)) return fingerprint(value);
    return typeof value === 'string' ? maskText(value, { keyValues: this.options.keyValueText === true }) : value;
  }

  private text(value: string, segments: readonly string[]): string {
    return this.secret(segments) ? fingerprint(value) : maskText(value, { keyValues: this.options.keyValueText === true });
  }

  /** One change at `path`; multi-line text becomes a line diff. */
  private change(path: string, segments: readonly string[], before: unknown, after: unknown): void {
    const multiLine = (value: unknown) => typeof value === 'string' && value.includes('\n');
    const textual = (value: unknown) => value === undefined || typeof value === 'string';
    if ((multiLine(before) || multiLine(after)) && textual(before) && textual(after) && !this.secret(segments)) {
      const lines = unifiedLines(this.text((before as string | undefined) ?? '', segments), this.text((after as string | undefined) ?? '', segments));
      if (lines.length > 0) this.out.push({ path, lines });
      return;
    }
    const b = before === undefined ? undefined : this.render(before, segments);
    const a = after === undefined ? undefined : this.render(after, segments);
    const masked = (b?.masked ?? false) || (a?.masked ?? false);
    if (b !== undefined && a !== undefined && b.text === a.text && !masked) return;
    this.out.push({ path, ...(b && { before: b.text }), ...(a && { after: a.text }), ...(masked && { masked: true }) });
  }

  diff(before: unknown, after: unknown, path: string, segments: readonly string[]): void {
    if (deepEqual(before, after)) return;
    if (isPlain(before) && isPlain(after)) {
      const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !Object.hasOwn(after, key))];
      for (const key of keys) this.diff(before[key], after[key], keyPath(path, key), [...segments, key]);
      return;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
      this.diffList(before, after, path, segments);
      return;
    }
    const embedded = typeof before === 'string' && typeof after === 'string' ? [parseEmbedded(before), parseEmbedded(after)] : undefined;
    if (embedded && embedded[0] !== undefined && embedded[1] !== undefined) {
      this.diff(embedded[0], embedded[1], path, segments);
      return;
    }
    this.change(path, segments, before, after);
  }

  private diffList(before: readonly unknown[], after: readonly unknown[], path: string, segments: readonly string[]): void {
    const namedBefore = itemNames(before);
    const namedAfter = itemNames(after);
    if (namedBefore && namedAfter && (before.length > 0 || after.length > 0)) {
      const rename = this.options.rename;
      const renamed = rename !== undefined && namedBefore.names.includes(rename.from) && !namedBefore.names.includes(rename.to) && namedAfter.names.includes(rename.to) && !namedAfter.names.includes(rename.from);
      const old = new Map(namedBefore.names.map((name, i) => [renamed && name === rename.from ? rename.to : name, before[i]]));
      const now = new Map(namedAfter.names.map((name, i) => [name, after[i]]));
      for (const name of [...now.keys(), ...[...old.keys()].filter((name) => !now.has(name))]) {
        this.diff(old.get(name), now.get(name), itemPath(path, name), [...segments, name]);
      }
      return;
    }
    const scalars = (list: readonly unknown[]) => list.every((item) => !isPlain(item) && !Array.isArray(item));
    if (scalars(before) && scalars(after)) {
      // A list of plain values (args, ports, hosts) reads best whole.
      this.change(path, segments, before, after);
      return;
    }
    for (let i = 0; i < Math.max(before.length, after.length); i++) this.diff(before[i], after[i], `${path}[${i}]`, [...segments, String(i)]);
  }

  /** Every leaf of a value, as added fields: the content of a new resource. */
  list(value: unknown, path: string, segments: readonly string[]): void {
    if (isPlain(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) this.list(child, keyPath(path, key), [...segments, key]);
      return;
    }
    if (Array.isArray(value) && value.length > 0 && !value.every((item) => !isPlain(item) && !Array.isArray(item))) {
      const named = itemNames(value);
      value.forEach((item, i) => {
        const name = named?.names[i];
        this.list(item, name === undefined ? `${path}[${i}]` : itemPath(path, name), [...segments, name ?? String(i)]);
      });
      return;
    }
    const embedded = typeof value === 'string' ? parseEmbedded(value) : undefined;
    if (embedded !== undefined) {
      this.list(embedded, path, segments);
      return;
    }
    this.change(path, segments, undefined, value);
  }
}

/** JSON inside a string (a dashboard in a ConfigMap's data), or undefined. */
function parseEmbedded(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The field changes from `before` to `after`. */
export function diffTree(before: unknown, after: unknown, options: TreeOptions = {}): FieldChange[] {
  const walker = new Walker(options);
  walker.diff(before, after, '', []);
  return walker.out;
}

/** Every field of a value, as added: what a new resource holds. */
export function listTree(value: unknown, options: TreeOptions = {}): FieldChange[] {
  const walker = new Walker(options);
  walker.list(value, '', []);
  return walker.out;
}
