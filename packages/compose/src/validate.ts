/**
 * Validation against the Compose Specification JSON Schema (compose-spec/compose-spec, Apache-2.0),
 * shipped in this package's schema/ folder. Compiled once, on first use.
 */
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

/** Schema errors of a Compose document, one line each (`/services/x/ports must be array`); empty when valid. */
export function validateCompose(data: unknown): string[] {
  const validate = validator();
  if (validate(data)) return [];
  return (validate.errors ?? []).map(describe);
}

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // Relative to src/ and dist/ alike.
  const schema = require('../schema/compose-spec.json') as AnySchemaObject;
  const draft07 = require('ajv/dist/refs/json-schema-draft-07.json') as AnySchemaObject;
  // The schema names its meta-schema with https and no '#'; Ajv knows draft-07 as http://…#.
  // strictTypes is off because the schema leaves `type` implicit next to object keywords.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  // The schema uses no `format` today; with the formats loaded, a future copy that does still compiles.
  ajvFormats.default(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' ? ` ('${String((error.params as { additionalProperty?: unknown }).additionalProperty)}')` : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}
