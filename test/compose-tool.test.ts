/** Every committed Compose file, judged by the real docker-compose (Debian's 1.29, as CI has it). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requiredVariables } from '@kiln/compose';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  const cases = files.map((file) => [file.slice(generated.length + 1), file, requiredVariables(parse(readFileSync(file, 'utf8')))] as const);
  /** The environment without the secret variables: no .env beside the files may supply them either. */
  const bare = (variables: readonly string[]) => Object.fromEntries(Object.entries(process.env).filter(([name]) => !variables.includes(name)));

  it.skipIf(!available).each(cases)('accepts %s once its secret variables are set', (_name, file, variables) => {
    expect(existsSync(join(file, '..', '.env'))).toBe(false);
    const result = run('docker-compose', ['-f', file, 'config', '-q'], { ...bare(variables), ...Object.fromEntries(variables.map((v) => [v, 'x'])) });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!available).each(cases.filter(([, , variables]) => variables.length > 0))('refuses %s while a secret variable is missing', (_name, file, variables) => {
    const result = run('docker-compose', ['-f', file, 'config', '-q'], bare(variables));
    expect(result.status).not.toBe(0);
    expect(variables).toContain(/([A-Z0-9_]+) is not set/.exec(result.output)?.[1]);
  });
});
