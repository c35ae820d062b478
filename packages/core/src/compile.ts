/**
 * The compiler, one call per stage: load → resolve (validate, check, normalize, stage policies) → emit → plan.
 * Everything happens in memory; only `write` touches generated/.
 */
import { checkFollows, checkNodePools, compareText, resolveEnvironment, sourceOf, suggestName } from '@kiln/model';
import type { Diagnostic, Environment } from '@kiln/model';
import { CoreCode } from './codes.js';
import { sortDiagnostics, toDiagnostic } from './diagnostics.js';
import { renderIndex } from './generated-index.js';
import { RESERVED_NAMES } from './layout.js';
import { loadEnvironmentFiles, relativeToRoot } from './load.js';
import { isSafePath, MANIFEST } from './manifest.js';
import type { EnvironmentProvenance } from './manifest.js';
import type { LoadedFile } from './load.js';
import type { Emitter, FileMap, Output, RepositoryEmitter } from './output.js';
import { render } from './render.js';
import { serverSideApplyIfLarge } from './server-side-apply.js';
import { stage } from './timings.js';

export interface ResolveOptions {
  /** The repository root. */
  readonly root: string;
  /**
   * How long one environment file may take to load and finish what it started, in milliseconds.
   * @default 30000
   */
  readonly loadTimeout?: number;
  /**
   * The date (`YYYY-MM-DD`) waivers of stage policies are checked against: it decides which waivers
   * have expired, never what is generated.
   * @default today, in UTC
   */
  readonly date?: string;
}

export interface CompileOptions extends ResolveOptions {
  readonly emitters: readonly Emitter[];
  /** Output kinds that see every environment at once; they run after the per-environment ones. */
  readonly repositoryEmitters?: readonly RepositoryEmitter[];
  /** Environment names whose files this run owns (writes, checks); all when absent or empty. */
  readonly only?: readonly string[];
  /** Kiln's version, recorded in the manifest (the caller reads it; the core reads no package file). */
  readonly version?: string;
}

export interface Compilation {
  /** Every diagnostic, sorted; any error means nothing may be written. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every environment that resolved, sorted by name. */
  readonly environments: readonly Environment[];
  /** The generated files this compilation owns, sorted by path (the manifest comes at write time). */
  readonly files: FileMap;
  /** Whether a path in generated/ belongs to this compilation (a partial run owns its environments). */
  readonly owns: (path: string) => boolean;
  /** Paths the operator fills in (see `EmitResult.reserved`). */
  readonly reserved: readonly string[];
  /** Kiln's version, as the caller gave it. */
  readonly version?: string;
  /** Each resolved environment's file and inputs hash, by name. */
  readonly provenance: Readonly<Record<string, EnvironmentProvenance>>;
  /** The date waivers were checked against (`YYYY-MM-DD`). */
  readonly date: string;
}

export const INDEX = 'README.md';

export async function compile(options: CompileOptions): Promise<Compilation> {
  const { loaded, resolved, environments, date } = await loadAndResolve(options);
  // Every environment is emitted (in memory, cheap); a partial run only owns, and so writes, its own.
  // That keeps shared files such as the index identical whichever environments a run names.
  const emitted = stage('emit', () => environments.map((environment) => emit(environment, options.emitters)));
  const repository = stage('emit', () => (options.repositoryEmitters ?? []).map((emitter) => emitter.emit(emitted)));
  const planned = stage('plan', () => plan(emitted, environments, repository.flatMap((r) => r.outputs)));
  const selected = select(resolved, options.only);
  return {
    diagnostics: sortDiagnostics([
      ...resolved.flatMap((r) => r.diagnostics),
      ...checkFollows(environments, resolved.map((r) => r.name)),
      // Environments that share a cluster share its node pools: their tuning must agree.
      ...checkNodePools(environments),
      ...selected.diagnostics,
      ...emitted.flatMap((e) => e.diagnostics),
      ...repository.flatMap((r) => r.diagnostics),
      ...planned.diagnostics,
    ]),
    environments,
    files: new Map([...planned.files].filter(([path]) => selected.owns(path))),
    owns: selected.owns,
    reserved: emitted.flatMap((e) => e.reserved),
    ...(options.version === undefined ? {} : { version: options.version }),
    date,
    provenance: Object.fromEntries(
      loaded.filter((file) => environments.some((environment) => environment.name === file.name)).map((file) => [file.name, { source: file.file, inputs: file.inputs }]),
    ),
  };
}

