/**
 * zod's issues as Kiln issues: what was found and what the field takes, read from the input itself
 * (zod keeps no input on its issues), one issue per unknown key with the closest known one, and the
 * codes and fixes Kiln's own refinements carry in `params`.
 */
import { z } from 'zod';
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import { closest } from './names.js';

/**
 * Stands in for a `__proto__` key while `userRecord` (checks.ts) parses a record: zod drops that key, lest
 * it set the prototype of the object it builds. Issues show it as what the author wrote.
 */
export const PROTO_STAND_IN = '\u0000__proto__';

const ZOD_CODES: Record<string, ModelCode> = {
  unrecognized_keys: ModelCode.UNKNOWN_FIELD,
  invalid_type: ModelCode.WRONG_TYPE,
  invalid_union: ModelCode.WRONG_TYPE,
  invalid_key: ModelCode.INVALID_NAME,
};

type Path = (string | number)[];

/** `input` is what was parsed against `schema`: found values are read from it, known fields from the schema. */
export function issuesFromZod(error: z.ZodError, input: unknown, schema: z.ZodType): Issue[] {
  const issues: Issue[] = [];
  const visit = (issue: z.core.$ZodIssue, prefix: Path): void => {
    const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : segment === PROTO_STAND_IN ? '__proto__' : String(segment)))];
    if (issue.code === 'unrecognized_keys') {
      const known = fieldsAt(schema, path);
      for (const key of issue.keys) {
        const near = closest(key, known);
        const hint = near === undefined ? 'remove it, or check its spelling against `npx kiln schema`' : `did you mean '${near}'? If not, remove it`;
        issues.push({ code: ModelCode.UNKNOWN_FIELD, path: [...path, key], message: `unknown field '${key}'`, hint });
      }
      return;
    }
    if (issue.code === 'invalid_key' || (issue.code === 'invalid_element' && issue.issues.length > 0)) {
      for (const inner of issue.issues) visit(inner, issue.code === 'invalid_key' ? path.slice(0, -1) : path);
      return;
    }
    // A union one of whose alternatives has the value's shape: that alternative's own issues say more.
    const matched = issue.code === 'invalid_union' ? issue.errors.filter((branch) => branch.every((inner) => inner.path.length > 0)) : [];
    if (matched.length === 1) {
      for (const inner of matched[0] ?? []) visit(inner, path);
      return;
    }
    const params = issue.code === 'custom' ? (issue.params as { code?: string; hint?: string } | undefined) : undefined;
    const code = params?.code ?? ZOD_CODES[issue.code] ?? ModelCode.INVALID_VALUE;
    const { message, hint } = messageFor(issue, path, input);
    issues.push({ code, path, message, hint: params?.hint ?? hint });
  };
  for (const issue of error.issues) visit(issue, []);
  return issues;
}

