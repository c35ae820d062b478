/**
 * The kiln command: parses arguments, calls the core, prints, sets the exit code. No logic of its own.
 * Exit codes: 0 ok · 1 errors in the input, drift found by check · 2 usage · 3 internal error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, CoreCode, GENERATED_DIR, hasErrors, planTree, toYaml, writeTree } from '@kiln/core';
import type { Compilation, Diagnostic, TreePlan } from '@kiln/core';
import { diffTrees, renderJson, renderMarkdown, renderText } from '@kiln/diff';
import { environmentJsonSchema } from '@kiln/model';
import { BaseRevisionError, changedFiles, resolveBase } from './base-tree.js';
import { emitters, repositoryEmitters } from './emitters.js';
import { reporter } from './report.js';
import type { Io, Reporter } from './report.js';
import { ruleTestSuites, runRuleTests } from './rule-tests.js';

export const Exit = { ok: 0, input: 1, usage: 2, internal: 3 } as const;

const HELP = `kiln: compile typed environments into a verified generated/ tree

Usage: kiln <command> [options]

Commands:
  generate [ENV…]   compile all or the named environments into generated/; with any error, writes nothing
  check [ENV…]      compile in memory and compare with generated/; exit 1 on stale, missing, extra or hand-edited files
  list              environments with their systems, stage and targets
  explain ENV       the resolved environment model, as YAML (or --json)
  test [ENV…]       run the generated Prometheus rule tests with promtool; failures named by environment, alert and case
  diff              resource-aware diff of generated/ between a git revision and the working tree, secrets masked:
                    --base REF (default HEAD), --format text|markdown|json, --exit-code (exit 1 when anything changed)
  schema            JSON Schema of the environment input, for editors

Options:
  --root DIR        repository root (default: the current directory)
  --json            diagnostics (stderr) and results (stdout) as JSON
  --version         print the version
  --help            print this help

Exit codes: 0 ok, 1 errors in the input or drift, 2 usage, 3 internal error. NO_COLOR is honoured.
`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
        // diff's own
        base: { type: 'string' },
        format: { type: 'string' },
        'exit-code': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return Exit.usage;
  }
  const { values, positionals } = parsed;
  const report = reporter(io, values.json === true);
  if (values.version) {
    io.stdout.write(`${version()}\n`);
    return Exit.ok;
  }
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined && !values.help ? Exit.usage : Exit.ok;
  }
  const root = resolve(io.cwd, values.root ?? '.');
  if (command !== 'diff' && (values.base !== undefined || values.format !== undefined || values['exit-code'])) return usage(io, '--base, --format and --exit-code are options of diff');
  try {
    switch (command) {
      case 'generate':
        return await generate(root, args, report);
      case 'check':
        return await check(root, args, report);
      case 'test':
        return await test(root, args, report, io);
      case 'list':
        return await list(root, report, io, values.json === true);
      case 'explain':
        if (args.length !== 1) return usage(io, 'explain takes exactly one environment name');
        return await explain(root, args[0] ?? '', report, io, values.json === true);
      case 'diff': {
        if (args.length > 0) return usage(io, 'diff takes no environment names: it compares the whole generated/ tree');
        const format = values.format ?? (values.json ? 'json' : 'text');
        if (!isDiffFormat(format)) return usage(io, `--format must be text, markdown or json, not '${format}'`);
        return await diff(root, { base: values.base ?? 'HEAD', format, exitCode: values['exit-code'] === true }, report, io);
      }
      case 'schema':
        io.stdout.write(`${JSON.stringify(environmentJsonSchema(), null, 2)}\n`);
        return Exit.ok;
      default:
        return usage(io, `unknown command '${command}'`);
    }
  } catch (error) {
    const text = error instanceof Error ? (io.env.KILN_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
    report.error(`internal error: ${text.split(`${root}/`).join('')} (set KILN_DEBUG=1 for the stack; if this is no disk or permission problem, it is a bug in Kiln)`);
    return Exit.internal;
  }
}

async function compileOrReport(root: string, only: readonly string[], report: Reporter): Promise<Compilation | number> {
  const compilation = await compile({ root, emitters, repositoryEmitters, only, version: version() });
  report.diagnostics(compilation.diagnostics);
  if (compilation.diagnostics.some((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT)) return Exit.usage;
  return hasErrors(compilation.diagnostics) ? Exit.input : compilation;
}

async function generate(root: string, only: readonly string[], report: Reporter): Promise<number> {
  const compilation = await compileOrReport(root, only, report);
  if (typeof compilation === 'number') {
    report.error(`nothing written: fix the errors above`);
    return compilation;
  }
  const plan = planTree(root, compilation);
  const refusals = treeErrors(plan);
  if (refusals.length > 0) {
    report.diagnostics(refusals);
    report.error('nothing written: Kiln never writes over what it did not write, nor through a manifest it cannot trust');
    return Exit.input;
  }
  if (plan.handEdited.length > 0) {
    report.diagnostics(plan.handEdited.map((path) => handEdited(path, plan.removed.includes(path) ? 'Kiln no longer produces it, so generate deleted it' : 'generate replaced it', editInstead(plan, path))));
  }
  const result = writeTree(root, plan);
  const unchanged = plan.files.size - result.written.length;
  report.info(`${GENERATED_DIR}/: ${result.written.length} written, ${result.removed.length} removed, ${unchanged} unchanged`);
  return Exit.ok;
}

async function check(root: string, only: readonly string[], report: Reporter): Promise<number> {
  const compilation = await compileOrReport(root, only, report);
  if (typeof compilation === 'number') return compilation;
  const plan = planTree(root, compilation);
  const errors = treeErrors(plan);
  report.diagnostics(errors);
  const drift = describeDrift(plan);
  if (drift.length === 0 && errors.length === 0) {
    report.info(`${GENERATED_DIR}/ is up to date (${plan.files.size} files)`);
    return Exit.ok;
  }
  for (const line of drift) report.info(line);
  report.error(`${GENERATED_DIR}/ is not what the environments compile to: run 'npx kiln generate' and commit the result`);
  return Exit.input;
}

const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];
const isDiffFormat = (format: string): format is DiffFormat => (DIFF_FORMATS as readonly string[]).includes(format);

/** Compiles the working tree, reads what differs in the base revision's generated/, prints the diff. */
async function diff(root: string, options: { base: string; format: DiffFormat; exitCode: boolean }, report: Reporter, io: Io): Promise<number> {
  let base;
  try {
    base = await resolveBase(root, options.base);
  } catch (error) {
    if (!(error instanceof BaseRevisionError)) throw error;
    report.error(error.message);
    return Exit.usage;
  }
  const compilation = await compileOrReport(root, [], report);
  if (typeof compilation === 'number') return compilation;
  const { before, after } = await changedFiles(base, compilation.files);
  const result = diffTrees(before, after);
  const revision = { ref: base.ref, commit: base.commit };
  io.stdout.write(options.format === 'json' ? renderJson(result, revision) : options.format === 'markdown' ? renderMarkdown(result, { base: revision }) : renderText(result, { base: revision }));
  return options.exitCode && result.resources.length > 0 ? Exit.input : Exit.ok;
}

