/**
 * The worker thread that evaluates one environment file (see load.ts for why a thread per file).
 * It imports the file with jiti, copies the default export into plain data the main thread can
 * receive, and reports whatever the file does wrong as a diagnostic naming it: a syntax error
 * (file:line:column and the line, as tsc shows it), a throw, an export of the wrong shape, a getter
 * or Proxy that throws while the export is read, and, until its event loop is empty, a call of
 * process.exit, an uncaught exception or an unhandled rejection.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { sourceOf } from '@kiln/model';
import type { Diagnostic } from '@kiln/model';
import { createJiti } from 'jiti';
import type { TransformOptions } from 'jiti';
import { CoreCode } from './codes.js';
import { formatPath } from './diagnostics.js';
import { inputFiles } from './inputs.js';
import { describeThrown, relativeMessage, relativeToRoot } from './load.js';

export interface WorkerInput {
  readonly root: string;
  readonly file: string;
  /** Where the main thread transpiles (see `transpileInMainThread`). */
  readonly transpiler: MessagePort;
  /** Set to 1 by the main thread when its answer is on the port. */
  readonly answered: SharedArrayBuffer;
}

/** A path into the export, as the model's issues give it. */
type Path = readonly (string | number)[];

/**
 * What a structured clone loses, put back by the main thread: the file each system was defined in
 * (a symbol key), and functions and symbols where data belongs (zod then reports them as it would
 * in one thread: "expected string, received function").
 */
export type Mark = { readonly path: Path; readonly source: string } | { readonly path: Path; readonly function: string } | { readonly path: Path; readonly symbol: string };

export type WorkerMessage =
  /** The thread is up, with Kiln's own modules loaded: what fails from here on is the file's doing. */
  | { readonly kind: 'started' }
  | { readonly kind: 'export'; readonly input: unknown; readonly marks: readonly Mark[] }
  | { readonly kind: 'diagnostic'; readonly diagnostic: Diagnostic };

/** A place in a source file, as a syntax error names it. */
type Position = Pick<Diagnostic, 'line' | 'column'>;

const HINT_THROW = 'fix the error at that line; an environment file only builds data';

/**
 * jiti's transform, done by the main thread while this one waits: Babel, cold in every new thread,
 * took about 0.3 s of each thread's 0.5 s; warm in the main thread and remembered there for the
 * whole load, each file is transpiled once (a system file imported by five environments, too).
 */
function transpileInMainThread(port: MessagePort, answered: Int32Array): (options: TransformOptions) => { code: string } {
  return (options) => {
    Atomics.store(answered, 0, 0);
    port.postMessage(options);
    Atomics.wait(answered, 0, 0);
    const answer = receiveMessageOnPort(port);
    if (answer === undefined) throw new Error('Kiln bug: the main thread answered no transform');
    return { code: answer.message as string };
  };
}

/** A syntax error (file:line:column and the line, as tsc prints it) or a throw (where it was thrown). */
function loadFailure(root: string, file: string, error: unknown): { file: string; message: string; hint: string; at?: Position } {
  const text = describeThrown(error);
  // jiti reports a syntax error as `ParseError: <message>\n <path>:<line>:<column from 0>`.
  const syntax = /^(?:Error: )?(?:ParseError|SyntaxError): ([^\n]*?)\s*\n\s*(\S[^\n]*):(\d+):(\d+)\s*$/.exec(text);
  const syntaxFile = syntax ? relativeToRoot(root, syntax[2] ?? '') : undefined;
  if (syntax && syntaxFile !== undefined) {
    const at = { file: syntaxFile, line: Number(syntax[3]), column: Number(syntax[4]) + 1 };
    return { file: syntaxFile, message: codeFrame(root, at, syntax[1] ?? 'syntax error'), hint: 'fix the syntax at that line; `npx tsc -p .` reports it the same way', at: { line: at.line, column: at.column } };
  }
  const where = thrownAt(root, file, error);
  const first = text.split('\n')[0] ?? text;
  if (where) return { file: where.file, message: `${where.location} - the file threw while loading: ${first}`, hint: HINT_THROW };
  return { file, message: `could not load: ${relativeMessage(root, first)}`, hint: 'fix the error; `npx tsc -p .` shows TypeScript errors with line numbers' };
}

