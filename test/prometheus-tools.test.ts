/**
 * The generated Prometheus and Alertmanager files, judged by the real tools (Debian's Prometheus
 * 2.42 and Alertmanager 0.25, as CI has them): promtool checks and runs every rule and test file
 * and every scrape configuration, amtool checks every Alertmanager configuration and where each
 * severity is routed, a real Prometheus loads and evaluates the rules, and `kiln test` names a
 * failing case by environment, alert and case.
 *
 * The files come from compiling in memory, not from generated/: this repository's environments and
 * a small fixture whose compose target routes alerts, so amtool always has a file to judge.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitters } from '@kiln/cli';
import { compile } from '@kiln/core';
import type { Compilation } from '@kiln/core';
import { parseDuration } from '@kiln/promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sleep, startPrometheus } from './support/prometheus-server.js';
import type { PrometheusServer } from './support/prometheus-server.js';
import { kiln } from './support/run.js';
import { toolAvailable } from './support/tools.js';

/**
 * Real tools take seconds, a Prometheus its first evaluation interval: never vitest's 5 s. promtool
 * runs an SLO test file for tens of seconds alone, and for minutes beside the other test files on a
 * busy 2-core machine.
 */
const TOOL_TIMEOUT_MS = 600_000;

const scratch = join(import.meta.dirname, '.tmp', `prometheus-tools-${process.pid}`);
const fixture = join(import.meta.dirname, 'fixtures/monitored');

interface Tree {
  readonly name: string;
  readonly compilation: Compilation;
  /** Where its prometheus/ and alertmanager/ folders were written, in generated/'s layout. */
  readonly dir: string;
}

/** Compiles a repository in memory and writes what Prometheus and Alertmanager read to the scratch folder. */
async function materialize(name: string, root: string): Promise<Tree> {
  const compilation = await compile({ root, emitters });
  const dir = join(scratch, name);
  for (const [path, content] of compilation.files) {
    if (!/^[^/]+\/(prometheus|alertmanager)\//.test(path)) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { name, compilation, dir };
}

rmSync(scratch, { recursive: true, force: true });
const trees = [await materialize('repository', join(import.meta.dirname, '..')), await materialize('fixture', fixture)];
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every generated file whose path matches, as [name for the test title, absolute path, environment, tree]. */
function filesMatching(pattern: RegExp) {
  return trees.flatMap((tree) =>
    [...tree.compilation.files.keys()].filter((path) => pattern.test(path)).map((path) => [`${tree.name}: ${path}`, join(tree.dir, path), path.split('/')[0] ?? '', tree] as const),
  );
}

const ruleFiles = filesMatching(/^[^/]+\/prometheus\/rules\/[^/]+\.yml$/);
const testFiles = filesMatching(/^[^/]+\/prometheus\/tests\/[^/]+\.test\.yml$/);
const configs = filesMatching(/^[^/]+\/prometheus\/prometheus\.yml$/);
const alertmanagers = filesMatching(/^[^/]+\/alertmanager\/alertmanager\.yml$/);

function run(command: string, args: readonly string[]): Promise<{ status: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, output: `${stdout}${stderr}` }));
  });
}

