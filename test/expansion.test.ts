/**
 * Kubernetes expands `$(VAR)` (and reads `$$` as `$`) in env values, command and args. A literal
 * value reaches the container as written on every target; a service with `expand: true` gets its
 * references filled in alike on Kubernetes (the kubelet, emulated here on the generated objects)
 * and on Compose (docker-compose itself resolves the file).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requiredVariables } from '@kiln/compose';
import { expandDependentVariables } from '@kiln/model';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kiln } from './support/run.js';
import { run, toolAvailable } from './support/tools.js';

const root = join(import.meta.dirname, '.tmp', `expansion-${process.pid}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LITERAL = 'echo $(date) $$HOME $( $';
const PASSWORD = 'pw-from-the-store';

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } };

/** What the kubelet gives the container: each value expanded from the variables before it. */
function kubelet(container: { env: EnvVar[]; args?: string[] }, secrets: Record<string, string>) {
  const variables = new Map<string, string>();
  for (const variable of container.env) {
    const secret = variable.valueFrom?.secretKeyRef?.name;
    variables.set(variable.name, variable.value !== undefined ? expandDependentVariables(variable.value, (name) => variables.get(name)) : (secrets[secret ?? ''] ?? ''));
  }
  return { env: Object.fromEntries(variables), args: (container.args ?? []).map((arg) => expandDependentVariables(arg, (name) => variables.get(name))) };
}

describe('$(VAR) in env values, command and args', () => {
  mkdirSync(join(root, 'environments'), { recursive: true });
  writeFileSync(
    join(root, 'environments', 'shop.ts'),
    `import { defineEnvironment, defineSystem, secret } from '@kiln/model';

const shop = defineSystem({
  name: 'shop',
  services: [
    { name: 'literal', image: 'acme/app:1.0.0', env: { SHELL_LINE: ${JSON.stringify(LITERAL)} }, args: ['sh', '-c', ${JSON.stringify(LITERAL)}] },
    {
      name: 'expanding',
      image: 'acme/app:1.0.0',
      expand: true,
      env: {
        DB_PASSWORD: secret('db-password'),
        DATABASE_URL: 'postgres://shop:$(DB_PASSWORD)@db/shop',
        // Sorts before what it refers to: Kiln lists it after.
        A_URL: '$(DATABASE_URL)?sslmode=require',
        PRICE: '$$5',
      },
      args: ['--db=$(DATABASE_URL)', '--literal=$$(not-a-variable)'],
    },
    { name: 'db', image: 'postgres:16.4', ports: [{ name: 'postgres', port: 5432 }] },
  ],
  flows: [{ from: 'expanding', to: 'db', port: 'postgres' }],
});

export default defineEnvironment({
  name: 'shop',
  stage: 'development',
  systems: [shop],
  targets: { kubernetes: { cluster: 'dev', version: '1.31', secretStore: { name: 'vault' } }, compose: {} },
});
`,
  );
  const generated = (path: string) => readFileSync(join(root, 'generated', 'shop', path), 'utf8');

  it('reaches the container as written, or expanded where the service asks, on Kubernetes', async () => {
    const result = await kiln(['generate', '--json', '--root', root]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const container = (file: string) => (parse(generated(`kubernetes/${file}`)) as { spec: { template: { spec: { containers: { env: EnvVar[]; args?: string[] }[] } } } }).spec.template.spec.containers[0] ?? { env: [] };

    const literal = kubelet(container('deployment-literal.yaml'), {});
    expect(literal).toEqual({ env: { SHELL_LINE: LITERAL }, args: ['sh', '-c', LITERAL] });

    const expanding = container('deployment-expanding.yaml');
    expect(expanding.env.map((v) => v.name)).toEqual(['DB_PASSWORD', 'DATABASE_URL', 'A_URL', 'PRICE']);
    expect(kubelet(expanding, { 'db-password': PASSWORD })).toEqual({
      env: { DB_PASSWORD: PASSWORD, DATABASE_URL: `postgres://shop:${PASSWORD}@db/shop`, A_URL: `postgres://shop:${PASSWORD}@db/shop?sslmode=require`, PRICE: '$5' },
      args: [`--db=postgres://shop:${PASSWORD}@db/shop`, '--literal=$(not-a-variable)'],
    });
  });

  it('means the same on Compose, as docker-compose resolves the file', async () => {
    if (!toolAvailable('docker-compose', 'docker-compose')) return;
    const file = join(root, 'generated', 'shop', 'compose', 'docker-compose.yml');
    const variables = requiredVariables(parse(generated('compose/docker-compose.yml')));
    expect(variables).toHaveLength(1);
    const resolved = run('docker-compose', ['-f', file, 'config'], { ...process.env, [variables[0] ?? '']: PASSWORD });
    expect(resolved.status, resolved.output).toBe(0);
    const services = (parse(resolved.output) as { services: Record<string, { environment: Record<string, string>; command?: string[] }> }).services;
    // docker-compose config prints what the container gets, with `$` written `$$` again.
    const unescaped = (text: string) => text.replaceAll('$$', '$');
    expect(unescaped(services.literal?.environment.SHELL_LINE ?? '')).toBe(LITERAL);
    expect(services.literal?.command?.map(unescaped)).toEqual(['sh', '-c', LITERAL]);
    expect(Object.fromEntries(Object.entries(services.expanding?.environment ?? {}).map(([k, v]) => [k, unescaped(v)]))).toEqual({
      DB_PASSWORD: PASSWORD,
      DATABASE_URL: `postgres://shop:${PASSWORD}@db/shop`,
      A_URL: `postgres://shop:${PASSWORD}@db/shop?sslmode=require`,
      PRICE: '$5',
    });
    expect(services.expanding?.command?.map(unescaped)).toEqual([`--db=postgres://shop:${PASSWORD}@db/shop`, '--literal=$(not-a-variable)']);
  });
});
