import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_SCHEMA_ID, environmentJsonSchema } from './json-schema.js';

type Schema = { [keyword: string]: Schema } & { description?: string; default?: unknown };

describe('environmentJsonSchema', () => {
  it('is zod’s export of the input, named and described', () => {
    const schema = environmentJsonSchema({}) as Schema;
    expect(schema.$schema).toContain('2020-12');
    expect(schema.$id).toBe(ENVIRONMENT_SCHEMA_ID);
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['name', 'stage', 'systems', 'targets', 'overrides']));
    expect(schema.additionalProperties).toBe(false);
  });

  it('puts each field’s docs at its path: fields, array items, record values, union members', () => {
    const schema = environmentJsonSchema({
      stage: { description: 'The stage.' },
      'targets.kubernetes.namespace': { description: 'The namespace.', default: 'the environment name' },
      'targets.compose.secretsDir': { description: 'The secrets.', default: "'./secrets'" },
      'systems[].services[].name': { description: 'The service name.' },
      'overrides.*.replicas': { description: 'Replicas here.' },
      'overrides.*.env.*.secret': { description: 'The secret.' },
    }) as Schema;
    const properties = schema.properties as Schema;
    expect(properties.stage?.description).toBe('The stage.');
    // A default is said in words too, as some can only be (`the environment name`).
    expect(properties.targets?.properties?.compose?.properties?.secretsDir).toMatchObject({ description: "The secrets.\n\nDefault: './secrets'", default: './secrets' });
    expect(properties.targets?.properties?.kubernetes?.properties?.namespace?.description).toBe('The namespace.\n\nDefault: the environment name');
    expect(properties.systems?.items?.properties?.services?.items?.properties?.name?.description).toBe('The service name.');
    const override = properties.overrides?.additionalProperties?.properties as Schema;
    expect(override.replicas?.description).toBe('Replicas here.');
    const values = override.env?.additionalProperties?.anyOf as unknown as Schema[];
    expect(values.map((value) => value.properties?.secret?.description).filter(Boolean)).toEqual(['The secret.']);
  });
});
