/**
 * Output every reader agrees on. Arbitrary strings and keys, every trap included (YAML 1.1 booleans,
 * octals, sexagesimals, timestamps, nulls, indicators, tabs, control characters, NEL, U+2028, a BOM,
 * `<<`, `=`, `$(`), go through the one serializer and through whole environments (env values,
 * labels, an annotation, configuration file names and contents); the `yaml` package (YAML 1.1 and
 * 1.2) and PyYAML read back exactly what was meant, Kubernetes' `$(…)` expansion included, and
 * docker-compose reads every Compose file. Keys such as `__proto__` and `constructor` survive.
 *
 * PyYAML and docker-compose are real tools: skipped visibly when absent, required with KILN_REQUIRE_TOOLS=1.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toYaml } from '@kiln/core';
import { detectSecret, expandDependentVariables } from '@kiln/model';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kiln } from './support/run.js';
import { readTree } from './support/tree.js';
import { run, toolAvailable } from './support/tools.js';

const scratch = join(import.meta.dirname, '.tmp', `yaml-safety-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fixed seed: a failure names its sample, and the same run reproduces it. */
const SEED = 20_240_601;

const TRAPS = [
  ...['on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'n', 'Y', 'N', 'true', 'False', 'TRUE', 'null', 'Null', 'NULL', '~', ''],
  ...['0755', '0o17', '0x1F', '0b101', '0_', '1e3', '1E-3', '1_000', '.5', '+1', '-0', '.inf', '-.Inf', '.nan', '1:20', '1:20:30.5', '190:20:30', '2024-01-01', '2024-1-1 1:00:00', '2024-01-01T10:00:00Z'],
  ...['-', '?', ':', '-x', '- x', '? x', ': x', 'a: b', 'a:', '#', '# x', 'a #b', ',', ', x', '[a]', '{a: b}', '&a', '*a', '!a', '!!str', '|', '>', '%YAML', '@x', '`x', "'q", '"q', '<<', '=', '---', '...', '--- x'],
  ...['a\tb', '\t', '\tlead', 'trail\t', '\u0085', 'a\u0085b', '\u2028', 'x\u2029y', '\ufeff', '\ufeffbom', '\u007f', '\u0080', '\u009f', '\u0000', '\u001b[0m', '\r', 'a\r\nb', '\v\f', '\u00a0', '\ufffe'],
  ...['line\n', '\nlead', 'a\n\nb\n\n', '  two', 'trail ', ' ', '\n', 'x\n  y\n', 'key: |\n  block\n'],
  ...['$(VAR)', '$$', '$$(VAR)', '$(', '$', '${HOME}', '$HOME', 'a$(b)c$$d', 'é', '日本語', '🙂', 'Ω≈ç√'],
  ...['__proto__', 'constructor', 'toString', 'hasOwnProperty'],
];
const TRAP_CHARS = ['\t', '\n', '\r', ' ', '\u0085', '\u2028', '\u2029', '\ufeff', '\u007f', '\u0080', '\u0000', '\u001f', ':', '#', '-', '?', '$', '(', ')', '{', '"', "'", '\\', '<', '=', 'y', 'n', '0', '1', '.', 'e', 'é', '🙂'];

/** Lone surrogates are no text: nothing can write them as UTF-8. */
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
const text = fc.oneof(fc.constantFrom(...TRAPS), fc.string({ unit: fc.constantFrom(...TRAP_CHARS), maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 16 })).filter(wellFormed);
const envName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'on', 'y', 'n', 'NULL', 'true', '_', 'yes'), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/));
const fileName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'on', 'y', '0755', '1e3', '1_000', '-', '.env', '_', 'null', '1.0'), fc.stringMatching(/^[-._a-zA-Z0-9]{1,12}$/)).filter((name) => name !== '.' && !name.startsWith('..'));
const labelKey = fc.oneof(fc.constantFrom('on', 'y', 'constructor', '1e3', '0755', 'true', 'null', 'No'), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/));
const labelValue = fc.oneof(fc.constantFrom('on', 'no', 'y', '0755', '1e3', '1_000', 'true', 'null', 'NULL', '2024-01-01', '0x1F', '12e3', '0o17', ''), fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?)?$/));