/** The message and fix for one of zod's own issues, from the value found and what was expected. */
function messageFor(issue: z.core.$ZodIssue, path: Path, input: unknown): { message: string; hint: string } {
  const field = String(path[path.length - 1] ?? 'the value');
  const found = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_union':
    case 'invalid_value': {
      const values = issue.code === 'invalid_value' ? `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : expected(issue, path);
      if (!found.present) return { message: 'required field is missing', hint: `add '${field}' (${values})` };
      if (issue.code === 'invalid_value') return { message: `found ${describe(found.value)}, expected ${values}`, hint: oneOf(found.value, issue.values) };
      return { message: `found ${describe(found.value)}, expected ${values}`, hint: fixFor(found.value, issue, path) };
    }
    case 'invalid_format':
      // zod's own text for a pattern is the regular expression itself: say what was found instead.
      return { message: issue.format === 'regex' && !ownMessage(issue) ? `'${String(found.value)}' is not in the form this field takes` : `'${String(found.value)}': ${issue.message}`, hint: 'see `npx kiln schema` for what the field accepts' };
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}` : `${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
      const one = (issue.code === 'too_small' ? issue.minimum : issue.maximum) === 1;
      const unit = issue.origin === 'array' ? (one ? ' item' : ' items') : issue.origin === 'string' ? (one ? ' character' : ' characters') : '';
      return { message: `found ${describe(found.value)}, expected ${bound}${unit}`, hint: `use ${bound}${unit}` };
    }
    default:
      return { message: issue.message, hint: 'see `npx kiln schema` for what the field accepts' };
  }
}

/** Whether the schema gave the issue its own message (zod's default is generic, or a raw pattern). */
function ownMessage(issue: z.core.$ZodIssue): boolean {
  const fallback = z.config().localeError?.(issue as never);
  return issue.message !== (typeof fallback === 'string' ? fallback : fallback?.message);
}

/** What a field takes: a union's own description if it has one, else the types its alternatives take. */
function expected(issue: z.core.$ZodIssueInvalidType | z.core.$ZodIssueInvalidUnion, path: Path): string {
  if (issue.code === 'invalid_type') {
    const field = path[path.length - 1];
    return issue.expected === 'array' && typeof field === 'string' ? `an array of ${field}` : typeName(issue.expected);
  }
  if (ownMessage(issue)) return issue.message;
  const types = [...new Set(issue.errors.flatMap((branch) => branch.flatMap((inner) => (inner.code === 'invalid_type' && inner.path.length === 0 ? [typeName(inner.expected)] : []))))];
  return types.length === 0 ? 'what `npx kiln schema` describes' : types.length === 1 ? (types[0] ?? '') : `${types.slice(0, -1).join(', ')} or ${types.at(-1) ?? ''}`;
}

function typeName(type: string): string {
  if (type === 'int') return 'a whole number';
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** What the author wrote, as they would read it back. */
function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof (value as { then?: unknown }).then === 'function') return 'a promise';
  return 'an object';
}

/** The fix for a value of the wrong type: where such values come from, or how to write it. */
function fixFor(value: unknown, issue: z.core.$ZodIssueInvalidType | z.core.$ZodIssueInvalidUnion, path: Path): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  // A list item is named by its list (`item 0 of 'systems'`), the export itself as such.
  const field = typeof last === 'number' ? `item ${last} of '${String(parent)}'` : last === undefined ? 'the default export' : `'${last}'`;
  if (value === undefined) return 'check the import or expression that gives it: a name its module does not export, or a misspelled property, is undefined';
  if (value === null) return typeof last === 'number' ? `remove it from '${String(parent)}', or give it a value` : `give ${field} a value, or leave it out`;
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN is what arithmetic on something that is no number gives (undefined, a string): check the expression';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} is what a division by zero or an overflow gives: check the expression`;
  if (typeof (value as { then?: unknown } | undefined)?.then === 'function') return 'a value must be there when the file loads: await it at the top level, or compute it without a promise';
  const wanted = issue.code === 'invalid_type' ? issue.expected : undefined;
  if (wanted === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return `write ${Number(value)}, without quotes`;
  if (wanted === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `write it as a string: '${String(value)}'`;
  if (wanted === 'array') return `write ${field} as a list: [ … ]`;
  return wanted === undefined ? 'see `npx kiln schema` for what the field accepts' : `give ${field} ${typeName(wanted)}`;
}

function oneOf(value: unknown, values: readonly unknown[]): string {
  const near = typeof value === 'string' ? closest(value, values.filter((v): v is string => typeof v === 'string')) : undefined;
  const all = `one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return near === undefined ? `use ${all}` : `did you mean '${near}'? Use ${all}`;
}

/** The value at a path of the input, and whether anything is there (a key set to undefined is). */
function valueAt(input: unknown, path: Path): { present: boolean; value: unknown } {
  let node = input;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return { present: false, value: undefined };
    node = (node as Record<string | number, unknown>)[segment];
  }
  return { present: true, value: node };
}

/** zod's definition of a schema, as far as finding the fields of an object inside it needs. */
interface Definition {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

/** The fields the object(s) at a path of the schema declare: what an unknown key may be a typo of. */
export function fieldsAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const def = schema._zod.def as unknown as Definition;
  const [head, ...rest] = path;
  const inner = (next: z.ZodType | undefined): string[] => (next === undefined ? [] : fieldsAt(next, rest));
  switch (def.type) {
    case 'object':
      return head === undefined ? Object.keys(def.shape ?? {}) : inner(def.shape?.[String(head)]);
    case 'array':
      return head === undefined ? [] : inner(def.element);
    case 'record':
      return head === undefined ? [] : inner(def.valueType);
    case 'union':
      return [...new Set((def.options ?? []).flatMap((option) => fieldsAt(option, path)))];
    case 'intersection':
    case 'pipe':
      return [...new Set([def.left ?? def.in, def.right ?? def.out].flatMap((side) => (side === undefined ? [] : fieldsAt(side, path))))];
    case 'lazy':
      return def.getter ? fieldsAt(def.getter(), path) : [];
    default:
      return def.innerType ? fieldsAt(def.innerType, path) : [];
  }
}
