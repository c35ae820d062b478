/**
 * Loads environments/*.ts. An environment file is a program: it can loop forever, call
 * process.exit, throw from a timer after its export, or change globals and shared modules that
 * the next file would see. So each file is evaluated in a worker thread of its own
 * (load-worker.ts), under a time limit, and the compiler goes on only once that thread has ended
 * of itself: whatever the file did, even late, is a diagnostic naming it, and nothing is written.
 *
 * Why a thread per file rather than one thread for all files, each in a fresh vm context: a vm
 * context shares the thread's event loop and `process` (process.exit, a late throw, an endless loop
 * reach every file and Kiln), and Node's ESM loader has no per-context module cache, so
 * @kiln/model's module state would still be shared. A thread gives all of that for a price,
 * measured with `time kiln list` on the 11 committed environments (2 cores shared with other jobs,
 * so wall clock is noisy): CPU 2.3–2.7 s in one thread before, 3.8–4.1 s with a thread per file, as
 * many at once as there are cores (wall clock 2.7–5.1 s before, 4.6–7.1 s after). Each thread
 * starts Node and loads @kiln/model afresh, about 0.13 s of CPU: that is the isolation. Transpiling
 * stays in the main thread, each file once (Babel, cold in every thread, had cost about 1.8 s more
 * CPU). Threads, not child processes: they start faster, and a thread is stopped even in the middle
 * of an endless loop (Worker.terminate).
 *
 * This contains mistakes, not hostile code: a file can still write to disk or kill the process.
 *
 * jiti transpiles TypeScript in-process (no build step for environment files, no native binary),
 * and it is what ESLint, Tailwind and Nuxt use to load TypeScript configuration. Its file cache is
 * off: nothing is written outside generated/.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { Diagnostic } from '@kiln/model';
import { createJiti } from 'jiti';
import type { TransformOptions } from 'jiti';
import { CoreCode } from './codes.js';
import { inputsHash } from './inputs.js';
import { ENVIRONMENTS_DIR } from './layout.js';
import type { Mark, WorkerInput, WorkerMessage } from './load-worker.js';

export interface LoadedFile {
  /** The file, relative to the root, with forward slashes (`environments/bitquan-mainnet.ts`). */
  readonly file: string;
  /** The name the file says the environment has. */
  readonly name: string;
  readonly input?: unknown;
  /** `sha256:…` over the file and every repository file it imports (the manifest's provenance). */
  readonly inputs: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /**
   * How long one file may take to load and to finish whatever it started (timers, promises), in
   * milliseconds.
   * @default 30000
   */
  readonly timeout?: number;
}

export { ENVIRONMENTS_DIR };

/** The time an environment file gets by default: far more than any file that only builds data needs. */
export const DEFAULT_LOAD_TIMEOUT = 30_000;

/** The worker's entry: beside this file in dist/ (tests that import src/ use the built one). */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? '../dist/load-worker.js' : './load-worker.js', import.meta.url);

/** Where @kiln/model's `defineSystem` keeps a system's file (`SOURCE`, a registered symbol). */
const SOURCE = Symbol.for('kiln.source');