/** `file:line:column - message`, the line below it and a marker under the column, as tsc prints them. */
function codeFrame(root: string, at: { file: string; line: number; column: number }, message: string): string {
  let source: string | undefined;
  try {
    source = readFileSync(join(root, at.file), 'utf8').split(/\r?\n/)[at.line - 1];
  } catch {
    source = undefined;
  }
  const head = `${at.file}:${at.line}:${at.column} - ${message}`;
  if (source === undefined) return head;
  const gutter = String(at.line);
  return `${head}\n\n${gutter} ${source}\n${' '.repeat(gutter.length)} ${' '.repeat(at.column - 1)}~`;
}

/**
 * The first place in the environment's own files (the file and what it imports, not Kiln or a
 * package) that a thrown error's stack names, as `file:line:column`.
 */
function thrownAt(root: string, file: string, error: unknown): { file: string; location: string } | undefined {
  let stack: unknown;
  try {
    stack = error instanceof Error ? error.stack : undefined;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string') return undefined;
  const inputs = new Set(inputFiles(root, file));
  for (const frame of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    const at = match ? relativeToRoot(root, match[1] ?? '') : undefined;
    if (match && at !== undefined && inputs.has(at)) return { file: at, location: `${at}:${match[2]}:${match[3]}` };
  }
  return undefined;
}

/** Why the module's default export is no environment, if it is none. */
function exportShape(module: { default?: unknown }): { code: CoreCode; message: string; hint: string } | undefined {
  const hint = 'end the file with `export default defineEnvironment({ … })`';
  let value: unknown;
  try {
    if (!('default' in module) || module.default === undefined) return { code: CoreCode.NO_DEFAULT_EXPORT, message: 'the file has no default export', hint };
    value = module.default;
    if (typeof (value as { then?: unknown } | null)?.then === 'function') {
      return { code: CoreCode.DEFAULT_EXPORT_INVALID, message: 'the default export is a promise, not an environment', hint: 'export the environment itself: compute what you need with top-level `await` before `export default`' };
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  } catch (error) {
    return { code: CoreCode.EXPORT_UNREADABLE, message: `reading the default export threw: ${describeThrown(error)}`, hint: 'export plain data: objects, arrays, strings, numbers and booleans' };
  }
  const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'function' ? 'a function' : `a ${typeof value} (${describeThrown(value)})`;
  return { code: CoreCode.DEFAULT_EXPORT_INVALID, message: `the default export is ${what}, not an environment`, hint };
}

type Copy = { readonly input: unknown; readonly marks: Mark[] } | { readonly failure: { readonly path: string; readonly message: string } };

/** A read of the export that threw, and where. */
class Unreadable {
  constructor(
    readonly path: Path,
    readonly error: unknown,
  ) {}
}

/**
 * The export as data a structured clone carries: objects and arrays copied key by key (so a getter
 * or Proxy that throws is caught here, at its path), shared and circular references kept.
 */
function copyExport(value: unknown): Copy {
  const marks: Mark[] = [];
  const copies = new Map<object, unknown>();
  const read = <T>(path: Path, get: () => T): T => {
    try {
      return get();
    } catch (error) {
      throw error instanceof Unreadable ? error : new Unreadable(path, error);
    }
  };
  const copy = (node: unknown, path: Path): unknown => {
    if (typeof node === 'function') {
      marks.push({ path, function: read(path, () => String(node.name)) });
      return null;
    }
    if (typeof node === 'symbol') {
      marks.push({ path, symbol: node.description ?? '' });
      return null;
    }
    if (node === null || typeof node !== 'object') return node;
    const seen = copies.get(node);
    if (seen !== undefined) return seen;
    if (read(path, () => node instanceof Date)) return new Date((node as Date).getTime());
    const source = read(path, () => sourceOf(node));
    if (source !== undefined) marks.push({ path, source });
    if (read(path, () => Array.isArray(node))) {
      const array = node as unknown[];
      const items: unknown[] = [];
      copies.set(node, items);
      const length = read(path, () => array.length);
      for (let index = 0; index < length; index++) items.push(copy(read([...path, index], () => array[index]), [...path, index]));
      return items;
    }
    const object: Record<string, unknown> = {};
    copies.set(node, object);
    // Defined, not assigned: a key `__proto__` (an env var, a file name) stays a key instead of setting the prototype.
    for (const key of read(path, () => Object.keys(node))) {
      Object.defineProperty(object, key, { value: copy(read([...path, key], () => (node as Record<string, unknown>)[key]), [...path, key]), enumerable: true, writable: true, configurable: true });
    }
    return object;
  };
  try {
    return { input: copy(value, []), marks };
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    // The path shows list items by name where the copy got that far (the copy is plain data: safe to read).
    return { failure: { path: formatPath(error.path, copies.get(value as object)), message: `reading the default export threw: ${describeThrown(error.error)}` } };
  }
}

/** Runs in the worker: loads the file, reports, and leaves the thread to end when the file's work is done. */
async function evaluate(port: MessagePort, { root, file, transpiler, answered }: WorkerInput): Promise<void> {
  const report = (code: CoreCode, message: string, hint: string, at = file, path = '', position?: Position) =>
    port.postMessage({ kind: 'diagnostic', diagnostic: { code, severity: 'error', file: at, ...position, path, message, hint } } satisfies WorkerMessage);
  const exit = process.exit.bind(process);

  // Installed before the file runs, so the file only ever sees these.
  process.exit = ((code?: number | string | null) => {
    report(CoreCode.LOAD_EXIT, `the file called process.exit(${code ?? ''}) while Kiln was loading it`, 'remove the call: an environment file only builds data, and Kiln decides when to stop');
    return exit(code ?? 0);
  }) as typeof process.exit;
  process.on('uncaughtException', (error) => {
    const where = thrownAt(root, file, error);
    report(CoreCode.LOAD_UNCAUGHT, `${where ? `${where.location} - ` : ''}an exception was thrown outside the file's evaluation (in a timer or callback): ${describeThrown(error)}`, HINT_THROW, where?.file ?? file);
    exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    const where = thrownAt(root, file, reason);
    report(CoreCode.LOAD_UNCAUGHT, `${where ? `${where.location} - ` : ''}a promise was rejected and nothing handled it: ${describeThrown(reason)}`, 'await the promise or remove it; an environment file only builds data', where?.file ?? file);
    exit(1);
  });

  port.postMessage({ kind: 'started' } satisfies WorkerMessage);
  const transform = transpileInMainThread(transpiler, new Int32Array(answered));
  const jiti = createJiti(join(resolve(root), 'kiln-loader.js'), { fsCache: false, moduleCache: false, interopDefault: false, transform });
  let module: { default?: unknown } | undefined;
  try {
    module = (await jiti.import(join(resolve(root), file))) as { default?: unknown };
  } catch (error) {
    const failure = loadFailure(root, file, error);
    report(CoreCode.LOAD_FAILED, failure.message, failure.hint, failure.file, '', failure.at);
  }
  if (module !== undefined) {
    const shape = exportShape(module);
    if (shape !== undefined) report(shape.code, shape.message, shape.hint);
    else {
      const copy = copyExport(module.default);
      if ('failure' in copy) report(CoreCode.EXPORT_UNREADABLE, copy.failure.message, 'export plain data: objects, arrays, strings, numbers and booleans', file, copy.failure.path);
      else {
        try {
          port.postMessage({ kind: 'export', input: copy.input, marks: copy.marks } satisfies WorkerMessage);
        } catch (error) {
          report(CoreCode.EXPORT_UNREADABLE, `the default export cannot be copied: ${describeThrown(error)}`, 'export plain data: objects, arrays, strings, numbers and booleans');
        }
      }
    }
  }
}

const input = (workerData as { kilnLoad?: WorkerInput } | undefined)?.kilnLoad;
if (parentPort !== null && input !== undefined) await evaluate(parentPort, input);
