/**
 * The generated file, checked by the tool CI deploys with: Debian's docker-compose 1.29.2, whose
 * `config` parses, interpolates and validates a file without a Docker engine. Without the tool the
 * test skips visibly, unless KILN_REQUIRE_TOOLS=1 (set by .ci/run) makes its absence a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { render, toYaml } from '@kiln/core';
import { afterAll, describe, expect, it } from 'vitest';
import { emit, realisticEnvironment, tlsEnvironment } from './fixtures.js';
import { requiredVariables } from './secret-variables.js';

const TOOL = 'docker-compose';
const available = spawnSync(TOOL, ['version'], { encoding: 'utf8' }).error === undefined;
const required = process.env['KILN_REQUIRE_TOOLS'] === '1';
if (!available && !required) console.warn(`${TOOL} is not on PATH: skipping the docker-compose validation test (install the Debian package docker-compose, or set KILN_REQUIRE_TOOLS=1 to fail instead)`);

const scratch = mkdtempSync(join(tmpdir(), 'kiln-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The realistic environment (or another) written as the core writes generated/, in a folder of its own. */
function writeRealistic(name: string, environment = realisticEnvironment()): { dir: string; variables: string[] } {
  const { outputs, diagnostics } = emit(environment);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = join(scratch, name, 'compose');
  // Secret files are left out on purpose: `config` does not open them, and generated/ never holds them.
  for (const output of outputs) {
    const path = join(dir, output.path.replace(/^[^/]+\/compose\//, ''));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, render(output, 'environments/shop-local.ts'));
  }
  const compose = outputs[0]?.format === 'yaml' ? outputs[0].data : undefined;
  return { dir, variables: requiredVariables(compose) };
}

/** The test's own environment without the given variables, plus `set`: a developer's shell must not leak in. */
function childEnv(unset: readonly string[], set: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of unset) delete env[name];
  return { ...env, ...set };
}

function dockerComposeConfig(file: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync(TOOL, ['-f', file, 'config', ...args], { cwd: scratch, encoding: 'utf8', env });
}

// docker-compose (Python) takes seconds to start on a busy 2-core machine: no 5-second default here.
describe.skipIf(!available && !required)(`${TOOL} config`, { timeout: 120_000 }, () => {
  it(`is installed${required ? ' (KILN_REQUIRE_TOOLS=1)' : ''}`, () => {
    expect(available, `${TOOL} must be on PATH when KILN_REQUIRE_TOOLS=1`).toBe(true);
  });

  it('accepts the Compose file of a realistic environment once its secret variables are set', () => {
    const { dir, variables } = writeRealistic('realistic');
    expect(variables).toEqual(['DB_PASSWORD', 'GATEWAY_TOKEN']);
    const env = childEnv([], Object.fromEntries(variables.map((name) => [name, 'x'])));
    const file = join(dir, 'docker-compose.yml');
    const result = dockerComposeConfig(file, env, '-q');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const services = dockerComposeConfig(file, env, '--services');
    expect(services.stdout.trim().split('\n').sort()).toEqual(['db', 'gateway', 'kv-1', 'kv-2', 'kv-3']);
    // What docker-compose made of it: the members' alias and the explicit names survive its parsing.
    const resolved = dockerComposeConfig(file, env).stdout;
    expect(resolved).toContain('aliases:\n        - kv\n');
    expect(resolved).toContain('name: shop-local_kv-1-data\n');
    expect(resolved).toContain('name: shop-local_kv\n');
    // Restarts, the stop signal and the config hash label reach docker-compose as written.
    expect(resolved).toContain('restart: on-failure\n');
    expect(resolved).toContain('stop_signal: SIGINT\n');
    expect(resolved).toMatch(/kiln\.dev\/config-hash: sha256:[0-9a-f]{64}\n/);
  });

  it("accepts a TLS service's certificate files and its HTTPS healthcheck", () => {
    const { dir } = writeRealistic('tls', tlsEnvironment());
    const resolved = dockerComposeConfig(join(dir, 'docker-compose.yml'), childEnv([]));
    expect(resolved.stderr).toBe('');
    expect(resolved.status).toBe(0);
    expect(resolved.stdout).toContain('- source: chat-tls.tls.key\n      target: /certs/server.key\n');
    expect(resolved.stdout).toContain('CHAT_URL: wss://chat:8082\n');
    expect(resolved.stdout).toContain('https://127.0.0.1:8082/ready');
  });

  it('refuses the file while a secret variable is missing', () => {
    const { dir, variables } = writeRealistic('missing');
    const env = childEnv(variables, { GATEWAY_TOKEN: 'x' });
    const result = dockerComposeConfig(join(dir, 'docker-compose.yml'), env, '-q');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('DB_PASSWORD is not set');
  });

  it('reads the secret variables from a .env file beside the Compose file, whatever the working directory', () => {
    const { dir, variables } = writeRealistic('dotenv');
    writeFileSync(join(dir, '.env'), variables.map((name) => `${name}=from-dotenv\n`).join(''));
    const result = dockerComposeConfig(join(dir, 'docker-compose.yml'), childEnv(variables));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('DB_PASSWORD: from-dotenv');
  });

  it('rejects a broken file, so the checks above mean something', () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'docker-compose.yml'), toYaml({ services: { x: { image: 'nginx:1.27', ports: 'nope' } } }));
    const result = dockerComposeConfig(join(dir, 'docker-compose.yml'), childEnv([]), '-q');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('services.x.ports');
  });
});
