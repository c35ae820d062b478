/**
 * The base revision's generated/ tree, read with git for `kiln diff`. Git's blob ids say which
 * files differ from the compiled working tree without reading them, so only those are read (in a
 * few `git show` calls, however many there are) and only those are diffed.
 */
import { createHash } from 'node:crypto';
import { GENERATED_DIR, MANIFEST, parseManifest } from '@kiln/core';
import type { FileMap } from '@kiln/core';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';

/** A base revision that cannot be read: no repository, no such ref. A usage error, not a bug. */
export class BaseRevisionError extends Error {}

export interface BaseRevision {
  readonly ref: string;
  readonly commit: string;
  readonly git: SimpleGit;
}

export interface ChangedFiles {
  /** The base's text of every file that differs or that the working tree no longer produces. */
  readonly before: Map<string, string>;
  /** The working tree's text of every file that differs or that the base lacks. */
  readonly after: Map<string, string>;
}

interface BlobEntry {
  readonly oid: string;
  readonly size: number;
}

/** Finds the commit `ref` names; a BaseRevisionError when there is none. */
export async function resolveBase(root: string, ref: string): Promise<BaseRevision> {
  let git: SimpleGit;
  try {
    git = simpleGit({ baseDir: root });
    await git.revparse(['--show-toplevel']);
  } catch (error) {
    throw new BaseRevisionError(`${root} is not inside a git repository, so there is no base revision to compare with (${firstLine(error)})`);
  }
  try {
    const commit = (await git.raw(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim();
    return { ref, commit, git };
  } catch {
    throw new BaseRevisionError(`'${ref}' names no commit in this repository: give a branch, tag or commit with --base (in CI, fetch the base branch first, e.g. git fetch origin main)`);
  }
}

/** The files that differ between the base's committed generated/ and the compiled `head`, with their text. */
export async function changedFiles(base: BaseRevision, head: FileMap): Promise<ChangedFiles> {
  const listed = await listBlobs(base);
  // Files in the base's generated/ that Kiln did not write are not Kiln's to report as removed.
  const manifestEntry = listed.get(MANIFEST);
  const owned = manifestEntry ? parseManifest((await readBlobs(base.git, [manifestEntry]))[0]) : undefined;
  const ownedPaths = owned && owned.error === undefined ? new Set(Object.keys(owned.files)) : undefined;
  const baseFiles = new Map([...listed].filter(([path]) => path !== MANIFEST && (ownedPaths?.has(path) ?? true)));

  const after = new Map<string, string>();
  const toRead: [string, BlobEntry][] = [];
  for (const [path, text] of head) {
    if (path === MANIFEST) continue;
    const entry = baseFiles.get(path);
    if (entry && entry.oid === blobId(text, entry.oid.length)) continue;
    after.set(path, text);
    if (entry) toRead.push([path, entry]);
  }
  for (const [path, entry] of baseFiles) if (!head.has(path)) toRead.push([path, entry]);
  const texts = await readBlobs(
    base.git,
    toRead.map(([, entry]) => entry),
  );
  const before = new Map(toRead.map(([path], i) => [path, texts[i] ?? '']));
  return { before, after };
}

/** Every blob under generated/ at the base commit, by path relative to generated/. */
async function listBlobs(base: BaseRevision): Promise<Map<string, BlobEntry>> {
  const output = await base.git.raw(['ls-tree', '-r', '-l', '-z', base.commit, '--', `${GENERATED_DIR}/`]);
  const blobs = new Map<string, BlobEntry>();
  for (const record of output.split('\0')) {
    // <mode> SP <type> SP <oid> SP+ <size> TAB <path>; paths are relative to --root, as given.
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (!match || match[2] !== 'blob' || match[1] === '120000') continue;
    const path = match[5] ?? '';
    if (!path.startsWith(`${GENERATED_DIR}/`)) continue;
    blobs.set(path.slice(GENERATED_DIR.length + 1), { oid: match[3] ?? '', size: Number(match[4]) });
  }
  return blobs;
}

/** Git's id of a blob with this text (SHA-1, or SHA-256 in a SHA-256 repository). */
function blobId(text: string, length: number): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash(length === 64 ? 'sha256' : 'sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex');
}

/** The texts of many blobs: `git show` prints them back to back, and their sizes split them. */
async function readBlobs(git: SimpleGit, entries: readonly BlobEntry[]): Promise<string[]> {
  const texts: string[] = [];
  const batch = 500;
  for (let start = 0; start < entries.length; start += batch) {
    const chunk = entries.slice(start, start + batch);
    const output = await git.showBuffer(['--no-textconv', ...chunk.map((entry) => entry.oid)]);
    let offset = 0;
    for (const entry of chunk) {
      texts.push(output.subarray(offset, offset + entry.size).toString('utf8'));
      offset += entry.size;
    }
    if (offset !== output.length) throw new Error(`git show returned ${output.length} bytes for blobs of ${offset} bytes`);
  }
  return texts;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split('\n')[0] ?? '';
}
