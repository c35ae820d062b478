/** Every committed Compose file, judged by the real docker-compose (Debian's 1.29, as CI has it). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, toolAvailable } from './support/tools.js';

const generated = join(import.meta.dirname, '..', 'generated');
const files = existsSync(generated)
  ? readdirSync(generated)
      .map((env) => join(generated, env, 'compose', 'docker-compose.yml'))
      .filter((file) => existsSync(file))
  : [];

describe('docker-compose config', () => {
  const available = toolAvailable('docker-compose', 'docker-compose');

  it('has Compose files to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(!available).each(files.map((file) => [file.slice(generated.length + 1), file]))('accepts %s', (_name, file) => {
    const result = run('docker-compose', ['-f', file, 'config', '-q']);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
