/**
 * The kiln command: parses arguments, calls the core, prints, sets the exit code. No logic of its own.
 * Exit codes: 0 ok · 1 errors in the input, drift found by check · 2 usage · 3 internal error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compile, CoreCode, environmentOf, findRoot, GENERATED_DIR, hasEnvironments, hasErrors, isSynced, JOURNAL, planTree, repairTree, resolveEnvironments, stage, stageTimings, startTimings, toYaml, writeTree } from '@kiln/core';
import type { Compilation, Diagnostic, ResolveOptions, TreePlan } from '@kiln/core';
import { breakingChanges, breakingDiagnostics, diffTrees, renderJson, renderMarkdown, renderText } from '@kiln/diff';
import type { Files } from '@kiln/diff';
import { environmentJsonSchema, isIsoDate, redact } from '@kiln/model';
import { BaseRevisionError, changedFiles, resolveBase } from './base-tree.js';
import { emitters, repositoryEmitters } from './emitters.js';
import { formatTable, reporter } from './report.js';
import type { Io, Reporter } from './report.js';
import { policies } from './policies.js';
import { promote, promotionWarnings } from './promote.js';
import { ruleTestSuites, runRuleTests } from './rule-tests.js';
import { COMMANDS, readArguments } from './usage.js';

export const Exit = { ok: 0, input: 1, usage: 2, internal: 3 } as const;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  if (io.env.KILN_TIMINGS !== '1') return run(argv, io);
  // Stage timings as one JSON line on stderr, for the benchmark in bench/.
  startTimings();
  try {
    return await run(argv, io);
  } finally {
    io.stderr.write(`${JSON.stringify({ timings: stageTimings() })}\n`);
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const invocation = readArguments(argv);
  switch (invocation.kind) {
    case 'usage':
      return usage(reporter(io, invocation.json), invocation.message, invocation.hint);
    case 'version':
      io.stdout.write(`${version()}\n`);
      return Exit.ok;
    case 'help':
      io.stdout.write(invocation.text);
      return Exit.ok;
  }
  const { command, args, values } = invocation;
  const report = reporter(io, values.json);
  const repository = COMMANDS[command].root ? findRepository(io, values.root, values.date) : { root: io.cwd };
  if ('error' in repository) return usage(report, repository.error, repository.hint);
  const { root } = repository;
  try {
    switch (command) {
      case 'generate':
        if (values.watch) return await (await import('./watch.js')).watch(repository, args, report, generate);
        return await generate(repository, args, report);
      case 'check':
        return await check(repository, args, report);
      case 'test':
        return await test(repository, args, report, io);
      case 'list':
        return await list(repository, report, io, values.json);
      case 'explain':
        return await explain(repository, args[0] ?? '', report, io, values.json);
      case 'policies': {
        const result = await policies(repository, args, report, io, values.json);
        return result.unknown ? Exit.usage : result.errors ? Exit.input : Exit.ok;
      }
      case 'promote': {
        const [from, to, ...services] = args;
        if (from === undefined || to === undefined) return usage(report, 'promote takes two environment names: FROM and TO, then optionally services', "run 'kiln promote --help'");
        return await promoteCommand(repository, from, to, services, report, io, values.json === true);
      }
      case 'diff': {
        const format = values.format ?? (values.json ? 'json' : 'text');
        if (!isDiffFormat(format)) return usage(report, `--format must be text, markdown or json, not '${format}'`, "run 'kiln diff --help'");
        return await diff(repository, { base: values.base ?? 'HEAD', format, exitCode: values.exitCode }, report, io);
      }
      case 'schema':
        io.stdout.write(`${JSON.stringify(environmentJsonSchema(), null, 2)}\n`);
        return Exit.ok;
      case 'init': {
        const { init } = await import('./init.js');
        return await init(resolve(io.cwd, values.root ?? '.'), args[0], report, version());
      }
      case 'completion': {
        const { completionScript, SHELLS } = await import('./completion.js');
        const shell = SHELLS.find((name) => name === args[0]);
        if (shell === undefined) return usage(report, `completion takes bash or zsh, not '${args[0]}'`, 'e.g. source <(kiln completion bash)');
        io.stdout.write(completionScript(shell));
        return Exit.ok;
      }
    }
  } catch (error) {
    const text = error instanceof Error ? (io.env.KILN_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
    report.error(`internal error: ${text.split(`${root}/`).join('')} (set KILN_DEBUG=1 for the stack; if this is no disk or permission problem, it is a bug in Kiln)`);
    return Exit.internal;
  }
}

/**
 * The repository a command works on: --root, or the nearest folder from the working directory up
 * that holds environments/ and package.json (as npm finds its package); the time an environment
 * file may take to load, from KILN_LOAD_TIMEOUT; and the date waivers are checked against.
 */