/** Plain data, keys sorted: what two readers must both return. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)]) : v;
  return JSON.stringify(sort(value));
}

function pyyamlAvailable(): boolean {
  if (toolAvailable('python3', 'python3-yaml') && spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0) return true;
  if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error('PyYAML is required (KILN_REQUIRE_TOOLS=1) but python3 cannot import yaml: apt-get install python3-yaml');
  console.warn('SKIPPED: PyYAML is not importable (apt-get install python3-yaml); the PyYAML checks are skipped');
  return false;
}

/** Every text read by PyYAML's safe_load (what docker-compose 1.29 uses), in one process. */
function pyyamlRead(texts: readonly string[]): unknown[] {
  const script = 'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(t) for t in json.load(sys.stdin)], default=repr))';
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as unknown[];
}

const readers = (text: string) => ({ '1.1': parse(text, { version: '1.1' }) as unknown, '1.2': parse(text, { version: '1.2' }) as unknown });

describe('the serializer', () => {
  const pyyaml = pyyamlAvailable();

  it('writes arbitrary strings and keys that YAML 1.1, YAML 1.2 and PyYAML read back exactly', () => {
    const tree = fc.uniqueArray(fc.tuple(text, fc.oneof(text, fc.array(text, { maxLength: 3 }))), { selector: ([key]) => key, maxLength: 6 }).map((entries) => Object.fromEntries(entries));
    const written: { text: string; data: Record<string, unknown> }[] = [];
    fc.assert(
      fc.property(tree, (data) => {
        const yaml = toYaml({ data });
        for (const [version, read] of Object.entries(readers(yaml))) expect(canonical(read), `YAML ${version} of ${JSON.stringify(data)}:\n${yaml}`).toBe(canonical({ data }));
        written.push({ text: yaml, data: { data } });
      }),
      { numRuns: 300, seed: SEED },
    );
    if (!pyyaml) return;
    pyyamlRead(written.map((w) => w.text)).forEach((read, i) => {
      const { text: yaml, data } = written[i] ?? { text: '', data: {} };
      expect(canonical(read), `PyYAML of ${JSON.stringify(data)}:\n${yaml}`).toBe(canonical(data));
    });
  });
});

interface Sample {
  readonly env: readonly (readonly [string, string])[];
  readonly files: readonly (readonly [string, string])[];
  readonly labels: readonly (readonly [string, string])[];
  readonly monitoringLabels: readonly (readonly [string, string])[];
  readonly folder: string;
}

const sample: fc.Arbitrary<Sample> = fc.record({
  env: fc.uniqueArray(fc.tuple(envName, text), { selector: ([name]) => name, maxLength: 6 }),
  // One file per name on a case-insensitive disk too.
  files: fc.uniqueArray(fc.tuple(fileName, text), { selector: ([name]) => name.toLowerCase(), maxLength: 4 }),
  labels: fc.uniqueArray(fc.tuple(labelKey, labelValue), { selector: ([key]) => key, maxLength: 4 }),
  monitoringLabels: fc.uniqueArray(fc.tuple(labelKey, labelValue), { selector: ([key]) => key, maxLength: 3 }),
  // The folder is no plain(…) field: keep out what the secret detector would rightly refuse.
  folder: text.filter((s) => s.length > 0 && detectSecret(s) === undefined),
});

/** The traps that must always be in: keys that are Object.prototype's own names. */
const FIXED: Sample = {
  env: [
    ['__proto__', 'proto value'],
    ['constructor', '$(constructor)'],
    ['on', '<<'],
  ],
  files: [
    ['__proto__', 'a file called __proto__\n'],
    ['constructor', '='],
  ],
  labels: [['constructor', 'on']],
  monitoringLabels: [['y', 'n']],
  folder: 'a\tfolder\u2028',
};

const literal = (value: string) => `plain(${JSON.stringify(value)}, { reason: 'a property test' })`;
const record = (entries: readonly (readonly [string, string])[], value: (v: string) => string) => `{ ${entries.map(([k, v]) => `[${JSON.stringify(k)}]: ${value(v)}`).join(', ')} }`;

