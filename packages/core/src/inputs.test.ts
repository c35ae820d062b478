import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importSpecifiers, inputFiles, inputsHash } from './inputs.js';

const root = mkdtempSync(join(tmpdir(), 'kiln-inputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

describe('inputs', () => {
  it('finds relative import and export specifiers, not packages or comments', () => {
    const source = [
      "import { defineEnvironment } from '@kiln/model';",
      "import { a } from './systems/a.js';",
      'import type {',
      '  B,',
      "} from \"../b\";",
      "export * from './c';",
      "export { d } from './d.ts';",
      "import './side-effect';",
      "// import { x } from './commented';",
      "const url = 'http://example.com'; // from './nothing'",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./systems/a.js', '../b', './c', './d.ts', './side-effect']);
  });

  it('follows imports transitively inside the root, sorted, and hashes them deterministically', () => {
    write('environments/e.ts', "import { s } from './systems/s.js';\nimport { t } from './systems/t';\nimport x from '../../outside';\nexport default s + t;\n");
    write('environments/systems/s.ts', "export { u } from './shared/index.js';\nexport const s = 1;\n");
    write('environments/systems/t.ts', "import { s } from './s';\nexport const t = s;\n");
    write('environments/systems/shared/index.ts', 'export const u = 1;\n');
    write('environments/systems/unrelated.ts', 'export const z = 1;\n');
    expect(inputFiles(root, 'environments/e.ts')).toEqual(['environments/e.ts', 'environments/systems/s.ts', 'environments/systems/shared/index.ts', 'environments/systems/t.ts']);
    const first = inputsHash(root, 'environments/e.ts');
    expect(inputsHash(root, 'environments/e.ts')).toBe(first);
    write('environments/systems/unrelated.ts', 'export const z = 2;\n');
    expect(inputsHash(root, 'environments/e.ts')).toBe(first);
    write('environments/systems/shared/index.ts', 'export const u = 2;\n');
    expect(inputsHash(root, 'environments/e.ts')).not.toBe(first);
  });
});
