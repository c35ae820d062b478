/**
 * Turbo replays a cached task when its inputs hash matches: a task that reads a file outside its
 * package must declare it, or an edit to that file passes with FULL TURBO. The test package's
 * typecheck compiles environments/ (through ../tsconfig.json): every environment and system file
 * must be among its inputs.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function files(dir: string, prefix: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name), `${prefix}${entry.name}/`) : entry.name.endsWith('.ts') ? [`${prefix}${entry.name}`] : []));
}

describe('turbo task inputs', () => {
  it('cover every environment file the test package’s typecheck reads', () => {
    const dry = execFileSync('npx', ['turbo', 'run', 'typecheck', '--filter=@kiln/test', '--dry=json'], { cwd: root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const task = (JSON.parse(dry) as { tasks: { taskId: string; inputs: Record<string, string> }[] }).tasks.find((t) => t.taskId === '@kiln/test#typecheck');
    const inputs = Object.keys(task?.inputs ?? {});
    const expected = files('environments', '../environments/');
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.filter((file) => !inputs.includes(file))).toEqual([]);
    expect(inputs).toContain('../tsconfig.json');
  }, 120_000);
});
