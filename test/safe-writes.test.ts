/**
 * generate and check against a hostile or interrupted generated/: links planted wherever Kiln
 * writes or removes (nothing outside generated/ may change, and nothing is written), files named
 * like Kiln's temporary files (never deleted), forged journals, and `kiln generate` killed with
 * SIGKILL at random points of a large change (the next generate and check restore one consistent
 * tree, also after the author reverts the change).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL } from '@kiln/core';
import { kiln } from './support/run.js';
import { readTree, snapshot } from './support/tree.js';

const scratch = join(import.meta.dirname, '.tmp', `safe-writes-${process.pid}`);
const fixture = join(import.meta.dirname, 'fixtures/valid');
const bin = join(import.meta.dirname, '../packages/cli/bin/kiln.js');
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A scratch repository with the valid fixture, a folder beside it (outside the repository), and generated/ written once. */
async function repository() {
  const base = join(scratch, String(counter++));
  const root = join(base, 'repo');
  const outside = join(base, 'outside');
  mkdirSync(outside, { recursive: true });
  cpSync(fixture, root, { recursive: true });
  expect((await kiln(['generate', '--root', root])).code).toBe(0);
  const generated = (path = '') => join(root, 'generated', path);
  return {
    root,
    outside,
    generated,
    /** Moves generated/<path> to `target` and leaves a symbolic link to it in its place. */
    link(path: string, target: string) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(generated(path), target);
      symlinkSync(target, generated(path));
    },
    /** A change that rewrites shop-prod's api Deployment and removes its PodDisruptionBudget. */
    change() {
      const system = join(root, 'environments/systems/shop.ts');
      writeFileSync(system, readFileSync(system, 'utf8').replace("LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'").replace('replicas: 2,', 'replicas: 1,'));
    },
  };
}

