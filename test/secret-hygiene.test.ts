/**
 * Secrets stay references. Every fixture secret is planted in every place a plain value reaches
 * generated/ (an env value, command, args, a probe command and URL path, a configuration file, the
 * peer list): each is rejected with SECRET_AS_PLAIN_VALUE at its path, no diagnostic prints it, and
 * nothing is written. Allowed with `plain(…, { reason })`, the same values are written where they
 * were put, and `kiln explain` and `kiln diff` print them masked.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import { readTree } from './support/tree.js';

const scratch = join(import.meta.dirname, '.tmp', `secret-hygiene-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A secret of each kind the detector knows, and the part of it that must never be printed. */
const SECRETS = [
  { kind: 'url', value: 'postgres://shop:Pw-url-7Hq2@db:5432/shop', needle: 'Pw-url-7Hq2' },
  { kind: 'dsn', value: 'host=db user=shop password=Pw-dsn-3Kd8 dbname=shop', needle: 'Pw-dsn-3Kd8' },
  { kind: 'flag', value: '--db-password=Pw-flag-9Zx4', needle: 'Pw-flag-9Zx4' },
  { kind: 'pem', value: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCpemKey5\n-----END PRIVATE KEY-----', needle: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCpemKey5' },
  { kind: 'github', value: 'ghp_R2d2C3poBB8aW1ngS0lo4Lei4Ch3wbacca0', needle: 'ghp_R2d2C3poBB8aW1ngS0lo4Lei4Ch3wbacca0' },
  { kind: 'aws', value: 'AKIAQ7ZXJ3TESTKEY2ID', needle: 'AKIAQ7ZXJ3TESTKEY2ID' },
  { kind: 'gitlab', value: 'glpat-Xq3vT8mZ2pL5nR7wK9yB', needle: 'glpat-Xq3vT8mZ2pL5nR7wK9yB' },
  { kind: 'slack', value: 'xoxb-2048611377-Bq7LmZr4Tn8Kw', needle: 'xoxb-2048611377-Bq7LmZr4Tn8Kw' },
  { kind: 'stripe', value: 'sk_live_51HqT9xKp2Lm4Nz8Rb', needle: 'sk_live_51HqT9xKp2Lm4Nz8Rb' },
] as const;

/** Where each secret is planted in its service, and the path of the diagnostic that must name it. */
const PLACES = ['env.SETTING', 'command[1]', 'args[0]', 'probes.liveness.exec.command[1]', 'probes.readiness.http.path', 'config.files["app.conf"]', 'stateful.peers.format'] as const;

/** One service per secret, with the secret in every place; `wrap` turns a value into its TypeScript source. */
function service(secret: (typeof SECRETS)[number], wrap: (value: string) => string): string {
  const v = (value: string) => wrap(value);
  return `{
    name: 'svc-${secret.kind}',
    image: 'ghcr.io/acme/app:1.0.0',
    ports: [{ name: 'http', port: 8080 }, { name: 'raft', port: 7000 }],
    env: { SETTING: ${v(secret.value)}, LOG_LEVEL: 'info' },
    command: ['/app/server', ${v(secret.value)}],
    args: [${v(secret.value)}, '--port=8080'],
    probes: {
      liveness: { exec: { command: ['/app/check', ${v(secret.value)}] } },
      readiness: { http: { path: ${v(`/ready/${secret.value}`)}, port: 'http' } },
    },
    tools: ['curl'],
    config: { mountPath: '/etc/app', files: { 'app.conf': ${v(`listen = 8080\nupstream = ${secret.value}\n`)} } },
    stateful: { members: 2, peers: { env: 'PEERS', port: 'raft', format: ${v(`${secret.value}@{host}:{port}`)} } },
  }`;
}

function repository(name: string, wrap: (value: string) => string): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'environments'), { recursive: true });
  writeFileSync(
    join(root, 'environments', 'planted.ts'),
    `import { defineEnvironment, defineSystem, plain } from '@kiln/model';

const planted = defineSystem({
  name: 'planted',
  services: [${SECRETS.map((secret) => service(secret, wrap)).join(',\n  ')}, { name: 'db', image: 'postgres:16.4', ports: [{ name: 'postgres', port: 5432 }] }],
  // The URL and the DSN name the database: a host of the environment, reached by a flow.
  flows: [${SECRETS.map((secret) => `{ from: 'svc-${secret.kind}', to: 'db', port: 'postgres' }`).join(', ')}],
});

export default defineEnvironment({
  name: 'planted',
  stage: 'development',
  systems: [planted],
  targets: { kubernetes: { cluster: 'dev', version: '1.31', secretStore: { name: 'vault' } }, compose: {} },
});
`,
  );
  return root;
}

const git = (root: string, ...args: string[]) => {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: root, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
};

describe('secret hygiene', () => {
  it('rejects every planted secret in every place, at its path, without printing it, and writes nothing', async () => {
    const root = repository('rejected', (value) => JSON.stringify(value));
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    const found = run.diagnostics.filter((d) => d.code === 'SECRET_AS_PLAIN_VALUE').map((d) => d.path);
    const expected = SECRETS.flatMap((secret) => PLACES.map((place) => `services[svc-${secret.kind}].${place}`));
    expect(found.sort()).toEqual(expected.sort());
    expect(run.diagnostics.filter((d) => d.code !== 'SECRET_AS_PLAIN_VALUE')).toEqual([]);
    for (const diagnostic of run.diagnostics) expect(diagnostic.hint).toContain("secret('");
    for (const { needle } of SECRETS) expect(run.stderr).not.toContain(needle);
    expect(readTree(join(root, 'generated')).size).toBe(0);
  });

  it('writes what plain(…) allows where it was put, and explain and diff print it masked', async () => {
    const root = repository('allowed', (value) => `plain(${JSON.stringify(value)}, { reason: 'a test fixture' })`);
    git(root, 'init', '-q');
    git(root, 'commit', '-q', '--allow-empty', '-m', 'empty');
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const tree = readTree(join(root, 'generated'));
    for (const { kind, needle } of SECRETS) {
      const holding = [...tree].filter(([, text]) => text.includes(needle)).map(([path]) => path);
      // Kubernetes: the Deployment or StatefulSet (env, command, args, probes) and the ConfigMap;
      // Compose: the Compose file and the configuration file beside it.
      expect(holding.sort(), kind).toEqual(
        [`planted/compose/config/svc-${kind}/app.conf`, 'planted/compose/docker-compose.yml', `planted/kubernetes/configmap-svc-${kind}-config.yaml`, `planted/kubernetes/statefulset-svc-${kind}.yaml`].sort(),
      );
    }
    const explain = await kiln(['explain', 'planted', '--root', root]);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain('svc-pem');
    const diff = await kiln(['diff', '--root', root]);
    expect(diff.stdout).toContain('planted/kubernetes/statefulset-svc-url.yaml');
    for (const { needle } of SECRETS) {
      expect(explain.stdout, `explain shows ${needle}`).not.toContain(needle);
      expect(diff.stdout, `diff shows ${needle}`).not.toContain(needle);
    }
  });
});