/** Whether a folder holds an environments/ folder: what makes it a root. */
export function hasEnvironments(dir: string): boolean {
  try {
    return statSync(join(dir, ENVIRONMENTS_DIR)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The repository root around a folder, found the way npm finds its package and git its work tree:
 * the nearest folder, from there up, holding environments/ and package.json.
 */
export function findRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (hasEnvironments(dir) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Environment files in the root's environments/ folder (not its subfolders), sorted. */
export function environmentFiles(root: string): string[] {
  const dir = join(root, ENVIRONMENTS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => `${ENVIRONMENTS_DIR}/${name}`);
}

/** Every environment file of the root, a thread each, as many at once as there are cores; in file order. */
export async function loadEnvironmentFiles(root: string, options: LoadOptions = {}): Promise<LoadedFile[]> {
  const files = environmentFiles(root);
  const loaded: LoadedFile[] = new Array(files.length);
  const transpiler = new Transpiler();
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < files.length; index = next++) loaded[index] = await loadEnvironmentFile(root, files[index] as string, options, transpiler);
  };
  await Promise.all(Array.from({ length: Math.min(files.length, availableParallelism()) }, lane));
  return loaded;
}

/** One environment file, evaluated in a thread of its own; settles when that thread has ended. */
export function loadEnvironmentFile(root: string, file: string, options: LoadOptions = {}, transpiler = new Transpiler()): Promise<LoadedFile> {
  const name = file.slice(file.lastIndexOf('/') + 1, -'.ts'.length);
  const inputs = inputsHash(resolve(root), file);
  const timeout = options.timeout ?? DEFAULT_LOAD_TIMEOUT;
  const diagnostics: Diagnostic[] = [];
  const problem = (code: CoreCode, message: string, hint: string) => diagnostics.push({ code, severity: 'error', file, path: '', message, hint });
  let input: unknown;
  let started = false;
  let broken: unknown;
  return new Promise((settle, fail) => {
    const channel = new MessageChannel();
    const answered = new SharedArrayBuffer(4);
    const flag = new Int32Array(answered);
    channel.port1.on('message', (request: TransformOptions) => {
      channel.port1.postMessage(transpiler.transform(request));
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
    const kilnLoad: WorkerInput = { root: resolve(root), file, transpiler: channel.port2, answered };
    const worker = new Worker(WORKER, { workerData: { kilnLoad }, transferList: [channel.port2], stdout: true, stderr: true });
    // What the file prints goes to stderr: stdout carries Kiln's results (`kiln list --json`).
    worker.stdout.pipe(process.stderr, { end: false });
    worker.stderr.pipe(process.stderr, { end: false });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void worker.terminate();
    }, timeout);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'started') started = true;
      else if (message.kind === 'diagnostic') diagnostics.push(message.diagnostic);
      else input = withMarks(message.input, message.marks);
    });
    worker.on('messageerror', (error) => problem(CoreCode.EXPORT_UNREADABLE, `the default export cannot be copied: ${describeThrown(error)}`, 'export plain data: objects, arrays, strings, numbers and booleans'));
    // Before `started`, Kiln's own modules failed to load in the thread: a bug (or a broken install), not the file's.
    // After it, an error the thread's handlers did not report (the file removed them; out of memory).
    worker.on('error', (error) => {
      if (started) problem(CoreCode.LOAD_UNCAUGHT, `loading the file failed: ${describeThrown(error)}`, 'an environment file only builds data: remove what runs besides');
      else broken = error;
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      channel.port1.close();
      if (broken !== undefined) return fail(new Error(`the loader thread did not start: ${describeThrown(broken)}`));
      if (timedOut) {
        const seconds = timeout / 1000;
        problem(
          CoreCode.LOAD_TIMEOUT,
          `loading the file did not finish within ${seconds} s: an endless loop, or a timer, server or open handle that keeps it running`,
          `remove what keeps it running; if the file is merely slow, raise KILN_LOAD_TIMEOUT (seconds, now ${seconds})`,
        );
      } else if (code !== 0 && diagnostics.length === 0) {
        problem(CoreCode.LOAD_EXIT, `loading the file ended with exit code ${code} (process.exitCode was set)`, 'remove what sets process.exitCode: an environment file only builds data');
      }
      if (diagnostics.length > 0 || input === undefined) {
        if (diagnostics.length === 0) problem(CoreCode.LOAD_FAILED, 'the file ended without an export', 'end it with `export default defineEnvironment({ … })`');
        settle({ file, name, inputs, diagnostics });
      } else settle({ file, name, input, inputs, diagnostics });
    });
  });
}

/** jiti's own transform (Babel), for the load's threads, each file transpiled once (see load-worker.ts). */
class Transpiler {
  readonly #jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false });
  readonly #done = new Map<string, string>();

  /** The code to run; a transform that fails gives code that throws, so the worker reports it. */
  transform(options: TransformOptions): string {
    const key = JSON.stringify(options);
    let code = this.#done.get(key);
    if (code === undefined) {
      try {
        code = this.#jiti.transform(options);
      } catch (error) {
        code = `throw new Error(${JSON.stringify(`cannot transpile: ${describeThrown(error)}`)});`;
      }
      this.#done.set(key, code);
    }
    return code;
  }
}

/** Puts back what the structured clone dropped: systems' files, functions and symbols (see `Mark`). */
function withMarks(input: unknown, marks: readonly Mark[]): unknown {
  for (const mark of marks) {
    const parent = mark.path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], input) as Record<string | number, unknown>;
    const key = mark.path[mark.path.length - 1];
    if ('source' in mark) Object.defineProperty(key === undefined ? input : parent[key], SOURCE, { value: mark.source, enumerable: false });
    else if (key !== undefined) Object.defineProperty(parent, key, { value: 'function' in mark ? Object.defineProperty(() => undefined, 'name', { value: mark.function }) : Symbol(mark.symbol), enumerable: true, writable: true, configurable: true });
  }
  return input;
}

/**
 * A thrown value as text, whatever was thrown: an Error (even one whose message getter throws), a
 * string, a plain object, a null-prototype object or a Proxy that cannot be converted.
 */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (typeof value === 'object' && value !== null) {
      const json = JSON.stringify(value);
      if (json !== undefined && json !== '{}') return json;
    }
    return String(value);
  } catch {
    return 'a value that cannot be printed';
  }
}

/** A path or file: URL that a stack named, relative to the root; undefined when outside it. */
export function relativeToRoot(root: string, location: string): string | undefined {
  const path = location.startsWith('file:') ? fileURLToPath(location) : location;
  // Stacks name real paths: compare against the real root (a /tmp symlink, a linked checkout).
  const rel = relative(realRoot(root), path);
  if (rel.startsWith('..') || rel === '' || resolve(rel) === rel) return undefined;
  return rel.split(sep).join('/');
}

/** A message with the root's absolute path taken out of the paths it names. */
export function relativeMessage(root: string, message: string): string {
  return message.split(realRoot(root) + sep).join('').split(resolve(root) + sep).join('');
}

function realRoot(root: string): string {
  try {
    return realpathSync(resolve(root));
  } catch {
    return resolve(root);
  }
}
