/**
 * `kiln test`: the generated promtool tests of the selected environments, run by promtool on a
 * scratch copy of their rule and test files, each failure told as the model's environment, alert
 * and case, at the author's file and path.
 *
 * It lives in the CLI because it runs a program and reads its output, which no emitter may do, and
 * the core knows nothing of Prometheus. The reading of promtool's output is pure and apart, in
 * promtool-output.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sortDiagnostics, sourcePath } from '@kiln/core';
import type { Compilation, Diagnostic, FileMap } from '@kiln/core';
import type { Environment, System } from '@kiln/model';
import { PrometheusCode, rulesPath, ruleTests, testsPath } from '@kiln/prometheus';
import type { CaseRef } from '@kiln/prometheus';
import { promtoolFailures, sameDuration } from './promtool-output.js';
import type { PromtoolFailure } from './promtool-output.js';

/** One system's rule tests in one environment. */
export interface RuleTestSuite {
  readonly env: Environment;
  readonly system: System;
  /** Paths inside generated/. */
  readonly rules: string;
  readonly tests: string;
  readonly cases: readonly CaseRef[];
}

export interface RuleTestResult {
  readonly diagnostics: Diagnostic[];
  /** Test files (paths inside generated/) that did not pass. */
  readonly failed: string[];
  /** How many test files promtool ran: none when it is missing. */
  readonly ran: number;
}

/** A test file whose promtool runs this long is stuck, not slow: the longest take seconds. */
const PROMTOOL_TIMEOUT_MS = 300_000;

/** The suites of the environments the compilation owns (all, or those named on the command line). */
export function ruleTestSuites(compilation: Compilation): RuleTestSuite[] {
  return compilation.environments.flatMap((env) =>
    env.systems.flatMap((system) => {
      const tests = testsPath(env.name, system);
      const cases = ruleTests(env, system)?.cases;
      return cases && compilation.files.has(tests) ? [{ env, system, rules: rulesPath(env.name, system), tests, cases }] : [];
    }),
  );
}

export async function runRuleTests(files: FileMap, suites: readonly RuleTestSuite[], env: Readonly<Record<string, string | undefined>>): Promise<RuleTestResult> {
  const childEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  if (spawnSync('promtool', ['--version'], { env: childEnv }).error) {
    return { diagnostics: [promtoolMissing()], failed: [], ran: 0 };
  }
  const scratch = mkdtempSync(join(tmpdir(), 'kiln-test-'));
  try {
    // The same layout as generated/: each test file finds the rule files at ../rules/.
    const rules = new Set([...files.keys()].filter((path) => suites.some((suite) => path.startsWith(`${suite.env.name}/prometheus/rules/`))));
    for (const suite of suites) {
      for (const path of [...rules, suite.tests]) {
        mkdirSync(dirname(join(scratch, path)), { recursive: true });
        writeFileSync(join(scratch, path), files.get(path) ?? '');
      }
    }
    const runs = await inParallel(suites, (suite) => promtool(['test', 'rules', join(scratch, suite.tests)], childEnv));
    const diagnostics = suites.flatMap((suite, i) => {
      const run = runs[i];
      return run && run.status !== 0 ? diagnose(suite, run, scratch) : [];
    });
    const failed = suites.filter((_, i) => runs[i]?.status !== 0).map((suite) => suite.tests);
    return { diagnostics: sortDiagnostics(diagnostics), failed, ran: suites.length };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function promtoolMissing(): Diagnostic {
  return {
    code: PrometheusCode.PROMTOOL_MISSING,
    severity: 'error',
    file: 'promtool',
    path: '',
    message: 'promtool is not installed (or not on PATH): kiln test runs the generated rule tests with it',
    hint: 'apt-get install prometheus (Debian and Ubuntu), or put the promtool of a Prometheus release on PATH',
  };
}

interface Run {
  /** Exit status; null when promtool was killed (the timeout) or did not start. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function promtool(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('promtool', args, { env, timeout: PROMTOOL_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (status, signal) => resolve({ status, stdout, stderr: signal ? `${stderr}promtool was stopped by ${signal} (kiln test gives each file ${PROMTOOL_TIMEOUT_MS / 1000} s)` : stderr }));
  });
}

/** promtool is multi-threaded itself; one run per core keeps a large repository quick without thrashing. */
async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), items.length) }, worker));
  return results;
}

function diagnose(suite: RuleTestSuite, run: Run, scratch: string): Diagnostic[] {
  // Paths in promtool's words are the scratch copy's; the author knows them under generated/.
  const words = (text: string) => text.split(`${scratch}/`).join('generated/');
  const failures = promtoolFailures(words(run.stderr));
  if (failures.length === 0) failures.push({ details: words(`${run.stderr}${run.stdout}`).trim().replace(/\s+/g, ' ') || `promtool exited with ${run.status}` });
  return failures.map((failure) => diagnostic(suite, failure));
}

function diagnostic(suite: RuleTestSuite, failure: PromtoolFailure): Diagnostic {
  const { env, system } = suite;
  const refs = suite.cases.filter(
    (ref) => ref.group === failure.group && (failure.alert === undefined || ref.alert === failure.alert) && (failure.time === undefined || sameDuration(ref.evalTime, failure.time)),
  );
  const base = { code: PrometheusCode.RULE_TEST_FAILED, severity: 'error' as const, file: system.source };
  const first = refs[0];
  if (!first) {
    // Nothing to map back to: the file did not load, or promtool printed a group Kiln did not write.
    const where = failure.group === undefined ? '' : ` (test group '${failure.group}'${failure.alert ? `, alert ${failure.alert}` : ''})`;
    return {
      ...base,
      path: '',
      message: `${env.name}: promtool failed the rule tests of system '${system.name}'${where}: ${failure.details}`,
      hint: `Kiln wrote a file promtool cannot run: please report it with this message (npx kiln generate, then promtool test rules generated/${suite.tests}, shows it in full)`,
    };
  }
  const alert = system.alerts.find((a) => a.name === first.alert);
  const cases = [...new Set(refs.filter((ref) => ref.alert === first.alert).map((ref) => ref.case))];
  const at = failure.time === undefined ? '' : ` at ${first.evalTime}`;
  return {
    ...base,
    // An SLO's alerts and cases are generated from the SLO: that is what the author can change.
    path: alert?.slo ? sourcePath(['slos', { name: alert.slo }]) : sourcePath(['alerts', { name: first.alert }, 'tests', { name: first.case }]),
    message: `${env.name}: alert ${first.alert}, case ${cases.join(', ')} failed${at}: ${failure.details}`,
    hint: alert?.slo
      ? `Kiln generates the burn cases of SLO '${alert.slo}' from its sli and objective; check those, and report a bug if they are right`
      : `exp is what the case expects, got what the rule produced: fix the alert's expr or the case's expect ('npx kiln explain ${env.name}' shows the alert as resolved)`,
  };
}
