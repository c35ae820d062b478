import { z } from 'zod';
import { issuesFromZod } from './checks.js';
import type { Issue } from './diagnostic.js';
import { environmentSchema } from './environment.js';
import type { Environment } from './model.js';
import { normalizeEnvironment, type Sources } from './normalize.js';
import { checkEnvironment } from './rules.js';
import { placeTuning } from './tuning/placement.js';

export interface Resolution {
  /** Present when there were no errors. */
  readonly environment?: Environment;
  readonly issues: readonly Issue[];
}

/** Validate (schema), check (cross-references), normalize: an environment file's export to the model. */
export function resolveEnvironment(input: unknown, sources: Sources): Resolution {
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) return { issues: issuesFromZod(parsed.error) };
  const issues = checkEnvironment(parsed.data);
  if (issues.some((issue) => (issue.severity ?? 'error') === 'error')) return { issues };
  const environment = normalizeEnvironment(parsed.data, sources);
  // Placement sees the resolved model (pools, profiles, defaults), and reports into the input.
  const paths = new Map<string, (string | number)[]>();
  parsed.data.systems.forEach((system, s) => system.services.forEach((service, i) => paths.set(service.name, ['systems', s, 'services', i])));
  const { plan, issues: placement } = placeTuning(environment, { servicePath: (name) => paths.get(name) ?? [], accept: parsed.data.tuning.accept });
  const all = [...issues, ...placement];
  if (placement.some((issue) => (issue.severity ?? 'error') === 'error')) return { issues: all };
  return { environment: { ...environment, tuning: plan }, issues: all };
}

/** The JSON Schema of an environment file's export, from zod's own exporter. */
export function environmentJsonSchema(): unknown {
  return z.toJSONSchema(environmentSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}
