/**
 * Diagnostics as a user meets them on the command line: a clean repository is quiet, and a
 * misspelled environment name gets the closest one.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';

const repository = join(import.meta.dirname, '..');
const valid = join(import.meta.dirname, 'fixtures/valid');
const scratch = join(import.meta.dirname, '.tmp', `diagnostics-${process.pid}`);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('diagnostics', () => {
  // Over the committed generated/, as every run after the first: a warning here would repeat on each.
  it("generate prints nothing but its summary for the repository's own environments", { timeout: 180_000 }, async () => {
    const root = join(scratch, 'repository');
    mkdirSync(root, { recursive: true });
    for (const folder of ['environments', 'generated']) cpSync(join(repository, folder), join(root, folder), { recursive: true });
    const { code, stdout, stderr } = await kiln(['generate', '--root', root]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^generated\/: \d+ written, \d+ removed, \d+ unchanged\n$/);
    expect(code).toBe(0);
  });

  it.each([
    [['generate', 'shop-prd']],
    [['explain', 'shop-prd']],
    [['promote', 'shop-dev', 'shop-prd']],
  ])('kiln %j suggests the closest environment', async (args) => {
    const run = await kiln([...args, '--root', valid]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("there is no environment 'shop-prd'");
    expect(run.stderr).toContain("fix: did you mean 'shop-prod'? environments: shop-dev, shop-prod");
  });
});
