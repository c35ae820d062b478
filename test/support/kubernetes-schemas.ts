/**
 * The strict Kubernetes JSON Schemas in test/schemas (a subset of the workspace's shared ones, unknown
 * fields rejected, kept in the repository so every clone validates), applied as
 * `kubernetes-validate --strict` does: `<kind>-<group>-<version>.json` (core kinds without a group,
 * the group's first label only), its `$ref`s resolved to `_definitions.json` in the same folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const KUBERNETES_SCHEMAS = join(import.meta.dirname, '../schemas/kubernetes-json-schema');
export const STRICT_VERSIONS = ['v1.31.0-local-strict', 'v1.36.0-local-strict'] as const;

export interface StrictSchemas {
  readonly folder: string;
  readonly present: boolean;
  /** The schema errors of an object, as JSON; empty when it validates. */
  errors(object: { readonly apiVersion: string; readonly kind: string; readonly [field: string]: unknown }): string;
}

export function strictSchemas(version: string): StrictSchemas {
  const folder = join(KUBERNETES_SCHEMAS, version);
  const present = existsSync(folder);
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  if (present) ajv.addSchema(JSON.parse(readFileSync(join(folder, '_definitions.json'), 'utf8')));
  return {
    folder,
    present,
    errors(object) {
      const [group, apiVersion] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
      const file = [object.kind.toLowerCase(), ...(group ? [group.split('.')[0]] : []), apiVersion].join('-');
      const validate = ajv.getSchema(`file:${file}`) ?? (ajv.addSchema(JSON.parse(readFileSync(join(folder, `${file}.json`), 'utf8')), `file:${file}`), ajv.getSchema(`file:${file}`));
      return validate?.(object) ? '' : JSON.stringify(validate?.errors ?? 'no schema');
    },
  };
}
