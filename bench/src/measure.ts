/**
 * Runs one Node program as a child process and measures it: wall-clock time around the process (so
 * start-up counts, as it does for a user) and its peak resident memory, from `/usr/bin/time -v`
 * where the machine has it, else from with-rss.ts, which runs the program in-process and prints
 * its own `maxRSS`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';
const WITH_RSS = new URL('./with-rss.js', import.meta.url).pathname;

export interface Sample {
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** Peak resident set size, MiB. */
  readonly rssMiB: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function measure(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const [command, prefix] = existsSync(TIME) ? [TIME, ['-v', process.execPath, script]] : [process.execPath, [WITH_RSS, script]];
  const started = performance.now();
  const child = spawnSync(command, [...prefix, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${child.status}:\n${child.stderr.slice(-4000)}`);
  // `/usr/bin/time -v`: "Maximum resident set size (kbytes): 202996"; with-rss.js: "maxrss-kib 202996".
  const kib = /Maximum resident set size \(kbytes\): (\d+)|^maxrss-kib (\d+)$/m.exec(child.stderr);
  if (!kib) throw new Error(`no peak RSS in the output of ${script}`);
  return { seconds, rssMiB: Number(kib[1] ?? kib[2]) / 1024, stdout: child.stdout, stderr: child.stderr };
}
