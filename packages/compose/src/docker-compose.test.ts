/**
 * The generated file, checked by the tool CI deploys with: Debian's docker-compose 1.29.2, whose
 * `config -q` parses and validates a file without a Docker engine. Without the tool the test skips
 * visibly, unless KILN_REQUIRE_TOOLS=1 (set by .ci/run) makes its absence a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { render, toYaml } from '@kiln/core';
import { afterAll, describe, expect, it } from 'vitest';
import { emit, realisticEnvironment } from './fixtures.js';

const TOOL = 'docker-compose';
const available = spawnSync(TOOL, ['version'], { encoding: 'utf8' }).error === undefined;
const required = process.env['KILN_REQUIRE_TOOLS'] === '1';
if (!available && !required) console.warn(`${TOOL} is not on PATH: skipping the docker-compose validation test (install the Debian package docker-compose, or set KILN_REQUIRE_TOOLS=1 to fail instead)`);

const scratch = mkdtempSync(join(tmpdir(), 'kiln-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function dockerComposeConfig(dir: string, ...args: string[]) {
  return spawnSync(TOOL, ['-f', 'docker-compose.yml', 'config', ...args], { cwd: dir, encoding: 'utf8' });
}

describe.skipIf(!available && !required)(`${TOOL} config`, () => {
  it(`is installed${required ? ' (KILN_REQUIRE_TOOLS=1)' : ''}`, () => {
    expect(available, `${TOOL} must be on PATH when KILN_REQUIRE_TOOLS=1`).toBe(true);
  });

  it('accepts the Compose file of a realistic environment', () => {
    const { outputs, diagnostics } = emit(realisticEnvironment());
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const dir = join(scratch, 'realistic');
    // Written as the core writes generated/: the Compose file with its header, the config files beside it.
    // Secret files are left out on purpose: `config` does not open them, and generated/ never holds them.
    for (const output of outputs) {
      const path = join(dir, output.path.replace(/^[^/]+\/compose\//, ''));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, render(output, 'environments/shop-local.ts'));
    }
    const result = dockerComposeConfig(dir, '-q');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const services = dockerComposeConfig(dir, '--services');
    expect(services.stdout.trim().split('\n').sort()).toEqual(['db', 'gateway', 'kv-1', 'kv-2', 'kv-3']);
  });

  it('rejects a broken file, so the check above means something', () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'docker-compose.yml'), toYaml({ services: { x: { image: 'nginx:1.27', ports: 'nope' } } }));
    const result = dockerComposeConfig(dir, '-q');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('services.x.ports');
  });
});
