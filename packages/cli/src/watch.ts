/**
 * `kiln generate --watch`: generate, then again each time a file under environments/ is saved
 * (saves in quick succession are one run; a save during a run starts one more after it), naming
 * the files that changed on both sides. Ctrl-C (or SIGTERM) stops it with exit 0.
 */
import { watch as watchFolder } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ENVIRONMENTS_DIR } from '@kiln/core/layout';
import type { ResolveOptions } from '@kiln/core';
import type { Reporter } from './report.js';

/** How long to wait after a save for the next one: an editor's save is often several writes. */
const SETTLE_MS = 150;

type Generate = (repository: ResolveOptions, only: readonly string[], report: Reporter, options: { files: boolean }) => Promise<number>;

/** Resolves when stopped, with exit code 0: a run with errors is one the author is still fixing. */
export async function watch(repository: ResolveOptions, only: readonly string[], report: Reporter, generate: Generate): Promise<number> {
  const folder = join(repository.root, ENVIRONMENTS_DIR);
  const saved = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    const files = [...saved].sort();
    saved.clear();
    if (files.length > 0) report.info(`changed: ${files.join(', ')}`);
    try {
      await generate(repository, only, report, { files: true });
    } catch (error) {
      // A disk or permission problem, or a bug: said, and the next save tries again.
      report.error(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
    report.info(`watching ${ENVIRONMENTS_DIR}/ (Ctrl-C stops)`);
  };
  // One run at a time; what is saved during a run is compiled right after it.
  const schedule = () => {
    if (running) return;
    running = run().finally(() => {
      running = undefined;
      if (saved.size > 0) schedule();
    });
  };

  await new Promise<void>((resolve) => {
    // Recursive: systems/ and any folder below, new ones too (Node 20 on Linux watches each folder).
    const watcher = watchFolder(folder, { recursive: true }, (_, name) => {
      if (name === null) return;
      saved.add(relative(repository.root, join(folder, name)).split(sep).join('/'));
      clearTimeout(timer);
      timer = setTimeout(schedule, SETTLE_MS);
    });
    const stop = () => {
      clearTimeout(timer);
      watcher.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A run under way finishes first: its write is atomic, but a half-printed result helps no one.
      void (running ?? Promise.resolve()).then(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    schedule();
  });
  report.info('stopped watching');
  return 0;
}
