/**
 * `kiln schema`, the JSON Schema of an environment file's export: every field described from its
 * TSDoc, every default stated as its `@default` says, names, images and quantities constrained by
 * patterns, the output stable, and every committed environment valid against it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';

interface Schema {
  readonly $id?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly propertyNames?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

const root = join(import.meta.dirname, '..');

/** Every property of the schema with its path: `.` between fields, `[]` for items, `*` for record values. */
function fields(schema: Schema, path = ''): { path: string; schema: Schema }[] {
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const at = path === '' ? name : `${path}.${name}`;
    return [{ path: at, schema: property }, ...fields(property, at)];
  });
  const items = schema.items === undefined ? [] : fields(schema.items, `${path}[]`);
  const values = typeof schema.additionalProperties === 'object' ? fields(schema.additionalProperties, `${path}.*`) : [];
  const members = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].flatMap((member) => fields(member, path));
  return [...own, ...items, ...values, ...members];
}

function field(schema: Schema, path: string): Schema {
  const found = fields(schema).find((f) => f.path === path);
  if (found === undefined) throw new Error(`no field ${path} in the schema`);
  return found.schema;
}

function matches(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined) throw new Error('no pattern');
  return new RegExp(pattern, 'u').test(value);
}

describe('kiln schema', () => {
  let output: string;
  let schema: Schema;
  beforeAll(async () => {
    const run = await kiln(['schema']);
    expect(run.code).toBe(0);
    output = run.stdout;
    schema = JSON.parse(output) as Schema;
  });

  it('describes every field, under a stable $id', () => {
    expect(schema.$id).toBe('https://kiln.dev/schemas/environment.json');
    const all = fields(schema);
    expect(all.length).toBeGreaterThan(300);
    expect(all.filter((f) => !f.schema.description?.trim()).map((f) => f.path)).toEqual([]);
    expect(field(schema, 'overrides.*.autoscaling').description).toBe('Autoscaling bounds for this environment.');
  });

  it('states every default, in words as the field’s @default says it, equal to the schema’s own', () => {
    const defaults = fields(schema).filter((f) => 'default' in f.schema);
    expect(defaults.length).toBeGreaterThan(50);
    for (const { path, schema: property } of defaults) {
      const words = /\n\nDefault: ([\s\S]+)$/.exec(property.description ?? '')?.[1];
      expect(words, `${path} has a default and no @default`).toBeDefined();
      expect(runInNewContext(`(${words})`), `${path}: @default ${words}`).toEqual(property.default);
    }
    // A default only words can state.
    expect(field(schema, 'targets.kubernetes.namespace').description).toMatch(/\n\nDefault: the environment name$/);
  });

  it('constrains names, images and quantities with patterns', () => {
    const label = field(schema, 'name').pattern;
    expect([matches(label, 'veza-staging'), matches(label, 'Veza_Staging'), matches(label, '-veza')]).toEqual([true, false, false]);
    expect(field(schema, 'systems[].services[].name').pattern).toBe(label);
    expect(field(schema, 'overrides').propertyNames?.pattern).toBe(label);
    const port = field(schema, 'systems[].services[].ports[].name').pattern;
    expect([matches(port, 'http'), matches(port, 'metrics-endpoint1'), matches(port, '8080')]).toEqual([true, false, false]);
    const image = field(schema, 'systems[].services[].image').pattern;
    expect([matches(image, 'ghcr.io/acme/api:1.4.2'), matches(image, `localhost:5000/api@sha256:${'a'.repeat(64)}`), matches(image, 'ghcr.io/Acme/api'), matches(image, 'api:1.4.2 ')]).toEqual([true, true, false, false]);
    const version = field(schema, 'images').additionalProperties as Schema;
    expect([matches(version.pattern, '1.4.3'), matches(version.pattern, 'ghcr.io/acme/api:1.4.3'), matches(version.pattern, '-rc1')]).toEqual([true, true, false]);
    const memory = field(schema, 'overrides.*.resources.limits.memory').pattern;
    expect([matches(memory, '512Mi'), matches(memory, '500m'), matches(memory, '0.5'), matches(memory, '1e3')]).toEqual([true, true, false, false]);
    expect(field(schema, 'systems[].services[].env').propertyNames?.pattern).toBeDefined();
  });

  it('prints the same bytes every time', async () => {
    expect((await kiln(['schema'])).stdout).toBe(output);
  });

  it('accepts every committed environment', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(schema);
    const files = readdirSync(join(root, 'environments')).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const { default: environment } = (await import(join(root, 'environments', name))) as { default: unknown };
      expect(validate(JSON.parse(JSON.stringify(environment))) ? [] : validate.errors, name).toEqual([]);
    }
  }, 120_000);
});
