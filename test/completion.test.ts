/**
 * `kiln completion bash|zsh`, run as a shell runs it: the script from the real kiln binary, sourced
 * by bash, and _kiln called as bash's programmable completion calls it (COMP_WORDS, COMP_CWORD).
 * zsh, when installed, checks its script's syntax and completes through stand-ins for compadd.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from './support/tools.js';

const bin = join(import.meta.dirname, '../packages/cli/bin/kiln.js');
const scratch = join(import.meta.dirname, '.tmp', `completion-${process.pid}`);
const repository = join(scratch, 'repository');

const script = (shell: string) => {
  const result = spawnSync(process.execPath, [bin, 'completion', shell], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
};

beforeAll(() => {
  mkdirSync(repository, { recursive: true });
  cpSync(join(import.meta.dirname, 'fixtures/valid'), repository, { recursive: true });
  writeFileSync(join(repository, 'package.json'), '{ "private": true }\n');
  writeFileSync(join(scratch, 'kiln.bash'), script('bash'));
  writeFileSync(join(scratch, 'kiln.zsh'), script('zsh'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What bash offers for a line typed up to the cursor at its end, from `cwd`. */
function bash(line: string, cwd = repository): string[] {
  const words = line.split(' ');
  const program = `source ${JSON.stringify(join(scratch, 'kiln.bash'))}
COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(' ')}); COMP_CWORD=${words.length - 1}
_kiln
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { cwd, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('kiln completion bash', () => {
  it('completes commands, and the options of each command', () => {
    expect(bash('kiln ')).toEqual(['check', 'completion', 'diff', 'explain', 'generate', 'help', 'init', 'list', 'policies', 'promote', 'schema', 'test'].sort());
    expect(bash('kiln gen')).toEqual(['generate']);
    expect(bash('kiln help ch')).toEqual(['check']);
    expect(bash('kiln generate --w')).toEqual(['--watch']);
    expect(bash('kiln check --w')).toEqual([]);
    expect(bash('kiln diff --')).toContain('--exit-code');
    expect(bash('kiln list --')).not.toContain('--exit-code');
    expect(bash('kiln diff --format m')).toEqual(['markdown']);
    expect(bash('kiln completion ')).toEqual(['bash', 'zsh']);
    expect(bash('kiln --json gen')).toEqual(['generate']);
  });

  it('completes environment names from environments/, found from a folder inside the repository or from --root', () => {
    expect(bash('kiln generate ')).toEqual(['shop-dev', 'shop-prod']);
    expect(bash('kiln check shop-p', join(repository, 'environments', 'systems'))).toEqual(['shop-prod']);
    const outside = mkdtempSync(join(tmpdir(), 'kiln-completion-'));
    try {
      expect(bash('kiln explain ', outside)).toEqual([]);
      expect(bash(`kiln --root ${repository} explain s`, outside)).toEqual(['shop-dev', 'shop-prod']);
    } finally {
      rmSync(outside, { recursive: true });
    }
    // As many environments as the command takes: explain one, promote two, then services.
    expect(bash('kiln explain shop-dev ')).toEqual([]);
    expect(bash('kiln promote shop-dev ')).toEqual(['shop-dev', 'shop-prod']);
    expect(bash('kiln promote shop-dev shop-prod ')).toEqual([]);
    expect(bash('kiln list ')).toEqual([]);
    // A new file is a new name at once: nothing is cached, nothing compiled.
    writeFileSync(join(repository, 'environments', 'shop-qa.ts'), readFileSync(join(repository, 'environments', 'shop-dev.ts'), 'utf8'));
    expect(bash('kiln generate shop-')).toEqual(['shop-dev', 'shop-prod', 'shop-qa']);
    rmSync(join(repository, 'environments', 'shop-qa.ts'));
  });

  it('completes folders after --root', () => {
    expect(bash('kiln list --root env')).toEqual(['environments']);
  });
});

/**
 * .ci/run installs zsh: missing locally, its tests are skipped with a message; under
 * KILN_REQUIRE_TOOLS=1 (CI) they fail.
 */
function zshAvailable(): boolean {
  if (hasTool('zsh')) return true;
  const required = process.env.KILN_REQUIRE_TOOLS === '1' && /\bzsh\b/.test(readFileSync(join(import.meta.dirname, '../.ci/run'), 'utf8'));
  if (required) throw new Error('zsh is required (KILN_REQUIRE_TOOLS=1 and .ci/run installs it) but not installed');
  console.warn('SKIPPED: zsh is not installed (apt-get install zsh); the zsh completion tests are skipped');
  return false;
}

describe.skipIf(!zshAvailable())('kiln completion zsh', () => {
  /** What zsh offers: compadd and _files stand in for the completion system, printing the candidates. */
  function zsh(line: string): string[] {
    const words = line.split(' ');
    const program = `compdef() { : }; compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }; _files() { print -- '(folders)' }
source ${JSON.stringify(join(scratch, 'kiln.zsh'))}
words=(${words.map((word) => JSON.stringify(word)).join(' ')}); CURRENT=${words.length}
_kiln`;
    const result = spawnSync('zsh', ['-f', '-c', program], { cwd: repository, encoding: 'utf8' });
    // A completion function returns 1 when it added no matches, as zsh's own do.
    expect([0, 1], result.stderr).toContain(result.status);
    expect(result.stderr).toBe('');
    // compadd filters by the word typed; the stand-in does not, so the test does.
    const typed = words.at(-1) ?? '';
    return result.stdout.split('\n').filter((word) => word !== '' && (word.startsWith(typed) || word === '(folders)')).sort();
  }

  it('is valid zsh', () => {
    const result = spawnSync('zsh', ['-n', join(scratch, 'kiln.zsh')], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });

  it('completes commands, options and environment names', () => {
    expect(zsh('kiln gen')).toEqual(['generate']);
    expect(zsh('kiln generate --w')).toEqual(['--watch']);
    expect(zsh('kiln generate ')).toEqual(['shop-dev', 'shop-prod']);
    expect(zsh('kiln explain shop-dev ')).toEqual([]);
    expect(zsh('kiln list --root ')).toEqual(['(folders)']);
  });
});
