/**
 * `kiln policies`: every stage policy with the severity it has in each stage, then each waiver of
 * the environments (all, or the named ones) with its expiry and its status on the run's date.
 * Findings themselves are diagnostics, printed like every other.
 */
import { compile, CoreCode, hasErrors } from '@kiln/core';
import type { Diagnostic, ResolveOptions } from '@kiln/core';
import { POLICIES, STAGES, waiverReport } from '@kiln/model';
import { formatTable } from './report.js';
import type { Io, Reporter } from './report.js';

/** Prints the policies and waivers; what the exit code needs: whether an environment was unknown, and whether there were errors. */
export async function policies(repository: ResolveOptions, only: readonly string[], report: Reporter, io: Io, json: boolean): Promise<{ unknown: boolean; errors: boolean }> {
  const compilation = await compile({ ...repository, emitters: [], only });
  const named = new Set(only);
  const environments = compilation.environments.filter((environment) => named.size === 0 || named.has(environment.name));
  // Named environments: only what concerns them, their files and their systems' files.
  const files = new Set(environments.flatMap((environment) => [environment.source, ...environment.systems.map((system) => system.source)]));
  const relevant = named.size === 0 ? compilation.diagnostics : compilation.diagnostics.filter((d: Diagnostic) => d.code === CoreCode.UNKNOWN_ENVIRONMENT || files.has(d.file) || only.some((name) => d.file === `environments/${name}.ts`));
  report.diagnostics(relevant);
  if (relevant.some((d) => d.code === CoreCode.UNKNOWN_ENVIRONMENT)) return { unknown: true, errors: true };

  const waivers = environments.flatMap((environment) =>
    waiverReport(environment, compilation.date).map(({ waiver, status, covers }) => ({
      environment: environment.name,
      policy: waiver.policy,
      ...(waiver.service === undefined ? {} : { service: waiver.service }),
      ...(waiver.object === undefined ? {} : { object: waiver.object }),
      reason: waiver.reason,
      expires: waiver.expires,
      status,
      covers: covers.length,
    })),
  );
  if (json) {
    for (const policy of POLICIES) io.stdout.write(`${JSON.stringify({ type: 'policy', id: policy.id, code: policy.code, stages: policy.stages, description: policy.description })}\n`);
    for (const waiver of waivers) io.stdout.write(`${JSON.stringify({ type: 'waiver', ...waiver, date: compilation.date })}\n`);
  } else {
    const stages = [...STAGES].reverse();
    io.stdout.write(formatTable([['POLICY', ...stages.map((stage) => stage.toUpperCase()), 'CODE', 'REQUIRES'], ...POLICIES.map((policy) => [policy.id, ...stages.map((stage) => policy.stages[stage] ?? '-'), policy.code, policy.description])]));
    io.stdout.write(`\n`);
    io.stdout.write(
      waivers.length === 0
        ? `no waivers${named.size === 0 ? '' : ` in ${[...named].join(', ')}`}\n`
        : formatTable([['ENVIRONMENT', 'POLICY', 'COVERS', 'EXPIRES', 'STATUS', 'REASON'], ...waivers.map((w) => [w.environment, w.policy, w.service ?? w.object ?? '(all)', w.expires, w.status, w.reason])]),
    );
    report.info(`waivers checked against ${compilation.date}`);
  }
  return { unknown: false, errors: hasErrors(relevant) };
}