describe('the files to judge', () => {
  it('include rule files, test files and a scrape configuration from this repository, and an Alertmanager configuration', () => {
    const fromRepository = (files: readonly (readonly [string, ...unknown[]])[]) => files.filter(([name]) => name.startsWith('repository:'));
    expect(trees[0]?.compilation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(fromRepository(ruleFiles).length).toBeGreaterThan(0);
    expect(fromRepository(testFiles).length).toBeGreaterThan(0);
    expect(fromRepository(configs).length).toBeGreaterThan(0);
    expect(alertmanagers.length).toBeGreaterThan(0);
  });
});

describe.concurrent('promtool', () => {
  const available = toolAvailable('promtool', 'prometheus');

  it.skipIf(!available).each(ruleFiles)('check rules %s', async (_name, file) => {
    const result = await run('promtool', ['check', 'rules', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  }, TOOL_TIMEOUT_MS);

  it.skipIf(!available).each(testFiles)('test rules %s', async (_name, file) => {
    const result = await run('promtool', ['test', 'rules', file]);
    expect(result.status, result.output).toBe(0);
  }, TOOL_TIMEOUT_MS);

  it.skipIf(!available).each(configs)('check config %s, with the rule files beside it', async (_name, file) => {
    const result = await run('promtool', ['check', 'config', file]);
    expect(result.status, result.output).toBe(0);
    // `rules/*.yml` must find every rule file of the environment: a glob that matches nothing passes silently.
    const rules = readdirSync(join(dirname(file), 'rules'), { withFileTypes: true }).filter((e) => e.name.endsWith('.yml')).length;
    expect(Number(/(\d+) rule files found/.exec(result.output)?.[1]), result.output).toBe(rules);
  }, TOOL_TIMEOUT_MS);
});

describe.concurrent('amtool', () => {
  const available = toolAvailable('amtool', 'prometheus-alertmanager');

  it.skipIf(!available).each(alertmanagers)('check-config %s', async (_name, file) => {
    const result = await run('amtool', ['check-config', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  }, TOOL_TIMEOUT_MS);

  it.skipIf(!available).each(alertmanagers)('%s routes each severity to the receiver the environment names', async (_name, file, envName, tree) => {
    const routes = tree.compilation.environments.find((env) => env.name === envName)?.monitoring.alerting?.routes;
    expect(routes, `${envName} routes no alerts but has ${file}`).toBeDefined();
    const receivers = async (...labels: string[]) => {
      const result = await run('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
      expect(result.status, result.output).toBe(0);
      return result.stdout.trim().split(',');
    };
    // An SLO's page tier is critical and its ticket tier a warning; each set of labels reaches exactly one receiver.
    expect(await receivers('severity=critical', 'slo_tier=page', 'alertname=X')).toEqual([routes?.critical]);
    expect(await receivers('severity=warning', 'slo_tier=ticket', 'alertname=X')).toEqual([routes?.warning]);
    expect(await receivers('severity=info', 'alertname=X')).toEqual([routes?.info]);
  }, TOOL_TIMEOUT_MS);
});

/**
 * The environments a real Prometheus runs: for each target kind of this repository, the one with
 * the most rules, and the fixture (whose configuration has an alerting section).
 */
function serverCases() {
  const withRules = configs.map(([name, file, envName, tree]) => ({ name, file, envName, tree, rules: ruleNames(dirname(file)).length }));
  const picked = new Map<string, (typeof withRules)[number]>();
  for (const candidate of withRules) {
    const env = candidate.tree.compilation.environments.find((e) => e.name === candidate.envName);
    // The emitter writes a compose target's scrape configuration when there are both.
    const kind = `${candidate.tree.name}/${env?.targets.compose ? 'compose' : 'hosts'}`;
    const best = picked.get(kind);
    if (!best || candidate.rules > best.rules) picked.set(kind, candidate);
  }
  return [...picked.values()];
}

/** The groups of an environment's rule files, with their rules' names, as Prometheus should load them. */
function ruleNames(prometheusDir: string): { group: string; rules: string[] }[] {
  const dir = join(prometheusDir, 'rules');
  const files = readdirSync(dir).filter((name) => name.endsWith('.yml'));
  return files.flatMap((name) => {
    const { groups } = parse(readFileSync(join(dir, name), 'utf8')) as { groups: { name: string; rules: { alert?: string; record?: string }[] }[] };
    return groups.map((group) => ({ group: group.name, rules: group.rules.map((rule) => rule.alert ?? rule.record ?? '') }));
  });
}

interface RulesResponse {
  data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] };
}

describe('a real Prometheus', () => {
  const available = toolAvailable('prometheus', 'prometheus');
  const cases = serverCases();
  const servers = new Map<string, Promise<PrometheusServer>>();

  beforeAll(() => {
    if (!available) return;
    // All at once: each waits for its first evaluation, and the waits overlap.
    for (const c of cases) servers.set(c.name, startPrometheus(c.file, scratch, 60_000));
  });

  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.then((s) => s.stop(), () => undefined)));
  }, 30_000);

  it('runs for at least one environment of this repository', () => {
    expect(cases.filter((c) => c.tree.name === 'repository').length).toBeGreaterThan(0);
  });

  it.skipIf(!available).each(cases.map((c) => [c.name, c] as const))('%s: loads every rule group and evaluates every rule without error', async (_name, c) => {
    const server = await servers.get(c.name);
    if (!server) throw new Error(`no server for ${c.name}`);
    const expected = ruleNames(dirname(c.file)).sort((a, b) => a.group.localeCompare(b.group));
    const config = parse(readFileSync(c.file, 'utf8')) as { global?: { evaluation_interval?: string } };
    // A group first evaluates within one interval of loading; rules are 'unknown' until then.
    const interval = parseDuration(config.global?.evaluation_interval ?? '1m') ?? 60_000;
    const deadline = Date.now() + interval + 30_000;
    let groups: RulesResponse['data']['groups'] = [];
    for (;;) {
      const response = (await (await fetch(`${server.url}/api/v1/rules`)).json()) as RulesResponse;
      groups = response.data.groups;
      const evaluated = groups.every((g) => g.rules.every((r) => r.health !== 'unknown'));
      if ((evaluated && groups.length >= expected.length) || Date.now() > deadline) break;
      await sleep(1000);
    }
    const loaded = groups.map((g) => ({ group: g.name, rules: g.rules.map((r) => r.name) })).sort((a, b) => a.group.localeCompare(b.group));
    expect(loaded, server.log()).toEqual(expected);
    const unhealthy = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`));
    expect(unhealthy).toEqual([]);
  }, TOOL_TIMEOUT_MS);
});

describe('kiln test', () => {
  const available = toolAvailable('promtool', 'prometheus');
  let counter = 0;

  /** A scratch copy of the fixture, with its system file edited. */
  const repository = (edits: readonly (readonly [string, string])[] = []) => {
    const root = join(scratch, `kiln-test-${counter++}`);
    cpSync(fixture, root, { recursive: true });
    const system = join(root, 'environments/systems/shop.ts');
    let text = readFileSync(system, 'utf8');
    for (const [from, to] of edits) {
      expect(text).toContain(from);
      text = text.replace(from, to);
    }
    writeFileSync(system, text);
    return root;
  };

  it.skipIf(!available)('passes when every case holds', async () => {
    const result = await kiln(['test', '--root', repository()]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1 rule test file passed\n');
    expect(result.code).toBe(0);
  }, TOOL_TIMEOUT_MS);

  it.skipIf(!available)('names the environment, alert and case of an expected alert that never fires', async () => {
    // The quiet case now expects the alert, at a value the expression never has.
    const root = repository([["      expect: [],\n", "      expect: [{ labels: { job: 'api' }, value: 0 }],\n"]]);
    const result = await kiln(['test', '--json', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.diagnostics.map(({ code, severity, file, path }) => ({ code, severity, file, path }))).toEqual([
      { code: 'RULE_TEST_FAILED', severity: 'error', file: 'environments/systems/shop.ts', path: 'alerts[HighErrorRate].tests[all-fine]' },
    ]);
    const message = result.diagnostics[0]?.message ?? '';
    for (const word of ['shop-dev', 'HighErrorRate', 'all-fine', 'exp:[', 'got:[]']) expect(message).toContain(word);
  }, TOOL_TIMEOUT_MS);

  it('reports compile errors without running promtool, and a missing promtool with its fix', async () => {
    // An expected alert whose description needs $value, given none: Kiln's own check refuses it.
    const broken = await kiln(['test', '--json', '--root', repository([["      expect: [],\n", "      expect: [{ labels: { job: 'api' } }],\n"]])]);
    expect(broken.code).toBe(1);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['TEST_EXPECTATION_INVALID']);
    const missing = await kiln(['test', '--json', '--root', repository()], undefined, { PATH: join(scratch, 'no-tools-here') });
    expect(missing.code).toBe(1);
    expect(missing.diagnostics).toMatchObject([{ code: 'PROMTOOL_MISSING', severity: 'error', hint: expect.stringContaining('apt-get install prometheus') }]);
    expect((await kiln(['test', 'nope', '--root', repository()])).code).toBe(2);
  }, TOOL_TIMEOUT_MS);
});