describe('writes and removals never leave generated/', () => {
  type Repository = Awaited<ReturnType<typeof repository>>;
  // Each plants links, then changes the input so that Kiln must write or remove through them.
  const cases: { name: string; plant: (repo: Repository) => void; blocked: string[] }[] = [
    { name: 'an environment’s folder', plant: (r) => r.link('shop-prod', join(r.outside, 'shop-prod')), blocked: ['generated/shop-prod'] },
    {
      name: 'the folder of an environment that is removed',
      plant: (r) => {
        r.link('shop-prod', join(r.outside, 'shop-prod'));
        rmSync(join(r.root, 'environments/shop-prod.ts'));
      },
      blocked: ['generated/shop-prod'],
    },
    { name: 'a folder deeper down', plant: (r) => r.link('shop-prod/kubernetes', join(r.outside, 'kubernetes')), blocked: ['generated/shop-prod/kubernetes'] },
    {
      name: 'a file Kiln rewrites and one it removes',
      plant: (r) => {
        r.link('shop-prod/kubernetes/deployment-api.yaml', join(r.outside, 'deployment-api.yaml'));
        r.link('shop-prod/kubernetes/poddisruptionbudget-api.yaml', join(r.outside, 'pdb.yaml'));
      },
      blocked: ['generated/shop-prod/kubernetes/deployment-api.yaml', 'generated/shop-prod/kubernetes/poddisruptionbudget-api.yaml'],
    },
    { name: 'generated/ itself', plant: (r) => r.link('', join(r.outside, 'generated')), blocked: ['generated/'] },
    // Refused too, though it stays inside the repository: git would commit the link, not the files.
    { name: 'generated/ itself, to a folder inside the repository', plant: (r) => r.link('', join(r.root, 'build/generated')), blocked: ['generated/'] },
  ];

  for (const { name, plant, blocked } of cases) {
    it(`refuses a link in place of ${name}: exit 1, the diagnostic, nothing written or removed anywhere`, async () => {
      const repo = await repository();
      plant(repo);
      repo.change();
      const before = { outside: snapshot(repo.outside), repository: snapshot(repo.root) };
      const run = await kiln(['generate', '--json', '--root', repo.root]);
      expect(run.code).toBe(1);
      expect(run.diagnostics.map((d) => [d.code, d.file])).toEqual(blocked.map((file) => ['PATH_BLOCKED', file]));
      expect(snapshot(repo.outside)).toEqual(before.outside);
      expect(snapshot(repo.root)).toEqual(before.repository);
      const check = await kiln(['check', '--json', '--root', repo.root]);
      expect(check.code).toBe(1);
      expect(check.diagnostics.map((d) => [d.code, d.file])).toEqual(blocked.map((file) => ['PATH_BLOCKED', file]));
    });
  }

  it('refuses a journal that names a file through a link, is itself a link, or names files that are no temporary files', async () => {
    const repo = await repository();
    const service = 'shop-prod/kubernetes/service-api.yaml';
    const journal = (lines: object[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
    const attempts: [string, () => void, string[][]][] = [
      [
        'a committed journal removing a file below a linked folder',
        () => {
          repo.link('shop-prod', join(repo.outside, 'shop-prod'));
          writeFileSync(repo.generated(JOURNAL), journal([{ write: [], remove: [{ path: service, hash: sha256(readFileSync(repo.generated(service), 'utf8')) }] }, { commit: true }]));
        },
        [
          ['WRITE_INTERRUPTED', `generated/${JOURNAL}`],
          ['PATH_BLOCKED', 'generated/shop-prod'],
        ],
      ],
      [
        'a journal that is a link to a file outside',
        () => {
          writeFileSync(join(repo.outside, 'journal'), journal([{ write: [{ path: service, temporary: 'shop-prod/kubernetes/.kiln-0123456789abcdef.tmp' }], remove: [] }]));
          writeFileSync(repo.generated('shop-prod/kubernetes/.kiln-0123456789abcdef.tmp'), 'not Kiln’s\n');
          symlinkSync(join(repo.outside, 'journal'), repo.generated(JOURNAL));
        },
        [['JOURNAL_UNREADABLE', `generated/${JOURNAL}`]],
      ],
      [
        'a journal naming a generated file as a temporary file',
        () => writeFileSync(repo.generated(JOURNAL), journal([{ write: [{ path: service, temporary: 'shop-prod/kubernetes/service-web.yaml' }], remove: [] }])),
        [['JOURNAL_UNREADABLE', `generated/${JOURNAL}`]],
      ],
    ];
    for (const [what, plant, diagnostics] of attempts) {
      rmSync(repo.generated(), { recursive: true, force: true });
      rmSync(repo.outside, { recursive: true, force: true });
      mkdirSync(repo.outside);
      expect((await kiln(['generate', '--root', repo.root])).code, what).toBe(0);
      plant();
      const before = { outside: snapshot(repo.outside), repository: snapshot(repo.root) };
      for (const command of ['generate', 'check']) {
        const run = await kiln([command, '--json', '--root', repo.root]);
        expect(run.code, `${command}: ${what}`).toBe(1);
        expect(run.diagnostics.map((d) => [d.code, d.file]), `${command}: ${what}`).toEqual(diagnostics);
      }
      expect(snapshot(repo.outside), what).toEqual(before.outside);
      expect(snapshot(repo.root), what).toEqual(before.repository);
    }
  });
});

describe('temporary files', () => {
  it('never deletes a file named like one unless the journal of an interrupted write names it', async () => {
    const repo = await repository();
    const lookalikes = ['shop-prod/kubernetes/.kiln-0123456789abcdef.tmp', 'shop-prod/kubernetes/.service-api.yaml.kiln-4242.tmp', '.kiln-fedcba9876543210.tmp'];
    for (const path of lookalikes) writeFileSync(repo.generated(path), `mine: ${path}\n`);
    repo.change();
    const run = await kiln(['generate', '--json', '--root', repo.root]);
    expect(run.code).toBe(0);
    expect(run.diagnostics.map((d) => [d.code, d.file])).toEqual(lookalikes.map((path) => ['UNKNOWN_FILE', `generated/${path}`]).sort());
    for (const path of lookalikes) expect(readFileSync(repo.generated(path), 'utf8')).toBe(`mine: ${path}\n`);
    const check = await kiln(['check', '--root', repo.root]);
    expect(check.stdout.trim().split('\n').map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual(lookalikes.map((path) => `unknown generated/${path}`).sort());

    // A write cut off before its commit: the temporary file its journal names goes, the others stay.
    const ours = 'shop-prod/kubernetes/.kiln-aaaaaaaaaaaaaaaa.tmp';
    writeFileSync(repo.generated(ours), 'half a file');
    writeFileSync(repo.generated(JOURNAL), `${JSON.stringify({ write: [{ path: 'shop-prod/kubernetes/service-api.yaml', temporary: ours }], remove: [] })}\n`);
    const repair = await kiln(['generate', '--root', repo.root]);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toContain('generated/: rolled back an interrupted write');
    expect(existsSync(repo.generated(ours))).toBe(false);
    expect(existsSync(repo.generated(JOURNAL))).toBe(false);
    for (const path of lookalikes) expect(readFileSync(repo.generated(path), 'utf8')).toBe(`mine: ${path}\n`);
  });
});

describe('generate killed with SIGKILL in the middle of a large change', () => {
  const TRIALS = 20;
  const dir = join(scratch, 'kill');
  const sources = { a: join(dir, 'environments-a'), b: join(dir, 'environments-b') };
  const use = (repo: string, version: 'a' | 'b') => {
    rmSync(join(repo, 'environments'), { recursive: true, force: true });
    cpSync(sources[version], join(repo, 'environments'), { recursive: true });
  };

  type Moment = 'intent' | 'commit' | 'finished';
  /**
   * Runs the built `kiln generate` in its own process, watching its journal: `intent` is when it
   * appears, `commit` when the commit record is in it, `finished` when it is gone. With `kill`, the
   * process is killed with SIGKILL `delay` ms after that moment. Times are ms after the intent.
   */
  const generate = (repo: string, kill?: { after: Moment; delay: number }) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; commit: number | undefined; finished: number | undefined }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'generate', '--root', repo], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const seen: Partial<Record<Moment, number>> = {};
      const reached = (moment: Moment) => {
        if (seen[moment] !== undefined) return;
        seen[moment] = performance.now();
        // On a busy machine this process would see the commit only after the writer has finished,
        // unless the writer runs at the lowest priority from here on.
        if (moment === 'intent' && kill?.after === 'commit' && child.pid !== undefined) setPriority(child.pid, 19);
        if (kill?.after === moment) setTimeout(() => child.kill('SIGKILL'), kill.delay);
      };
      const watcher = watch(join(repo, 'generated'), (_, name) => {
        if (name !== JOURNAL) return;
        reached('intent');
        try {
          if (readFileSync(join(repo, 'generated', JOURNAL), 'utf8').includes('{"commit":true}')) reached('commit');
        } catch {
          reached('finished');
        }
      });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        watcher.close();
        const since = (time: number | undefined) => (time === undefined || seen.intent === undefined ? undefined : time - seen.intent);
        resolve({ code, signal, stderr, commit: since(seen.commit), finished: since(seen.finished) });
      });
    });

  beforeEach(() => {
    // A: two environments of a system of 30 services. B renames the system and changes every
    // service (which rewrites nearly every file), removes each service's PodDisruptionBudget, adds
    // six services, and replaces an environment with another.
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(import.meta.dirname, 'fixtures/large/environments'), sources.a, { recursive: true });
    cpSync(sources.a, sources.b, { recursive: true });
    const system = join(sources.b, 'systems/fleet.ts');
    const edits: [string, string][] = [["name: 'fleet'", "name: 'armada'"], ['WORKERS = 30', 'WORKERS = 36'], ["LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'"], ['replicas: 2', 'replicas: 1']];
    writeFileSync(system, edits.reduce((text, [from, to]) => text.replace(from, to), readFileSync(system, 'utf8')));
    writeFileSync(join(sources.b, 'fleet-north.ts'), readFileSync(join(sources.a, 'fleet-west.ts'), 'utf8').replace("'fleet-west'", "'fleet-north'"));
    rmSync(join(sources.b, 'fleet-west.ts'));
  });

  it(`leaves a tree the next generate and check repair, after the author reverts the change too (${TRIALS} trials)`, async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo, { recursive: true });
    use(repo, 'a');
    expect((await kiln(['generate', '--root', repo])).code).toBe(0);
    const expected = { a: readTree(join(repo, 'generated')), b: new Map<string, string>() };

    // A clean run of the change: what B looks like, and how long its write takes.
    const clean = join(dir, 'clean');
    cpSync(repo, clean, { recursive: true });
    use(clean, 'b');
    const timing = await generate(clean);
    expect([timing.code, timing.stderr]).toEqual([0, '']);
    // How long staging and finishing take (kills aimed at staging are spread over it).
    const spans = { intent: timing.commit ?? 0, commit: (timing.finished ?? 0) - (timing.commit ?? 0) };
    expected.b = readTree(join(clean, 'generated'));
    const changed = [...new Set([...expected.a.keys(), ...expected.b.keys()])].filter((path) => expected.a.get(path) !== expected.b.get(path));
    expect(changed.length).toBeGreaterThan(250);

    // Each trial changes the tree from the version it holds to the other one, A to B or B to A, and
    // is killed; then the author either keeps the change or reverts it, and runs generate.
    let current: 'a' | 'b' = 'a';
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const target: 'a' | 'b' = current === 'a' ? 'b' : 'a';
      use(repo, target);
      // Every third kill aims at the finishing renames, the others at staging.
      const after = trial % 3 === 2 ? 'commit' : 'intent';
      // Finishing takes a few ms, less than it takes this process to see the commit: kill at once.
      const delay = after === 'commit' ? 0 : Math.random() * spans[after];
      const where = `trial ${trial} (${current} to ${target}): killed ${delay.toFixed(1)} ms after the ${after} (${spans[after].toFixed(1)} ms in a clean run)`;
      const run = await generate(repo, { after, delay });
      // Killed, or finished before the kill: anything else is a failure of its own.
      expect(run.signal === 'SIGKILL' || (run.code === 0 && run.stderr === ''), `${where}: exit ${run.code}, ${run.stderr}`).toBe(true);
      const journal = existsSync(join(repo, 'generated', JOURNAL)) ? readFileSync(join(repo, 'generated', JOURNAL), 'utf8') : undefined;
      outcomes.push(journal === undefined ? 'done' : journal.includes('{"commit":true}') ? 'committed' : 'staged');

      // check on the interrupted tree (every other trial, to keep the test quick): it says so, and nothing else.
      if (trial % 2 === 1) {
        const interrupted = await kiln(['check', '--json', '--root', repo]);
        if (journal === undefined) expect(interrupted.code, where).toBe(0);
        else expect([interrupted.code, interrupted.diagnostics.map((d) => d.code)], where).toEqual([1, ['WRITE_INTERRUPTED']]);
      }

      const version: 'a' | 'b' = trial % 2 === 0 ? current : target;
      use(repo, version);
      const repair = await kiln(['generate', '--json', '--root', repo]);
      // No hand edits that never happened, no file "not written by Kiln": exactly the clean tree.
      expect([repair.code, repair.diagnostics], where).toEqual([0, []]);
      expect(readTree(join(repo, 'generated')), where).toEqual(expected[version]);
      if (trial % 4 === 3) expect((await kiln(['check', '--root', repo])).code, where).toBe(0);
      current = version;
    }
    // Kills must land before and after the commit, or this tests nothing.
    console.log(`kill outcomes: ${outcomes.join(' ')} (staging ${spans.intent.toFixed(1)} ms, finishing ${spans.commit.toFixed(1)} ms)`);
    expect(outcomes.filter((outcome) => outcome === 'staged').length).toBeGreaterThanOrEqual(TRIALS / 4);
    expect(outcomes.filter((outcome) => outcome === 'committed').length).toBeGreaterThanOrEqual(1);
  }, 400_000);
});