function findRepository(io: Io, root: string | undefined, date: string | undefined): ResolveOptions | { error: string; hint: string } {
  const dir = root === undefined ? findRoot(io.cwd) : resolve(io.cwd, root);
  if (dir === undefined) return { error: `no Kiln repository at ${io.cwd}: neither it nor a folder above it holds environments/ and package.json`, hint: 'run kiln inside the repository, or name its root with --root DIR' };
  if (!hasEnvironments(dir)) return { error: `--root ${root}: there is no environments/ folder in ${dir}`, hint: '--root names the repository root, the folder holding environments/' };
  // The date waivers are checked against: --date, else KILN_DATE, else today (the core's default).
  const day = date ?? (io.env.KILN_DATE || undefined);
  if (day !== undefined && !isIsoDate(day)) return { error: `${date === undefined ? 'KILN_DATE' : '--date'} must be a calendar date written YYYY-MM-DD, not '${day}'`, hint: 'e.g. --date 2027-03-31' };
  const dated = { root: dir, ...(day === undefined ? {} : { date: day }) };
  const timeout = io.env.KILN_LOAD_TIMEOUT;
  if (timeout === undefined || timeout === '') return dated;
  const seconds = Number(timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) return { error: `KILN_LOAD_TIMEOUT must be a number of seconds above 0, not '${timeout}'`, hint: 'e.g. KILN_LOAD_TIMEOUT=60' };
  return { ...dated, loadTimeout: seconds * 1000 };
}