function describeDrift(plan: TreePlan): string[] {
  const special = new Set([...plan.missing, ...plan.handEdited]);
  const stale = plan.changed.filter((path) => !special.has(path));
  return [
    ...stale.map((path) => `stale        ${GENERATED_DIR}/${path}`),
    ...plan.missing.map((path) => `missing      ${GENERATED_DIR}/${path}`),
    ...plan.removed.filter((path) => !plan.handEdited.includes(path)).map((path) => `extra        ${GENERATED_DIR}/${path}`),
    // Hand-edited is not stale: its bytes differ from what Kiln last wrote. Say where the change belongs.
    ...plan.handEdited.map((path) => `hand-edited  ${GENERATED_DIR}/${path} (change ${editInstead(plan, path)} instead)`),
    // Argo CD would sync a stray object in a kubernetes/ folder as if Kiln had made it.
    ...plan.unknown.map((path) => `unknown      ${GENERATED_DIR}/${path} (not written by Kiln: delete or move it)`),
    ...plan.leftovers.map((path) => `leftover     ${GENERATED_DIR}/${path} (an interrupted write: 'npx kiln generate' removes it)`),
  ];
}

async function test(root: string, only: readonly string[], report: Reporter, io: Io): Promise<number> {
  const compilation = await compileOrReport(root, only, report);
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

async function list(root: string, report: Reporter, io: Io, json: boolean): Promise<number> {
  const compilation = await compile({ root, emitters: [] });
  report.diagnostics(compilation.diagnostics);
  for (const env of compilation.environments) {
    const row = {
      name: env.name,
      stage: env.stage,
      systems: env.systems.map((s) => s.name),
      targets: Object.keys(env.targets).sort(),
      ...(env.region === undefined ? {} : { region: env.region }),
    };
    io.stdout.write(json ? `${JSON.stringify(row)}\n` : `${row.name.padEnd(24)} ${row.stage.padEnd(12)} ${row.systems.join(',').padEnd(12)} ${row.targets.join(',')}\n`);
  }
  return hasErrors(compilation.diagnostics) ? Exit.input : Exit.ok;
}

async function explain(root: string, name: string, report: Reporter, io: Io, json: boolean): Promise<number> {
  const compilation = await compile({ root, emitters: [], only: [name] });
  const env = compilation.environments.find((e) => e.name === name);
  // Only what concerns this environment: its file, and the files of the systems it uses.
  const files = new Set([`environments/${name}.ts`, ...(env?.systems.map((s) => s.source) ?? [])]);
  const relevant = compilation.diagnostics.filter((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT || files.has(d.file) || (!env && d.file.includes('/systems/')));
  report.diagnostics(relevant);
  if (!env) return relevant.some((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT) ? Exit.usage : Exit.input;
  io.stdout.write(json ? `${JSON.stringify(env, null, 2)}\n` : toYaml(env));
  return Exit.ok;
}

function usage(io: Io, message: string): number {
  io.stderr.write(`${message}\n\n${HELP}`);
  return Exit.usage;
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
          hint: 'restore it from git (git checkout -- generated/kiln-manifest.json), then run npx kiln generate',
        },
      ]
    : [];
  return [
    ...manifest,
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

/** Kiln's version, as `kiln --version` prints it and the manifest records it. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
