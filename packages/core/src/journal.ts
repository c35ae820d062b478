/**
 * The journal of a write to generated/: a write-ahead log in generated/.kiln-journal.jsonl that
 * lets the next run finish or roll back a write that was cut off (SIGKILL, a full disk, a crash).
 *
 * A write (write.ts) goes:
 *   1. intent: the journal's first line names every file about to be written, with the temporary
 *      file its bytes go to first, and every file about to be removed, with the hash it has now;
 *      it is written before any file changes;
 *   2. staging: each new file's bytes go to its temporary file beside it;
 *   3. commit: a second line, `{"commit":true}`, is appended;
 *   4. finish: temporaries are renamed over their files, removed files unlinked, the manifest last;
 *   5. the journal is removed.
 * Found on the next run: without the commit line no file has changed yet, so the run is rolled
 * back (the temporaries it names are deleted); with it, steps 4 and 5 are done again, which is
 * safe to repeat. A first line that does not parse means the run died writing it, before anything
 * else. Either way generated/ ends in exactly one state its manifest describes, and Kiln never
 * disowns a file it wrote. The intent names the writing process: while it still runs, its journal
 * is another run's work in progress, and nothing is repaired.
 *
 * Temporary files are `.kiln-<16 hex digits>.tmp` beside their file: random, so no person's file
 * has the name, and deleted only when a journal names them. A journal is read as carefully as the
 * manifest: it may name only plain paths inside generated/ and temporaries of that form beside
 * them, and every one is looked up without following links (beneath.ts) before anything is done.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Blocked, Entry } from './beneath.js';
import { describeEntry, entry, lookup, readText } from './beneath.js';
import { isSafePath } from './manifest.js';

export const JOURNAL = '.kiln-journal.jsonl';

/** The commit record, the journal's second line. */
export const COMMIT = '{"commit":true}';

const TEMPORARY_NAME = /^\.kiln-[0-9a-f]{16}\.tmp$/;

export interface Journal {
  /** Files to write, each with the temporary file beside it that holds its new bytes. */
  readonly write: readonly { readonly path: string; readonly temporary: string }[];
  /** Files to remove, each with the hash it had when the write was planned: anything else is left alone. */
  readonly remove: readonly { readonly path: string; readonly hash: string }[];
}

/** A journal found in generated/: what the interrupted run got to. */
export type Interrupted =
  /** No commit record (or a torn intent): no file changed yet; the run is rolled back. */
  | { readonly state: 'staged'; readonly journal: Journal; readonly writer?: number }
  /** Committed: the run is finished. */
  | { readonly state: 'committed'; readonly journal: Journal; readonly writer?: number }
  /** Not a journal Kiln can act on (forged, edited, or not a file): nothing is done. */
  | { readonly state: 'unreadable'; readonly error: string };

/** A fresh temporary file name beside `path`. */
export function temporaryFor(path: string): string {
  return `${folderOf(path)}.kiln-${randomBytes(8).toString('hex')}.tmp`;
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** The intent record; `pid` is the writing process, so that a run still writing is not taken for one cut off. */
export function renderIntent(journal: Journal, pid = process.pid): string {
  const comment = "Kiln's journal of a write to generated/ that has not finished: 'npx kiln generate' finishes or rolls it back. Never edit or commit it.";
  return `${JSON.stringify({ comment, pid, write: journal.write, remove: journal.remove })}\n`;
}

/** Whether the process that wrote a journal is still running (another `kiln generate`, right now). */
export function stillWriting(interrupted: Interrupted): boolean {
  const pid = interrupted.state === 'unreadable' ? undefined : interrupted.writer;
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The journal in generated/ (`dir`, checked to be a real folder), if there is one. */
export function readJournal(dir: string): Interrupted | undefined {
  const kind = entry(join(dir, JOURNAL));
  if (kind === 'absent') return undefined;
  if (kind !== 'file') return { state: 'unreadable', error: `it is ${describeEntry(kind)}, not a file` };
  return parseJournal(readText(join(dir, JOURNAL)) ?? '');
}

export function parseJournal(text: string): Interrupted {
  const [intent = '', commit = ''] = text.split('\n');
  let parsed: unknown;
  try {
    parsed = JSON.parse(intent);
  } catch {
    // Cut off while the intent was written: nothing else had happened yet.
    return { state: 'staged', journal: { write: [], remove: [] } };
  }
  const journal = validJournal(parsed);
  if (typeof journal === 'string') return { state: 'unreadable', error: journal };
  const { pid } = parsed as { pid?: unknown };
  return { state: commit === COMMIT ? 'committed' : 'staged', journal, ...(Number.isSafeInteger(pid) && (pid as number) > 0 ? { writer: pid as number } : {}) };
}

function validJournal(value: unknown): Journal | string {
  const { write, remove } = (value ?? {}) as { write?: unknown; remove?: unknown };
  if (!Array.isArray(write) || !Array.isArray(remove)) return "it has no 'write' and 'remove' lists";
  const plain = (path: unknown): path is string => typeof path === 'string' && isSafePath(path) && path !== JOURNAL;
  const bad = [
    ...write.filter((w: { path?: unknown; temporary?: unknown }) => {
      const { path, temporary } = w ?? {};
      return !plain(path) || !plain(temporary) || folderOf(temporary) !== folderOf(path) || !TEMPORARY_NAME.test(temporary.slice(folderOf(temporary).length));
    }),
    ...remove.filter((r: { path?: unknown; hash?: unknown }) => !plain(r?.path) || typeof r?.hash !== 'string'),
  ];
  if (bad.length > 0) return `it names ${bad.map((item) => JSON.stringify(item)).join(', ')}, which is no file and temporary file of Kiln's inside generated/`;
  return { write, remove } as Journal;
}

/**
 * What stands in the way of finishing or rolling back: a link or file where a folder is, or
 * anything but a file (or nothing) where the journal names a file. Nothing is done while any exists.
 */
export function journalObstructions(dir: string, interrupted: Interrupted, folders: Map<string, Entry>): Blocked[] {
  if (interrupted.state === 'unreadable') return [];
  const { write, remove } = interrupted.journal;
  const paths =
    interrupted.state === 'committed'
      ? [...write.flatMap((w) => [w.temporary, w.path]), ...remove.map((r) => r.path)]
      : write.map((w) => w.temporary);
  return paths.flatMap((path) => {
    const { kind, obstacle } = lookup(dir, path, folders);
    if (obstacle) return [obstacle];
    if (kind === 'absent' || kind === 'file') return [];
    return [{ path, reason: `${describeEntry(kind)} stands where Kiln's journal of an interrupted write names a file` }];
  });
}
