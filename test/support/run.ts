/** Runs the kiln CLI in-process, capturing what it prints: the same code path as `npx kiln`. */
import { main } from '@kiln/cli';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** With --json: every diagnostic printed on stderr, its `fix` as `hint` (the name the diagnostic has inside Kiln). */
  readonly diagnostics: { code: string; severity: string; file: string; path: string; message: string; hint?: string; line: number | null; environment: string | null }[];
}

/** `env` adds to (or, with undefined, removes from) the command's environment: NO_COLOR and this PATH. */
export async function kiln(args: string[], cwd = process.cwd(), env: Record<string, string | undefined> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    // PATH: commands that run tools (kiln test) find them where the tests' own checks do.
    env: { NO_COLOR: '1', PATH: process.env.PATH, ...env },
    cwd,
  });
  const diagnostics = stderr
    .split('\n')
    .filter((line) => line.startsWith('{"type":"diagnostic"'))
    .map((line) => {
      const { type: _, fix, ...diagnostic } = JSON.parse(line);
      return { ...diagnostic, ...(fix === null ? {} : { hint: fix }) };
    });
  return { code, stdout, stderr, diagnostics };
}