async function compileOrReport(repository: ResolveOptions, only: readonly string[], report: Reporter): Promise<Compilation | number> {
  const compilation = await compile({ ...repository, emitters, repositoryEmitters, only, version: version() });
  report.diagnostics(compilation.diagnostics);
  if (compilation.diagnostics.some((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT)) return Exit.usage;
  return hasErrors(compilation.diagnostics) ? Exit.input : compilation;
}

/** With `files`, each file written and removed is named (kiln generate --watch). */
async function generate(repository: ResolveOptions, only: readonly string[], report: Reporter, options: { files?: boolean } = {}): Promise<number> {
  const { root } = repository;
  const compilation = await compileOrReport(repository, only, report);
  if (typeof compilation === 'number') {
    report.error(`nothing written: fix the errors above`);
    return compilation;
  }
  // A write an earlier run did not finish is finished or rolled back first, so the plan sees one consistent tree.
  const repaired = repairTree(root);
  if (repaired) report.info(`${GENERATED_DIR}/: ${repaired} an interrupted write`);
  const plan = stage('plan', () => planTree(root, compilation));
  const refusals = treeErrors(plan);
  const breaking = breakingErrors(plan.before, plan.files, compilation);
  if (refusals.length > 0 || breaking.length > 0) {
    report.diagnostics([...refusals, ...breaking]);
    report.error(
      refusals.length > 0
        ? 'nothing written: Kiln never writes over what it did not write, nor through a manifest it cannot trust'
        : 'nothing written: Argo CD could not sync these changes as they are; land each by its procedure and acknowledge it',
    );
    return Exit.input;
  }
  const warnings = [
    ...plan.handEdited.map((path) => handEdited(path, plan.removed.includes(path) ? 'Kiln no longer produces it, so generate deleted it' : 'generate replaced it', editInstead(plan, path))),
    ...plan.unknown.map(unknownFile),
  ];
  if (warnings.length > 0) report.diagnostics(warnings);
  const result = stage('write', () => writeTree(root, plan));
  const unchanged = plan.files.size - result.written.length;
  if (options.files) {
    for (const [action, paths] of [['written', result.written], ['removed', result.removed]] as const) {
      for (const path of paths) report.result({ type: 'file', action, path: `${GENERATED_DIR}/${path}` }, `${action.padEnd(8)} ${GENERATED_DIR}/${path}`);
    }
  }
  if (plan.manifestConflict) report.info(`${GENERATED_DIR}/kiln-manifest.json held a merge conflict: Kiln read both sides and rebuilt ${GENERATED_DIR}/ from the sources; 'git add ${GENERATED_DIR}/' marks it resolved`);
  report.result({ type: 'summary', command: 'generate', written: result.written.length, removed: result.removed.length, unchanged }, `${GENERATED_DIR}/: ${result.written.length} written, ${result.removed.length} removed, ${unchanged} unchanged`);
  return Exit.ok;
}

async function check(repository: ResolveOptions, only: readonly string[], report: Reporter): Promise<number> {
  const { root } = repository;
  const compilation = await compileOrReport(repository, only, report);
  if (typeof compilation === 'number') return compilation;
  const plan = planTree(root, compilation);
  const errors = [...treeErrors(plan), ...breakingErrors(plan.before, plan.files, compilation)];
  report.diagnostics(errors);
  report.diagnostics(await promotionWarnings(root, compilation));
  // An interrupted write is reported alone: its half-written files are not drift, and generate repairs them.
  const drift = plan.interrupted || plan.journalError ? [] : describeDrift(plan);
  const summary = { type: 'summary', command: 'check', files: plan.files.size, drift: drift.length };
  if (drift.length === 0 && errors.length === 0) {
    report.result(summary, `${GENERATED_DIR}/ is up to date (${plan.files.size} files)`);
    return Exit.ok;
  }
  for (const record of drift) report.result({ type: 'drift', ...record }, `${record.kind.padEnd(12)} ${record.path}${driftNote(record)}`);
  report.result(summary);
  report.error(`${GENERATED_DIR}/ is not what the environments compile to: run 'npx kiln generate' and commit the result`);
  return Exit.input;
}

async function promoteCommand(repository: ResolveOptions, from: string, to: string, services: readonly string[], report: Reporter, io: Io, json: boolean): Promise<number> {
  const result = await promote(repository, from, to, services);
  if ('diagnostics' in result) {
    report.diagnostics(result.diagnostics);
    report.error(`nothing promoted: ${result.diagnostics.length === 0 ? 'see above' : 'fix the errors above'}`);
    return result.diagnostics.some((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT) ? Exit.usage : Exit.input;
  }
  const { file, changes } = result.promotion;
  if (json) {
    io.stdout.write(`${JSON.stringify({ type: 'promotion', from, to, file, changes: changes.map(({ service, current, upstream }) => ({ service, before: current, after: upstream })) })}\n`);
    return Exit.ok;
  }
  for (const change of changes) io.stdout.write(`${change.service}: ${change.current} → ${change.upstream}\n`);
  report.info(changes.length === 0 ? `${to} already runs what ${from} runs: nothing to promote` : `${file}: ${changes.length} image${changes.length === 1 ? '' : 's'} promoted from ${from}; run 'npx kiln generate' and commit both`);
  return Exit.ok;
}

const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];
const isDiffFormat = (format: string): format is DiffFormat => (DIFF_FORMATS as readonly string[]).includes(format);

/** Compiles the working tree, reads what differs in the base revision's generated/, prints the diff. */
async function diff(repository: ResolveOptions, options: { base: string; format: DiffFormat; exitCode: boolean }, report: Reporter, io: Io): Promise<number> {
  const { root } = repository;
  let base;
  try {
    base = await resolveBase(root, options.base);
  } catch (error) {
    if (!(error instanceof BaseRevisionError)) throw error;
    report.error(error.message);
    return Exit.usage;
  }
  const compilation = await compileOrReport(repository, [], report);
  if (typeof compilation === 'number') return compilation;
  const { before, after } = await changedFiles(base, compilation.files);
  const result = diffTrees(before, after);
  const revision = { ref: base.ref, commit: base.commit };
  io.stdout.write(options.format === 'json' ? renderJson(result, revision) : options.format === 'markdown' ? renderMarkdown(result, { base: revision }) : renderText(result, { base: revision }));
  // The base is what Argo CD runs: here an acknowledgement that matches no change has done its job.
  const breaking = breakingDiagnostics(breakingChanges(before, after), compilation.environments, { stale: true });
  report.diagnostics(breaking);
  if (hasErrors(breaking)) return Exit.input;
  return options.exitCode && result.resources.length > 0 ? Exit.input : Exit.ok;
}

/** A way generated/ differs from what the environments compile to. */
interface Drift {
  readonly kind: 'stale' | 'missing' | 'extra' | 'hand-edited' | 'unknown';
  /** The file, from the repository root (`generated/shop-dev/compose/docker-compose.yml`). */
  readonly path: string;
  /** Whose folder it is in; null for the index, the manifest and argocd/. */
  readonly environment: string | null;
  /** The input to change instead of the file (its environment's file, or environments/); null for a file Kiln did not write. */
  readonly source: string | null;
}

function describeDrift(plan: TreePlan): Drift[] {
  const special = new Set([...plan.missing, ...plan.handEdited]);
  const stale = plan.changed.filter((path) => !special.has(path));
  const drift = (kind: Drift['kind'], path: string): Drift => ({ kind, path: `${GENERATED_DIR}/${path}`, environment: environmentOf(`${GENERATED_DIR}/${path}`) ?? null, source: kind === 'unknown' ? null : editInstead(plan, path) });
  return [
    ...stale.map((path) => drift('stale', path)),
    ...plan.missing.map((path) => drift('missing', path)),
    ...plan.removed.filter((path) => !plan.handEdited.includes(path)).map((path) => drift('extra', path)),
    // Hand-edited is not stale: its bytes differ from what Kiln last wrote. Say where the change belongs.
    ...plan.handEdited.map((path) => drift('hand-edited', path)),
    // Argo CD would sync a stray object in a kubernetes/ folder as if Kiln had made it.
    ...plan.unknown.map((path) => drift('unknown', path)),
  ];
}

function driftNote(drift: Drift): string {
  if (drift.kind === 'hand-edited') return ` (change ${drift.source} instead)`;
  return drift.kind === 'unknown' ? ' (not written by Kiln: delete or move it)' : '';
}

async function test(repository: ResolveOptions, only: readonly string[], report: Reporter, io: Io): Promise<number> {
  const compilation = await compileOrReport(repository, only, report);
  if (typeof compilation === 'number') return compilation;
  const suites = ruleTestSuites(compilation);
  if (suites.length === 0) {
    report.info('no rule tests: no alert of the selected environments has test cases');
    return Exit.ok;
  }
  const result = await runRuleTests(compilation.files, suites, io.env);
  report.diagnostics(result.diagnostics);
  if (result.ran === 0) {
    report.error(`none of ${suites.length} rule test files could be run`);
    return Exit.input;
  }
  if (result.failed.length === 0) {
    report.info(`${suites.length} rule test file${suites.length === 1 ? '' : 's'} passed`);
    return Exit.ok;
  }
  report.error(`${result.failed.length} of ${suites.length} rule test files failed: ${result.failed.map((path) => `${GENERATED_DIR}/${path}`).join(', ')}`);
  return Exit.input;
}

/** Loads and validates only: nothing is emitted. A header row for people; JSON lines for tools. */
async function list(repository: ResolveOptions, report: Reporter, io: Io, json: boolean): Promise<number> {
  const { environments, diagnostics } = await resolveEnvironments(repository);
  report.diagnostics(diagnostics);
  const rows = environments.map((env) => ({
    type: 'environment',
    name: env.name,
    stage: env.stage,
    systems: env.systems.map((s) => s.name),
    targets: Object.keys(env.targets).sort(),
    region: env.region ?? null,
  }));
  if (json) for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
  else {
    io.stdout.write(formatTable([['NAME', 'STAGE', 'SYSTEMS', 'TARGETS'], ...rows.map((row) => [row.name, row.stage, row.systems.join(','), row.targets.join(',')])]));
  }
  return hasErrors(diagnostics) ? Exit.input : Exit.ok;
}

async function explain(repository: ResolveOptions, name: string, report: Reporter, io: Io, json: boolean): Promise<number> {
  const compilation = await compile({ ...repository, emitters: [], only: [name] });
  const env = compilation.environments.find((e) => e.name === name);
  // Only what concerns this environment: its file, and the files of the systems it uses.
  const files = new Set([`environments/${name}.ts`, ...(env?.systems.map((s) => s.source) ?? [])]);
  const relevant = compilation.diagnostics.filter((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT || files.has(d.file) || (!env && d.file.includes('/systems/')));
  report.diagnostics(relevant);
  if (!env) return relevant.some((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT) ? Exit.usage : Exit.input;
  // Values allowed with plain(…) may still look like credentials: printed masked, as kiln diff does.
  const shown = redact(env);
  io.stdout.write(json ? `${JSON.stringify(shown, null, 2)}\n` : toYaml(shown));
  // A model with policy errors is whole and shown, and the errors still count.
  return hasErrors(relevant) ? Exit.input : Exit.ok;
}

function usage(report: Reporter, message: string, hint: string): number {
  report.usage(message, hint);
  return Exit.usage;
}

/** Changes from the bytes on disk to the compiled ones that the cluster would refuse or lose data by, unless acknowledged. */
function breakingErrors(before: Files, after: Files, compilation: Compilation): Diagnostic[] {
  return breakingDiagnostics(breakingChanges(before, after), compilation.environments, { stale: false });
}

/** What stops a write: a manifest Kiln cannot trust, and anything standing where it must write. */
function treeErrors(plan: TreePlan): Diagnostic[] {
  const manifest: Diagnostic[] = plan.manifestError
    ? [
        {
          code: CoreCode.MANIFEST_UNREADABLE,
          severity: 'error',
          file: `${GENERATED_DIR}/kiln-manifest.json`,
          path: '',
          message: `the manifest cannot be trusted: ${plan.manifestError}`,
          // `git checkout -- <path>` fails while a merge leaves the path unmerged; these forms do not.
          hint: plan.manifestConflict
            ? "take one side of the conflict (git checkout --ours -- generated/kiln-manifest.json, or --theirs), then run 'npx kiln generate'"
            : "restore the committed one (git checkout HEAD -- generated/kiln-manifest.json), then run 'npx kiln generate'",
        },
      ]
    : [];
  const journal: Diagnostic[] = plan.journalError
    ? [
        {
          code: CoreCode.JOURNAL_UNREADABLE,
          severity: 'error',
          file: `${GENERATED_DIR}/${JOURNAL}`,
          path: '',
          message: `the journal of an interrupted write cannot be trusted: ${plan.journalError}`,
          hint: "delete it and run 'npx kiln generate'; 'git status generated/' shows what the interrupted write left",
        },
      ]
    : plan.interrupted
      ? [
          {
            code: CoreCode.WRITE_INTERRUPTED,
            severity: 'error',
            file: `${GENERATED_DIR}/${JOURNAL}`,
            path: '',
            message:
              plan.interrupted === 'running'
                ? 'another kiln generate is writing generated/ right now'
                : `a kiln generate was cut off ${plan.interrupted === 'committed' ? 'while replacing files; generate finishes it' : 'before any file changed; generate rolls it back'}`,
            hint: plan.interrupted === 'running' ? 'wait for it to finish, then run this command again' : "run 'npx kiln generate'",
          },
        ]
      : [];
  return [
    ...manifest,
    ...journal,
    ...plan.blocked.map(({ path, reason }) => ({
      code: reason.startsWith('this file') ? CoreCode.FILE_NOT_OWNED : CoreCode.PATH_BLOCKED,
      severity: 'error' as const,
      file: `${GENERATED_DIR}/${path}`,
      path: '',
      message: reason,
      hint: reason.startsWith('this file')
        ? 'move it out of generated/ or delete it; if generated/kiln-manifest.json was deleted, restore it from git'
        : 'remove what stands there; generated/ holds only the files Kiln writes',
    })),
  ];
}

/**
 * The input to change instead of a generated file: its environment's file (from the path's folder
 * and the manifest's provenance), or environments/ for the repository-wide index and argocd/.
 */
function editInstead(plan: TreePlan, path: string): string {
  const slash = path.indexOf('/');
  const environment = slash < 0 ? undefined : plan.environments[path.slice(0, slash)];
  return environment?.source ?? 'environments/';
}

function handEdited(path: string, what: string, instead: string): Diagnostic {
  return {
    code: CoreCode.HAND_EDITED,
    severity: 'warning',
    file: `${GENERATED_DIR}/${path}`,
    path: '',
    message: `this generated file was edited by hand; ${what}`,
    hint: `make the change in ${instead} instead`,
  };
}

/** A file Kiln never wrote, left alone: where Argo CD syncs it, it deploys as if Kiln had made it. */
function unknownFile(path: string): Diagnostic {
  return {
    code: CoreCode.UNKNOWN_FILE,
    severity: 'warning',
    file: `${GENERATED_DIR}/${path}`,
    path: '',
    message: isSynced(path) ? 'Kiln did not write this file, and Argo CD syncs its folder: it would apply it as if Kiln had made it' : 'Kiln did not write this file; check reports it until it is gone',
    hint: `remove it, or move it outside ${GENERATED_DIR}/ (generate never touches a file it did not write)`,
  };
}

/** Kiln's version, as `kiln --version` prints it and the manifest records it. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