/** The first two stages alone, for commands that only show the model (`kiln list`): nothing is emitted. */
export async function resolveEnvironments(options: ResolveOptions): Promise<{ readonly environments: readonly Environment[]; readonly diagnostics: readonly Diagnostic[] }> {
  const { resolved, environments } = await loadAndResolve(options);
  return { environments, diagnostics: sortDiagnostics(resolved.flatMap((r) => r.diagnostics)) };
}

async function loadAndResolve(options: ResolveOptions) {
  const loaded = await stage('load', () => loadEnvironmentFiles(options.root, options.loadTimeout === undefined ? {} : { timeout: options.loadTimeout }));
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const resolved = stage('resolve', () => withoutDuplicates(loaded.map((file) => resolveFile(options.root, file, date))));
  const environments = resolved.flatMap((r) => (r.environment ? [r.environment] : []));
  return { loaded, resolved, environments, date };
}

interface Resolved {
  /** The name of the environment's file. */
  readonly name: string;
  readonly file: string;
  /** The name the input gives the environment. */
  readonly declared?: string;
  readonly environment?: Environment;
  readonly diagnostics: readonly Diagnostic[];
}

function resolveFile(root: string, loaded: LoadedFile, date: string): Resolved {
  if (loaded.input === undefined) return { name: loaded.name, file: loaded.file, diagnostics: loaded.diagnostics };
  const input = loaded.input as { name?: unknown; systems?: unknown };
  const systems = Array.isArray(input.systems) ? (input.systems as unknown[]) : [];
  const systemFile = (index: number): string | undefined => {
    const location = sourceOf(systems[index]);
    return location === undefined ? undefined : relativeToRoot(root, location);
  };
  const resolution = resolveEnvironment(loaded.input, { environment: loaded.file, system: systemFile }, { date });
  // An issue inside a system is reported against the system's own file, with a path inside it.
  const diagnostics = resolution.issues.map((issue) => {
    const [first, index, ...rest] = issue.path;
    const file = first === 'systems' && typeof index === 'number' && rest.length > 0 ? systemFile(index) : undefined;
    return file ? toDiagnostic({ ...issue, path: rest }, file, systems[index as number]) : toDiagnostic(issue, loaded.file, loaded.input);
  });
  if (RESERVED_NAMES.has(loaded.name)) {
    diagnostics.push({
      code: CoreCode.ENV_NAME_RESERVED,
      severity: 'error',
      file: loaded.file,
      path: 'name',
      message: `'${loaded.name}' names a folder generated/ keeps for Argo CD's objects`,
      hint: `choose another name, e.g. '${loaded.name}-env'`,
    });
  }
  if (typeof input.name === 'string' && input.name !== loaded.name) {
    diagnostics.push({
      code: CoreCode.ENV_NAME_MISMATCH,
      severity: 'error',
      file: loaded.file,
      path: 'name',
      message: `the environment is named '${input.name}' but its file is '${loaded.name}.ts'`,
      hint: `rename the file to environments/${input.name}.ts, or the environment to '${loaded.name}'`,
    });
  }
  const declared = typeof input.name === 'string' ? { declared: input.name } : {};
  return { name: loaded.name, file: loaded.file, ...declared, ...(resolution.environment && { environment: resolution.environment }), diagnostics };
}

/**
 * Two files that name one environment: one diagnostic naming both, on the file not named after it
 * (instead of its ENV_NAME_MISMATCH). That file's environment goes no further, so the path
 * conflicts of two environments in one folder do not bury the cause.
 */
function withoutDuplicates(resolved: readonly Resolved[]): Resolved[] {
  const keeper = new Map<string, Resolved>();
  for (const r of resolved) if (r.declared !== undefined && r.declared === r.name) keeper.set(r.declared, r);
  for (const r of resolved) if (r.declared !== undefined && !keeper.has(r.declared)) keeper.set(r.declared, r);
  return resolved.map((r) => {
    const kept = r.declared === undefined ? r : (keeper.get(r.declared) ?? r);
    if (kept === r) return r;
    const duplicate: Diagnostic = {
      code: CoreCode.DUPLICATE_ENVIRONMENT,
      severity: 'error',
      file: r.file,
      path: 'name',
      message: `${kept.file} and ${r.file} both name their environment '${r.declared}'`,
      hint: `name this one '${r.name}', as its file, or delete one of the two files`,
    };
    return { name: r.name, file: r.file, diagnostics: [...r.diagnostics.filter((d) => d.code !== CoreCode.ENV_NAME_MISMATCH), duplicate] };
  });
}