function environmentFile(name: string, s: Sample): string {
  return `import { defineEnvironment, defineSystem, plain } from '@kiln/model';

const props = defineSystem({
  name: 'props',
  services: [
    {
      name: 'api',
      image: 'ghcr.io/acme/api:1.0.0',
      ports: [{ name: 'metrics', port: 9100 }],
      env: ${record(s.env, literal)},
      ${s.files.length > 0 ? `config: { mountPath: '/etc/api', files: ${record(s.files, literal)} },` : ''}
      metrics: { port: 'metrics', exports: [{ name: 'orders_queued', type: 'gauge', help: 'Orders waiting' }] },
    },
  ],
  dashboards: [
    {
      uid: 'props',
      title: 'Props',
      rows: [{ title: 'Queue', panels: [{ title: 'Orders', description: 'Orders waiting.', type: 'stat', unit: 'short', queries: [{ expr: 'sum(orders_queued{job=~"$job", instance=~"$instance"})' }] }] }],
    },
  ],
});

export default defineEnvironment({
  name: '${name}',
  stage: 'development',
  labels: ${record(s.labels, JSON.stringify)},
  systems: [props],
  targets: { kubernetes: { cluster: 'dev', version: '1.31', secretStore: { name: 'vault' } }, compose: {} },
  monitoring: { labels: ${record(s.monitoringLabels, JSON.stringify)}, grafana: { url: 'https://grafana.example.org', folder: ${JSON.stringify(s.folder)} } },
});
`;
}

/** What the container gets from a value Kubernetes expands: `$$` is `$`, and no variable is known. */
const kubernetesReads = (value: string) => expandDependentVariables(value, () => undefined);
/** What Compose reads from a value it interpolates: `$$` is `$`. */
const composeReads = (value: string) => value.replaceAll('$$', '$');

const entriesOf = (value: unknown): [string, unknown][] => (value !== null && typeof value === 'object' ? Object.entries(value) : []);
const at = (value: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string | number, unknown>)[key] : undefined), value);
const sorted = (entries: readonly (readonly [string, unknown])[]) => canonical(Object.fromEntries(entries));

describe('whole environments', () => {
  const pyyaml = pyyamlAvailable();
  const compose = toolAvailable('docker-compose', 'docker-compose');

  it('read back exactly what was meant, by every reader, and docker-compose reads every Compose file', async () => {
    const samples = [FIXED, ...fc.sample(sample, { numRuns: 23, seed: SEED })];
    const root = join(scratch, 'repository');
    mkdirSync(join(root, 'environments'), { recursive: true });
    samples.forEach((s, i) => writeFileSync(join(root, 'environments', `p${i}.ts`), environmentFile(`p${i}`, s)));

    const generate = await kiln(['generate', '--json', '--root', root]);
    expect(generate.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(generate.code).toBe(0);

    const tree = readTree(join(root, 'generated'));
    const yamlFiles = [...tree].filter(([path]) => /\.ya?ml$/.test(path));
    const byPyyaml = pyyaml ? pyyamlRead(yamlFiles.map(([, text]) => text)) : [];
    const documents = new Map(
      yamlFiles.map(([path, text], i) => {
        const read = readers(text);
        // Every reader reads every file alike.
        expect(canonical(read['1.2']), `YAML 1.2 of ${path}`).toBe(canonical(read['1.1']));
        if (pyyaml) expect(canonical(byPyyaml[i]), `PyYAML of ${path}`).toBe(canonical(read['1.1']));
        return [path, read['1.1']] as const;
      }),
    );

    samples.forEach((s, i) => {
      const name = `p${i}`;
      const what = `sample ${name}: ${JSON.stringify(s)}`;
      const deployment = documents.get(`${name}/kubernetes/deployment-api.yaml`);
      const env = (at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'env') ?? []) as { name: string; value: string }[];
      expect(sorted(env.map((v) => [v.name, kubernetesReads(v.value)])), what).toBe(sorted(s.env));
      const labels = entriesOf(at(deployment, 'metadata', 'labels'));
      for (const [key, value] of s.labels) expect(labels, what).toContainEqual([key, value]);
      expect(sorted(entriesOf(at(documents.get(`${name}/kubernetes/configmap-api-config.yaml`), 'data'))), what).toBe(s.files.length > 0 ? sorted(s.files) : sorted([]));

      const dashboard = documents.get(`${name}/kubernetes/configmap-dashboard-props.yaml`);
      expect(at(dashboard, 'metadata', 'annotations', 'k8s-sidecar-target-directory'), what).toBe(s.folder);
      const monitoringLabels = entriesOf(at(dashboard, 'metadata', 'labels'));
      for (const [key, value] of s.monitoringLabels) expect(monitoringLabels, what).toContainEqual([key, value]);

      const file = documents.get(`${name}/compose/docker-compose.yml`);
      const environment = entriesOf(at(file, 'services', 'api', 'environment')).map(([k, v]) => [k, composeReads(String(v))] as const);
      expect(sorted(environment), what).toBe(sorted(s.env));
      const mounts = (at(file, 'services', 'api', 'volumes') ?? []) as { source: string; target: string }[];
      expect(mounts.map((m) => m.target).sort(), what).toEqual(s.files.map(([n]) => `/etc/api/${n}`).sort());
      for (const [fileName, content] of s.files) expect(readFileSync(join(root, 'generated', name, 'compose', 'config', 'api', fileName), 'utf8'), what).toBe(content);
    });

    if (!compose) return;
    // One docker-compose run reads many files (each is loaded and checked before they are merged);
    // a failing batch is run file by file to name the file.
    const composeFiles = [...tree.keys()].filter((path) => path.endsWith('/docker-compose.yml')).map((path) => join(root, 'generated', path));
    expect(composeFiles).toHaveLength(samples.length);
    for (let start = 0; start < composeFiles.length; start += 12) {
      const batch = composeFiles.slice(start, start + 12);
      const result = run('docker-compose', [...batch.flatMap((f) => ['-f', f]), 'config', '-q']);
      if (result.status === 0) continue;
      for (const f of batch) expect(run('docker-compose', ['-f', f, 'config', '-q']), f).toEqual({ status: 0, output: '' });
      expect(result).toEqual({ status: 0, output: '' });
    }
  }, 180_000);
});

