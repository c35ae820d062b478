/**
 * Real tools the tests run. Locally a missing tool skips its tests with a visible message; with
 * KILN_REQUIRE_TOOLS=1 (CI) the tests fail instead.
 */
import { spawnSync } from 'node:child_process';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/** Whether tests needing `name` should run; throws when the tool is required but missing. */
export function toolAvailable(name: string, debianPackage: string): boolean {
  if (hasTool(name)) return true;
  if (process.env.KILN_REQUIRE_TOOLS === '1') {
    throw new Error(`${name} is required (KILN_REQUIRE_TOOLS=1) but not installed: apt-get install ${debianPackage}`);
  }
  console.warn(`SKIPPED: ${name} is not installed (apt-get install ${debianPackage}); tests that need it are skipped`);
  return false;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', env });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
