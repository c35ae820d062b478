/**
 * test/schemas holds verbatim copies of the workspace's shared strict Kubernetes schemas, so the tests
 * validate on any clone. Where the shared folder exists (beside the repository), the copies must be
 * byte for byte the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_SCHEMAS, STRICT_VERSIONS } from './support/kubernetes-schemas.js';

const shared = resolve(import.meta.dirname, '../../shared/schemas/kubernetes-json-schema');
const present = existsSync(shared);
if (!present) console.warn(`SKIPPED: ${shared} does not exist: not comparing test/schemas with the shared schemas`);

describe('test/schemas/kubernetes-json-schema', () => {
  it.skipIf(!present)('is a verbatim copy of the shared schemas it holds', () => {
    for (const version of STRICT_VERSIONS) {
      const files = readdirSync(join(KUBERNETES_SCHEMAS, version));
      expect(files).toContain('_definitions.json');
      for (const file of files) expect(readFileSync(join(KUBERNETES_SCHEMAS, version, file)).equals(readFileSync(join(shared, version, file))), `${version}/${file}`).toBe(true);
    }
  });
});