describe('names that are Object.prototype\'s', () => {
  it('survive as services, systems, variables, files and labels, on every target', async () => {
    const root = join(scratch, 'prototype-names');
    mkdirSync(join(root, 'environments'), { recursive: true });
    writeFileSync(
      join(root, 'environments', 'names.ts'),
      `import { defineEnvironment, defineSystem } from '@kiln/model';
const constructor = defineSystem({
  name: 'constructor',
  services: [
    { name: 'constructor', image: 'acme/app:1.0.0', ports: [{ name: 'http', port: 80 }], dependsOn: ['tostring'],
      env: { ['__proto__']: 'proto', constructor: 'ctor', toString: 'str' }, config: { mountPath: '/etc/app', files: { ['__proto__']: 'p', constructor: 'c' } } },
    { name: 'tostring', image: 'acme/app:1.0.0', ports: [{ name: 'http', port: 81 }] },
  ],
  flows: [{ from: 'constructor', to: 'tostring', port: 'http' }],
});
export default defineEnvironment({
  name: 'names', stage: 'development', systems: [constructor], labels: { constructor: 'on' }, overrides: { tostring: { replicas: 2 } },
  targets: { kubernetes: { cluster: 'dev', version: '1.31', secretStore: { name: 'vault' } }, compose: {} },
});
`,
    );
    const result = await kiln(['generate', '--json', '--root', root]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const read = (path: string) => parse(readFileSync(join(root, 'generated', 'names', path), 'utf8')) as unknown;
    const deployment = read('kubernetes/deployment-constructor.yaml');
    expect(at(deployment, 'metadata', 'labels', 'constructor')).toBe('on');
    expect(sorted(((at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'env') ?? []) as { name: string; value: string }[]).map((v) => [v.name, v.value]))).toBe(
      sorted([['__proto__', 'proto'], ['constructor', 'ctor'], ['toString', 'str']]),
    );
    expect(sorted(entriesOf(at(read('kubernetes/configmap-constructor-config.yaml'), 'data')))).toBe(sorted([['__proto__', 'p'], ['constructor', 'c']]));
    expect(at(read('kubernetes/deployment-tostring.yaml'), 'spec', 'replicas')).toBe(2);
    const file = read('compose/docker-compose.yml');
    expect(sorted(entriesOf(at(file, 'services', 'constructor', 'environment')))).toBe(sorted([['__proto__', 'proto'], ['constructor', 'ctor'], ['toString', 'str']]));
    expect(readFileSync(join(root, 'generated', 'names', 'compose', 'config', 'constructor', '__proto__'), 'utf8')).toBe('p');
  });
});
