import { z } from 'zod';
import { issuesFromZod } from './checks.js';
import type { Issue } from './diagnostic.js';
import { environmentSchema } from './environment.js';
import type { Environment } from './model.js';
import { normalizeEnvironment, type Sources } from './normalize.js';
import { checkEnvironment } from './rules.js';

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
  return { environment: normalizeEnvironment(parsed.data, sources), issues };
}

/** The JSON Schema of an environment file's export, from zod's own exporter. */
export function environmentJsonSchema(): unknown {
  return z.toJSONSchema(environmentSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}
