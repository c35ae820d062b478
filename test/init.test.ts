/**
 * `kiln init` in an empty folder outside this repository (node_modules linked, as npm install would
 * leave it): a system and its development environment that generate cleanly, typecheck under the
 * tsconfig init writes, and give a Compose file docker-compose accepts; a second init overwrites nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import { readTree, snapshot } from './support/tree.js';
import { run, toolAvailable } from './support/tools.js';

const TOOL_TIMEOUT_MS = 120_000;
let root = '';

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'kiln-init-')));
  symlinkSync(join(import.meta.dirname, '../node_modules'), join(root, 'node_modules'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The files in the new repository (node_modules is a link). */
const files = () => [...snapshot(root)].filter(([, entry]) => entry !== 'dir' && !entry.startsWith('->')).map(([path]) => path).sort();

/** What `tsc -p` in the new repository reports. */
function typecheck(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('tsconfig.json did not parse');
  expect(config.fileNames.length).toBe(2);
  const program = ts.createProgram(config.fileNames, config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('kiln init', () => {
  it('scaffolds a system and its development environment that generate with nothing to say but the summary', async () => {
    const init = await kiln(['init', 'shop'], root);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("next: 'npx kiln generate'");
    expect(files()).toEqual(['.gitignore', 'environments/shop-dev.ts', 'environments/systems/shop.ts', 'package.json', 'tsconfig.json']);
    expect(typecheck(root)).toEqual([]);

    // From the new repository itself, as its README would say: the root is found there.
    const generate = await kiln(['generate'], join(root, 'environments'));
    expect([generate.code, generate.stderr]).toEqual([0, '']);
    expect(generate.stdout).toMatch(/^generated\/: \d+ written, 0 removed, 0 unchanged\n$/);
    expect((await kiln(['check', '--root', root])).code).toBe(0);
    expect(readFileSync(join(root, 'generated/shop-dev/compose/docker-compose.yml'), 'utf8')).toContain('image: docker.io/nginxinc/nginx-unprivileged:1.27.4');
  });

  it('refuses to overwrite, naming each file, and writes nothing', async () => {
    expect((await kiln(['init', 'shop', '--root', root])).code).toBe(0);
    writeFileSync(join(root, 'environments/shop-dev.ts'), '// mine\n');
    const before = snapshot(root);
    const again = await kiln(['init', 'shop', '--json', '--root', root]);
    expect(again.code).toBe(1);
    expect(again.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['INIT_FILE_EXISTS', 'environments/systems/shop.ts'],
      ['INIT_FILE_EXISTS', 'environments/shop-dev.ts'],
    ]);
    expect(snapshot(root)).toEqual(before);
    // Another system beside it is no overwrite; the repository's own files are left as they are.
    expect((await kiln(['init', 'cart', '--root', root])).code).toBe(0);
    expect(readFileSync(join(root, 'environments/shop-dev.ts'), 'utf8')).toBe('// mine\n');
    expect(snapshot(root).get('package.json')).toBe(before.get('package.json'));
  });

  it('names the system after the folder, and refuses a name that cannot be one, or a folder that does not exist', async () => {
    const folder = join(root, 'Web Store');
    mkdirSync(folder);
    expect((await kiln(['init', '--root', folder])).code).toBe(0);
    expect([...readTree(join(folder, 'environments')).keys()].sort()).toEqual(['systems/web-store.ts', 'web-store-dev.ts']);
    expect((await kiln(['init', 'Web_Store', '--root', root])).code).toBe(2);
    expect((await kiln(['init', '--root', join(root, 'missing')])).code).toBe(2);
    expect(existsSync(join(root, 'missing'))).toBe(false);
    expect(existsSync(join(root, 'environments'))).toBe(false);
  });

  const compose = toolAvailable('docker-compose', 'docker-compose');
  it.skipIf(!compose)('gives a Compose file docker-compose accepts', async () => {
    expect((await kiln(['init', 'shop', '--root', root])).code).toBe(0);
    expect((await kiln(['generate', '--root', root])).code).toBe(0);
    const config = run('docker-compose', ['-f', join(root, 'generated/shop-dev/compose/docker-compose.yml'), 'config', '-q']);
    expect(config.status, config.output).toBe(0);
  }, TOOL_TIMEOUT_MS);
});
