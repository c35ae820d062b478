/**
 * The CloudNativePG model under src/generated/ is checked in: it must be exactly what
 * `npm run generate:crds` makes from the vendored CRDs, so nobody edits it by hand and a new CRD
 * release is one regeneration.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');
const CHECKED_IN = join(PACKAGE, 'src/generated/cloudnative-pg');
const scratch = mkdtempSync(join(tmpdir(), 'kiln-crds-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under a directory, relative to it, sorted. */
function files(root: string): string[] {
  const walk = (directory: string): string[] => readdirSync(directory, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(directory, entry.name)) : [join(directory, entry.name)]));
  return walk(root)
    .map((file) => relative(root, file))
    .sort();
}

describe('the generated CloudNativePG model', () => {
  it('is what crd-generate makes from the vendored CRDs', () => {
    execFileSync(process.execPath, [join(PACKAGE, 'scripts/generate-crds.mjs'), scratch], { cwd: PACKAGE, stdio: 'pipe' });
    const fresh = files(scratch);
    expect(files(CHECKED_IN)).toEqual(fresh);
    expect(fresh).toContain('postgresql.cnpg.io/v1/Cluster.ts');
    for (const file of fresh) expect(readFileSync(join(CHECKED_IN, file), 'utf8'), file).toBe(readFileSync(join(scratch, file), 'utf8'));
  }, 60_000);

  it('keeps the CRDs it comes from with their license', () => {
    expect(readdirSync(join(PACKAGE, 'crds/cloudnative-pg')).sort()).toEqual(['LICENSE', 'SOURCES.md', 'clusters.yaml', 'scheduledbackups.yaml']);
    expect(readFileSync(join(PACKAGE, 'crds/cloudnative-pg/LICENSE'), 'utf8')).toContain('Apache License');
  });
});
