/**
 * `kiln generate --watch`, run as a person runs it: the real binary in its own process, on a scratch
 * copy of a small repository. A save regenerates and names the source and the generated files that
 * changed; a mistake prints its diagnostic and writes nothing; Ctrl-C ends it with exit 0.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshot } from './support/tree.js';

const bin = join(import.meta.dirname, '../packages/cli/bin/kiln.js');
const root = join(import.meta.dirname, '.tmp', `watch-${process.pid}`);
/** A compile on a busy 2-core machine takes seconds; waiting for one gets far more. */
const WAIT_MS = 90_000;

afterAll(() => rmSync(root, { recursive: true, force: true }));

const edit = (file: string, from: string, to: string) => {
  const path = join(root, 'environments', file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
};

/** The output of a running process, and a way to wait for a line of it. */
function follow(child: ChildProcessByStdio<null, Readable, Readable>) {
  const output = { stdout: '', stderr: '' };
  const waiting: (() => void)[] = [];
  const listen = (stream: 'stdout' | 'stderr') =>
    child[stream].on('data', (chunk: Buffer) => {
      output[stream] += chunk.toString();
      for (const wake of waiting.splice(0)) wake();
    });
  listen('stdout');
  listen('stderr');
  /** Resolves once the output printed from `offset` on has a line matching `pattern`. */
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, offset: number) =>
    new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`no line matching ${pattern} on ${stream} in ${WAIT_MS} ms; it printed:\n${output.stdout}\n${output.stderr}`)), WAIT_MS);
      const check = () => {
        if (output[stream].slice(offset).split('\n').some((line) => pattern.test(line))) {
          clearTimeout(timeout);
          resolve();
        } else waiting.push(check);
      };
      check();
    });
  return { output, waitFor };
}

describe('kiln generate --watch', () => {
  it('regenerates on save, names what changed, writes nothing while an environment has an error, and stops on Ctrl-C', async () => {
    mkdirSync(root, { recursive: true });
    cpSync(join(import.meta.dirname, 'fixtures/valid'), root, { recursive: true });
    const child = spawn(process.execPath, [bin, 'generate', '--watch', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const { output, waitFor } = follow(child);
    try {
      await waitFor('stdout', /^watching environments\//, 0);
      expect(output.stdout).toMatch(/^generated\/: \d+ written, 0 removed, 0 unchanged$/m);

      let offset = output.stdout.length;
      edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'");
      await waitFor('stdout', /^watching environments\//, offset);
      const run = output.stdout.slice(offset);
      expect(run).toContain('changed: environments/systems/shop.ts\n');
      expect(run).toMatch(/^written +generated\/shop-dev\/compose\/docker-compose\.yml$/m);
      expect(run).toMatch(/^generated\/: [1-9]\d* written, 0 removed, \d+ unchanged$/m);
      expect(readFileSync(join(root, 'generated/shop-dev/compose/docker-compose.yml'), 'utf8')).toContain('LOG_LEVEL: debug');

      const tree = snapshot(join(root, 'generated'));
      offset = output.stdout.length;
      const errors = output.stderr.length;
      edit('shop-dev.ts', "stage: 'development'", "stage: 'dev'");
      await waitFor('stdout', /^watching environments\//, offset);
      expect(output.stdout.slice(offset)).toContain('changed: environments/shop-dev.ts\n');
      expect(output.stderr.slice(errors)).toMatch(/environments\/shop-dev\.ts.*stage/);
      expect(output.stderr.slice(errors)).toContain('nothing written');
      expect(snapshot(join(root, 'generated'))).toEqual(tree);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output.stdout).toMatch(/stopped watching\n$/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 4 * WAIT_MS);
});
