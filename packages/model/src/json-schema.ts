/**
 * The JSON Schema of an environment file's export (`kiln schema`): zod's own export of the input,
 * with each field's TSDoc as its description. The TSDoc comments on the schemas' keys are the one source
 * of a field's documentation: the build (scripts/build.mjs) collects it into dist/field-docs.json,
 * by path, as it puts it into the declarations editors read.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { dnsLabel, envVarName, hostName, imageReference, imageVersion, portName, quantity, sysctlKey } from './checks.js';
import { environmentSchema } from './environment.js';
import { DIGEST, REPOSITORY, TAG } from './image.js';
import { DNS_1123_LABEL, DNS_1123_LABEL_MAX, DNS_NAME, ENV_VAR_NAME, IANA_SVC_NAME, SYSCTL_KEY } from './names.js';

/** A stable name for the schema, not an address anything is fetched from. */
export const ENVIRONMENT_SCHEMA_ID = 'https://kiln.dev/schemas/environment.json';

/** A field's TSDoc: its text and its `@default`. */
export interface FieldDoc {
  readonly description: string;
  readonly default?: string;
}

/** Field documentation by path: `.` between fields, `[]` for an array's items, `*` for a record's values. */
export type FieldDocs = Readonly<Record<string, FieldDoc>>;

type JsonSchema = { readonly [keyword: string]: unknown };

const unanchored = (pattern: RegExp): string => pattern.source.slice(1, -1);
const IMAGE = `${unanchored(REPOSITORY)}(?::${unanchored(TAG)})?(?:@${unanchored(DIGEST)})?`;

/** What the JSON Schema says of the checks written as code (refinements), which zod cannot export. */
const STATED = new Map<z.core.$ZodType, z.core.JSONSchema.BaseSchema>([
  [dnsLabel, { pattern: DNS_1123_LABEL.source, maxLength: DNS_1123_LABEL_MAX }],
  [portName, { pattern: IANA_SVC_NAME.source, maxLength: 15 }],
  [envVarName, { pattern: ENV_VAR_NAME.source }],
  [sysctlKey, { pattern: SYSCTL_KEY.source }],
  [hostName, { anyOf: [{ pattern: DNS_NAME.source }, { format: 'ipv6' }] }],
  [imageReference, { pattern: `^${IMAGE}$` }],
  [imageVersion, { pattern: `^(?:${unanchored(TAG)}|${IMAGE})$` }],
  // Canonical quantities are whole numbers with a suffix (`1500m`, not `1.5`); the check says which.
  [quantity, { pattern: '^[0-9]+(?:[numkMGTPE]|[KMGTPE]i)?$' }],
]);

/** The JSON Schema of an environment file's export, every field described. */
export function environmentJsonSchema(docs: FieldDocs = builtFieldDocs()): JsonSchema {
  const { $schema, ...schema } = z.toJSONSchema(environmentSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema }) => Object.assign(jsonSchema, STATED.get(zodSchema)),
  });
  return {
    $schema,
    $id: ENVIRONMENT_SCHEMA_ID,
    title: 'Kiln environment',
    description: "The default export of an environment file (environments/<name>.ts): `export default defineEnvironment({ … })`.",
    ...described(schema, '', docs),
  };
}

/** A schema with descriptions on its properties' schemas, and theirs, from the docs at their paths. */
function described(schema: JsonSchema, path: string, docs: FieldDocs): JsonSchema {
  const inner = (keyword: string, value: unknown): unknown => {
    if (keyword === 'properties' && isSchema(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([name, property]) => {
          const at = path === '' ? name : `${path}.${name}`;
          const body = isSchema(property) ? described(property, at, docs) : property;
          const doc = docs[at];
          if (doc === undefined || !isSchema(body)) return [name, body];
          // In words too: editors show the description, and some defaults only words can state (`the environment name`).
          return [name, { description: doc.default === undefined ? doc.description : `${doc.description}\n\nDefault: ${doc.default}`, ...body }];
        }),
      );
    }
    if (keyword === 'items' && isSchema(value)) return described(value, `${path}[]`, docs);
    if (keyword === 'additionalProperties' && isSchema(value)) return described(value, `${path}.*`, docs);
    if (['anyOf', 'oneOf', 'allOf'].includes(keyword) && Array.isArray(value)) return value.map((member: unknown) => (isSchema(member) ? described(member, path, docs) : member));
    return value;
  };
  return Object.fromEntries(Object.entries(schema).map(([keyword, value]) => [keyword, inner(keyword, value)]));
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let built: FieldDocs | undefined;

/** What the build collected; relative to src/ and dist/ alike. */
function builtFieldDocs(): FieldDocs {
  built ??= createRequire(import.meta.url)(import.meta.url.endsWith('.ts') ? '../dist/field-docs.json' : './field-docs.json') as FieldDocs;
  return built;
}
