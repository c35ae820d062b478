/**
 * Promotion between stages, in a scratch git repository (under test/.tmp, so its environments import
 * @kiln/model like the project's own): shop-prod follows shop-staging; `kiln promote` edits
 * shop-prod's file and nothing else, and `kiln check` warns when production runs an image that
 * staging's generated history never had.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';

const root = join(import.meta.dirname, '.tmp', `promote-${process.pid}`);
const SLOW = 180_000;
const environment = (name: string, stage: string, extra: string) => `import { defineEnvironment } from '@kiln/model';
import { shop } from './systems/shop.js';

export default defineEnvironment({
  name: '${name}',
  stage: '${stage}',
  systems: [shop],
  waivers: [{ policy: 'probes', reason: 'a test fixture', expires: '2099-12-31' }, { policy: 'alert-and-dashboard', reason: 'a test fixture', expires: '2099-12-31' }],
  targets: { kubernetes: { cluster: '${stage}', version: '1.31', secretStore: { name: 'vault' } } },${extra}
});
`;
const prodFile = join(root, 'environments/shop-prod.ts');
let git: SimpleGit;

async function generateAndCommit(message: string): Promise<void> {
  const run = await kiln(['generate', '--root', root]);
  expect(run.code, run.stderr).toBe(0);
  await git.add(['-A']);
  await git.commit(message);
}

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'environments'), { recursive: true });
  cpSync(join(import.meta.dirname, 'fixtures/valid/environments/systems'), join(root, 'environments/systems'), { recursive: true });
  writeFileSync(join(root, 'environments/shop-staging.ts'), environment('shop-staging', 'staging', "\n  images: { api: '1.5.0' },"));
  writeFileSync(prodFile, environment('shop-prod', 'production', "\n  // Releases come from staging.\n  follows: 'shop-staging',"));
  git = simpleGit({ baseDir: root });
  await git.init();
  await git.addConfig('user.name', 'Kiln Test');
  await git.addConfig('user.email', 'test@kiln.invalid');
  await git.addConfig('commit.gpgsign', 'false');
  await generateAndCommit('staging runs api 1.5.0, production 1.4.2');
}, SLOW);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('kiln promote', () => {
  it('edits only the following environment’s file, adding what staging runs under images', async () => {
    const run = await kiln(['promote', 'shop-staging', 'shop-prod', '--root', root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("api: ghcr.io/acme/api:1.4.2 → ghcr.io/acme/api:1.5.0\nenvironments/shop-prod.ts: 1 image promoted from shop-staging; run 'npx kiln generate' and commit both\n");
    expect(readFileSync(prodFile, 'utf8')).toBe(environment('shop-prod', 'production', "\n  // Releases come from staging.\n  follows: 'shop-staging',\n  images: { api: '1.5.0' },"));
    expect((await git.status()).files.map((file) => file.path)).toEqual(['environments/shop-prod.ts']);
  }, SLOW);

  it('has nothing more to do once production runs what staging runs, and check does not warn', async () => {
    const again = await kiln(['promote', 'shop-staging', 'shop-prod', '--root', root, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ type: 'promotion', from: 'shop-staging', to: 'shop-prod', file: 'environments/shop-prod.ts', changes: [] });
    await generateAndCommit('promote api 1.5.0 to production');
    const check = await kiln(['check', '--root', root, '--json']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.diagnostics).toEqual([]);
  }, SLOW);

  it('warns when production runs an image staging never ran, and not for one it ran before', async () => {
    writeFileSync(prodFile, readFileSync(prodFile, 'utf8').replace("api: '1.5.0'", "api: '1.6.0'"));
    const check = await kiln(['check', '--root', root, '--json']);
    expect(check.diagnostics).toEqual([
      expect.objectContaining({ code: 'IMAGE_NOT_PROMOTED', severity: 'warning', file: 'environments/shop-prod.ts', path: 'images.api', message: expect.stringContaining("runs ghcr.io/acme/api:1.6.0, which 'shop-staging' (the stage it follows) never ran") }),
    ]);
    // Staging moves on to 1.6.0 and back: it ran 1.6.0 once, so production may run it.
    const staging = join(root, 'environments/shop-staging.ts');
    writeFileSync(staging, readFileSync(staging, 'utf8').replace("api: '1.5.0'", "api: '1.6.0'"));
    await generateAndCommit('staging tries 1.6.0');
    writeFileSync(staging, readFileSync(staging, 'utf8').replace("api: '1.6.0'", "api: '1.5.0'"));
    await generateAndCommit('staging back to 1.5.0');
    const after = await kiln(['check', '--root', root, '--json']);
    expect(after.diagnostics.filter((d) => d.code === 'IMAGE_NOT_PROMOTED')).toEqual([]);
  }, SLOW);

  it('says nothing in a shallow clone, which has no history to judge by', async () => {
    const shallow = `${root}-shallow`;
    rmSync(shallow, { recursive: true, force: true });
    await simpleGit().clone(`file://${root}`, shallow, ['--depth', '1']);
    try {
      const file = join(shallow, 'environments/shop-prod.ts');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/api: '[^']+'/, "api: '9.9.9'"));
      const check = await kiln(['check', '--root', shallow, '--json']);
      expect(check.diagnostics.filter((d) => d.code === 'IMAGE_NOT_PROMOTED')).toEqual([]);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  }, SLOW);

  it('refuses a promotion against the declared chain, a service the two do not share, and touches nothing', async () => {
    const before = readFileSync(prodFile, 'utf8');
    const backwards = await kiln(['promote', 'shop-prod', 'shop-staging', '--root', root, '--json']);
    expect(backwards.code).toBe(1);
    expect(backwards.diagnostics.map((d) => [d.code, d.file, d.path])).toEqual([['INVALID_FOLLOWS', 'environments/shop-staging.ts', 'follows']]);
    const service = await kiln(['promote', 'shop-staging', 'shop-prod', 'checkout', '--root', root, '--json']);
    expect(service.code).toBe(1);
    expect(service.diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_SERVICE']);
    const unknown = await kiln(['promote', 'shop-stagign', 'shop-prod', '--root', root]);
    expect(unknown.code).toBe(2);
    expect(readFileSync(prodFile, 'utf8')).toBe(before);
  }, SLOW);
});

describe('follows', () => {
  it('is checked across environments: a later stage and a cycle are refused with the file and path', async () => {
    const staging = join(root, 'environments/shop-staging.ts');
    const text = readFileSync(staging, 'utf8');
    writeFileSync(staging, text.replace("  images:", "  follows: 'shop-prod',\n  images:"));
    try {
      const run = await kiln(['check', '--root', root, '--json']);
      expect(run.code).toBe(1);
      expect(run.diagnostics.filter((d) => d.code === 'INVALID_FOLLOWS').map((d) => [d.file, d.path, d.message])).toEqual([
        ['environments/shop-prod.ts', 'follows', "'shop-prod' follows 'shop-staging', which leads back to 'shop-prod'"],
        ['environments/shop-staging.ts', 'follows', "'shop-staging' (staging) follows 'shop-prod', a later stage (production)"],
      ]);
    } finally {
      writeFileSync(staging, text);
    }
  }, SLOW);
});