function select(resolved: readonly Resolved[], only: readonly string[] | undefined) {
  const wanted = only && only.length > 0 ? new Set(only) : undefined;
  const known = new Set(resolved.map((r) => r.name));
  const diagnostics: Diagnostic[] = [...(wanted ?? [])]
    .filter((name) => !known.has(name))
    .map((name) => ({
      code: CoreCode.UNKNOWN_ENVIRONMENT,
      severity: 'error' as const,
      file: 'environments/',
      path: '',
      message: `there is no environment '${name}'`,
      hint: suggestName(name, known, 'environments'),
    }));
  // A partial run also owns the repository-wide folders: they are the same whatever it names.
  const owns = wanted ? (path: string) => path === INDEX || [...RESERVED_NAMES].some((name) => path.startsWith(`${name}/`)) || [...wanted].some((name) => path.startsWith(`${name}/`)) : () => true;
  return { diagnostics, owns };
}

interface Emitted {
  readonly environment: Environment;
  readonly outputs: readonly Output[];
  readonly diagnostics: readonly Diagnostic[];
  readonly reserved: readonly string[];
}

function emit(environment: Environment, emitters: readonly Emitter[]): Emitted {
  const results = emitters.map((emitter) => emitter.emit(environment));
  return {
    environment,
    outputs: results.flatMap((r) => r.outputs),
    diagnostics: results.flatMap((r) => r.diagnostics),
    reserved: results.flatMap((r) => r.reserved ?? []),
  };
}

/** Render every output, refuse two outputs on one path, add the index. */
function plan(emitted: readonly Emitted[], environments: readonly Environment[], repository: readonly Output[]): { files: FileMap; diagnostics: Diagnostic[] } {
  const files = new Map<string, string>();
  // Keyed case-folded: on a case-insensitive disk `Config.yaml` and `config.yaml` are one file.
  const owners = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const { environment, outputs } of emitted) {
    for (const output of outputs) {
      if (!isSafePath(output.path) || output.path === MANIFEST) {
        diagnostics.push({
          code: CoreCode.OUTPUT_PATH_INVALID,
          severity: 'error',
          file: environment.source,
          path: '',
          message: `an output would be written to '${output.path}', which is no plain file path inside generated/`,
          hint: 'this is a bug in Kiln, or a name the model let through; please report it',
        });
        continue;
      }
      const owner = owners.get(output.path.toLowerCase());
      if (owner !== undefined) {
        diagnostics.push({
          code: CoreCode.OUTPUT_PATH_CONFLICT,
          severity: 'error',
          file: environment.source,
          path: '',
          message: `two outputs claim generated/${output.path} (from ${owner} and ${environment.source})`,
          hint: 'rename one of the objects; each object gets its own file',
        });
        continue;
      }
      owners.set(output.path.toLowerCase(), environment.source);
      files.set(output.path, stage('render', () => render(serverSideApplyIfLarge(output), environment.source)));
    }
  }
  for (const output of repository) {
    // Repository-wide outputs come from every environment: their header names the folder.
    if (!isSafePath(output.path) || !RESERVED_NAMES.has(output.path.split('/')[0] ?? '')) throw new Error(`a repository emitter wrote outside its folders: ${output.path}`);
    if (files.has(output.path)) throw new Error(`two repository outputs claim ${output.path}`);
    files.set(output.path, stage('render', () => render(serverSideApplyIfLarge(output), 'environments/*.ts')));
  }
  const withOutput = new Set(emitted.filter((e) => e.outputs.length > 0).map((e) => e.environment.name));
  files.set(INDEX, render({ path: INDEX, format: 'markdown', text: renderIndex(environments, withOutput) }, 'environments/'));
  return { files: new Map([...files].sort(([a], [b]) => compareText(a, b))), diagnostics };
}
