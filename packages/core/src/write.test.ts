import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Compilation } from './compile.js';
import { COMMIT, JOURNAL, parseJournal, renderIntent, temporaryFor } from './journal.js';
import type { Journal } from './journal.js';
import { hash, MANIFEST } from './manifest.js';
import { planTree } from './tree.js';
import { repairTree, writeTree } from './write.js';

/** A compilation that owns all of generated/ and produces `files`. */
const compilation = (files: Record<string, string>): Compilation => ({ diagnostics: [], environments: [], files: new Map(Object.entries(files)), owns: () => true, reserved: [], provenance: {}, date: '2026-01-01' });

const v1 = { 'a/one.yaml': '1\n', 'a/two.yaml': '2\n', 'b/three.yaml': '3\n' };
// Rewrites one file, removes two (emptying b/), adds one in a new folder.
const v2 = { 'a/one.yaml': 'one\n', 'c/four.yaml': '4\n' };

let root = '';
const generated = (path = '') => join(root, 'generated', path);
/** Every file under generated/ with its text, hidden ones too. */
const tree = () => {
  const files = readdirSync(generated(), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Object.fromEntries(files.sort().map((path) => [path.slice(generated().length), readFileSync(path, 'utf8')]));
};
const generate = (files: Record<string, string>) => writeTree(root, planTree(root, compilation(files)));

/**
 * The write of `files` as writeTree makes it, cut off: the intent, then `staged` temporary files
 * (the last one half written), then, if `committed`, the commit record and `renamed` of the renames.
 */
function cutOff(files: Record<string, string>, cut: { staged: number; committed?: boolean; renamed?: number }): Journal {
  const plan = planTree(root, compilation(files));
  const journal: Journal = {
    write: plan.changed.map((path) => ({ path, temporary: temporaryFor(path) })),
    remove: plan.removed.map((path) => ({ path, hash: hash(readFileSync(generated(path), 'utf8')) })),
  };
  writeFileSync(generated(JOURNAL), renderIntent(journal));
  journal.write.slice(0, cut.staged).forEach(({ path, temporary }, i) => {
    mkdirSync(dirname(generated(temporary)), { recursive: true });
    const content = plan.files.get(path) ?? '';
    writeFileSync(generated(temporary), i === cut.staged - 1 && !cut.committed ? content.slice(0, 1) : content);
  });
  if (!cut.committed) return journal;
  appendFileSync(generated(JOURNAL), `${COMMIT}\n`);
  for (const { path, temporary } of journal.write.slice(0, cut.renamed ?? 0)) renameSync(generated(temporary), generated(path));
  return journal;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiln-write-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('writeTree', () => {
  it('writes and removes through a journal that is gone when it returns', () => {
    generate(v1);
    const first = tree();
    expect(Object.keys(first)).toEqual(['/a/one.yaml', '/a/two.yaml', '/b/three.yaml', `/${MANIFEST}`]);
    expect(generate(v2)).toEqual({ written: ['a/one.yaml', 'c/four.yaml', MANIFEST], removed: ['a/two.yaml', 'b/three.yaml'] });
    expect(Object.keys(tree())).toEqual(['/a/one.yaml', '/c/four.yaml', `/${MANIFEST}`]);
    expect(existsSync(generated('b'))).toBe(false);
    expect(planTree(root, compilation(v2)).changed).toEqual([]);
  });

  it('refuses a plan made while a write is unfinished', () => {
    generate(v1);
    cutOff(v2, { staged: 1 });
    const plan = planTree(root, compilation(v2));
    expect(plan.interrupted).toBe('staged');
    expect(() => writeTree(root, plan)).toThrow(/may not be written/);
  });
});

describe('repairTree', () => {
  it('rolls back a write cut off before its commit: the old tree, no temporary file, no new folder', () => {
    generate(v1);
    const before = tree();
    for (let staged = 0; staged <= 3; staged++) {
      cutOff(v2, { staged });
      expect(planTree(root, compilation(v1)).interrupted).toBe('staged');
      expect(repairTree(root)).toBe('rolled back');
      expect(tree()).toEqual(before);
      expect(existsSync(generated('c'))).toBe(false);
    }
    expect(repairTree(root)).toBeUndefined();
  });

  it('finishes a committed write wherever it was cut off, and the manifest describes the result', () => {
    for (let renamed = 0; renamed <= 3; renamed++) {
      rmSync(generated(), { recursive: true, force: true });
      generate(v1);
      cutOff(v2, { staged: 3, committed: true, renamed });
      expect(planTree(root, compilation(v2)).interrupted).toBe('committed');
      expect(repairTree(root)).toBe('finished');
      const plan = planTree(root, compilation(v2));
      expect([plan.changed, plan.removed, plan.handEdited, plan.unknown, plan.blocked]).toEqual([[], [], [], [], []]);
      expect(Object.keys(tree())).toEqual(['/a/one.yaml', '/c/four.yaml', `/${MANIFEST}`]);
    }
  });

  it('leaves a file it was to remove when its bytes changed after the plan', () => {
    generate(v1);
    cutOff(v2, { staged: 3, committed: true });
    writeFileSync(generated('a/two.yaml'), 'edited after the plan\n');
    expect(repairTree(root)).toBe('finished');
    expect(readFileSync(generated('a/two.yaml'), 'utf8')).toBe('edited after the plan\n');
    expect(planTree(root, compilation(v2)).unknown).toEqual(['a/two.yaml']);
  });

  it('leaves the journal of a run whose process is still writing', () => {
    generate(v1);
    const journal = cutOff(v2, { staged: 1 });
    // The process that started this test's worker: alive, and not this one.
    writeFileSync(generated(JOURNAL), renderIntent(journal, process.ppid));
    expect(planTree(root, compilation(v2)).interrupted).toBe('running');
    expect(repairTree(root)).toBeUndefined();
    expect(existsSync(generated(journal.write[0]?.temporary ?? ''))).toBe(true);
  });

  it('removes a torn intent and nothing else', () => {
    generate(v1);
    const before = tree();
    writeFileSync(generated(JOURNAL), '{"comment":"Kiln\'s jou');
    expect(repairTree(root)).toBe('rolled back');
    expect(tree()).toEqual(before);
  });

  it('does nothing through a link, or with a journal it cannot trust, and the plan says why', () => {
    generate(v1);
    const outside = mkdtempSync(join(tmpdir(), 'kiln-outside-'));
    try {
      const journal = cutOff(v2, { staged: 3, committed: true });
      renameSync(generated('a'), join(outside, 'a'));
      symlinkSync(join(outside, 'a'), generated('a'));
      expect(repairTree(root)).toBeUndefined();
      expect(planTree(root, compilation(v2)).blocked).toEqual([{ path: 'a', reason: 'generated/a is a symbolic link where Kiln needs a folder' }]);
      expect(readdirSync(join(outside, 'a')).sort()).toEqual(['one.yaml', 'two.yaml', ...journal.write.filter((w) => w.path.startsWith('a/')).map((w) => basename(w.temporary))].sort());

      writeFileSync(generated(JOURNAL), renderIntent({ write: [{ path: 'b/three.yaml', temporary: 'b/three.yaml' }], remove: [] }));
      expect(repairTree(root)).toBeUndefined();
      expect(planTree(root, compilation(v2)).journalError).toMatch(/no file and temporary file of Kiln's/);
      expect(readFileSync(generated('b/three.yaml'), 'utf8')).toBe('3\n');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('planTree', () => {
  it('refuses a generated/ that is a link, and reads nothing through it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'kiln-outside-'));
    try {
      writeFileSync(join(outside, MANIFEST), '{ not read }');
      symlinkSync(outside, generated());
      const plan = planTree(root, compilation(v1));
      expect(plan.blocked).toEqual([{ path: '', reason: expect.stringContaining('generated/ is a symbolic link, not a folder') }]);
      expect([plan.changed, plan.removed, plan.manifestError]).toEqual([[], [], undefined]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('counts the journal and the temporary files it names as Kiln’s, and nothing else named like them', () => {
    generate(v1);
    const journal = cutOff(v2, { staged: 3 });
    writeFileSync(generated('a/.kiln-0123456789abcdef.tmp'), 'a person’s file\n');
    expect(planTree(root, compilation(v1)).unknown).toEqual(['a/.kiln-0123456789abcdef.tmp']);
    for (const { path, temporary } of journal.write) {
      expect(dirname(temporary)).toBe(dirname(path));
      expect(basename(temporary)).toMatch(/^\.kiln-[0-9a-f]{16}\.tmp$/);
    }
  });
});

describe('parseJournal', () => {
  const write = [{ path: 'a/one.yaml', temporary: 'a/.kiln-0123456789abcdef.tmp' }];
  const remove = [{ path: 'b/three.yaml', hash: 'sha256:0' }];

  it('reads the intent, and the commit only when its record is whole', () => {
    const intent = renderIntent({ write, remove });
    expect(parseJournal(intent)).toEqual({ state: 'staged', journal: { write, remove }, writer: process.pid });
    expect(parseJournal(`${intent}${COMMIT}\n`)).toEqual({ state: 'committed', journal: { write, remove }, writer: process.pid });
    expect(parseJournal(`${intent}${COMMIT.slice(0, 5)}`).state).toBe('staged');
    expect(parseJournal(intent.slice(0, 40))).toEqual({ state: 'staged', journal: { write: [], remove: [] } });
  });

  it('refuses paths outside generated/ and temporary files that are not Kiln’s or not beside their file', () => {
    const refused = [
      { write: [{ path: '../x', temporary: '.kiln-0123456789abcdef.tmp' }], remove: [] },
      { write: [{ path: 'a/one.yaml', temporary: 'a/two.yaml' }], remove: [] },
      { write: [{ path: 'a/one.yaml', temporary: 'b/.kiln-0123456789abcdef.tmp' }], remove: [] },
      { write: [{ path: 'a/one.yaml', temporary: 'a/.kiln-4242.tmp' }], remove: [] },
      { write: [], remove: [{ path: '/etc/passwd', hash: 'sha256:0' }] },
      { write: [], remove: [{ path: JOURNAL, hash: 'sha256:0' }] },
      { write: {}, remove: [] },
    ];
    for (const journal of refused) expect(parseJournal(`${JSON.stringify(journal)}\n${COMMIT}\n`).state, JSON.stringify(journal)).toBe('unreadable');
  });
});
