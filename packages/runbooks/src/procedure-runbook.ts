/** The context of one procedure's runbook, from the resolved model. */
import type { Environment, Procedure } from '@kiln/model';
import { fillPlaceholders, targetsOf } from './commands.js';
import type { TargetKind } from './commands.js';
import type { ProcedureContext } from './contexts.js';
import { panelLink } from './panel-links.js';
import { INDEX_FILE } from './paths.js';

const RUN_TITLES: Readonly<Record<TargetKind, string>> = { kubernetes: 'On Kubernetes', compose: 'With Docker Compose', hosts: 'On the hosts' };

/** Procedures by name across the environment's systems (the model keeps names unique). */
export function proceduresOf(environment: Environment): Procedure[] {
  return environment.systems.flatMap((system) => system.procedures);
}

export function procedureContext(environment: Environment, procedure: Procedure): ProcedureContext {
  const targets = targetsOf(environment);
  const titles = new Map(proceduresOf(environment).map((p) => [p.name, p.title]));
  return {
    title: procedure.title,
    summary: procedure.summary,
    steps: procedure.steps.map((step, i) => {
      const runs = typeof step === 'string' ? [] : targets.flatMap((kind) => (step.run[kind] === undefined ? [] : [{ kind, command: fillPlaceholders(environment, step.run[kind]) }]));
      return {
        number: i + 1,
        text: typeof step === 'string' ? step : step.text,
        // With one target the command needs no title; with several, each says where it runs.
        runs: runs.map((run) => ({ title: targets.length > 1 ? RUN_TITLES[run.kind] : null, command: run.command })),
        indent: `${i + 1}. `.length,
      };
    }),
    panels: procedure.panels.map((ref) => panelLink(environment, ref)),
    see: procedure.see.map((name) => ({ title: titles.get(name) ?? name, href: `${name}.md` })),
    index: INDEX_FILE,
  };
}
