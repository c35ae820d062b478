/**
 * schema/compose-spec.json is a copy of the workspace's shared schema, shipped so the package
 * validates on its own. This keeps the two byte for byte equal where the shared one exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');
const shared = resolve(packageDir, '../../../shared/schemas/compose-spec.json');
const present = existsSync(shared);
if (!present) console.warn(`${shared} does not exist: skipping the check that schema/compose-spec.json is an unchanged copy of it`);

describe('schema/compose-spec.json', () => {
  it.skipIf(!present)(`is byte for byte the shared ${shared}`, () => {
    const copy = readFileSync(join(packageDir, 'schema', 'compose-spec.json'));
    expect(copy.equals(readFileSync(shared)), 'copy the shared schema over schema/compose-spec.json').toBe(true);
  });
});
