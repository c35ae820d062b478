import type { Issue } from './diagnostic.js';
import { environmentSchema } from './environment.js';
import type { Environment } from './model.js';
import { normalizeEnvironment, type Sources } from './normalize.js';
import type { Where } from './policies.js';
import { own } from './records.js';
import { checkEnvironment, checkParsedServices } from './rules.js';
import { issuesFromZod } from './schema-issues.js';
import { placeTuning } from './tuning/placement.js';
import { checkPolicies } from './waivers.js';

export interface Resolution {
  /** Present when the model could be built: no errors before the stage policies, whose errors it may have. */
  readonly environment?: Environment;
  readonly issues: readonly Issue[];
}

export interface ResolutionOptions {
  /**
   * The date (`YYYY-MM-DD`) waivers are checked against. With it, the stage policies run on the
   * resolved model; without it, they do not (emitter tests resolve environments of every stage).
   */
  readonly date?: string;
}

/**
 * Validate (schema), check (cross-references), normalize, place tuning, then the stage policies:
 * an environment file's export to the model. A policy error leaves the model whole, so the emitters
 * still run and their errors are reported in the same run.
 */
export function resolveEnvironment(input: unknown, sources: Sources, options: ResolutionOptions = {}): Resolution {
  const parsed = environmentSchema.safeParse(input);
  // The services that parse are still checked on their own, so rule errors come with the schema errors.
  if (!parsed.success) return { issues: [...issuesFromZod(parsed.error, input, environmentSchema), ...checkParsedServices(input)] };
  const issues = checkEnvironment(parsed.data);
  if (issues.some((issue) => (issue.severity ?? 'error') === 'error')) return { issues };
  const environment = normalizeEnvironment(parsed.data, sources);
  // Placement sees the resolved model (pools, profiles, defaults), and reports into the input.
  const paths = new Map<string, (string | number)[]>();
  parsed.data.systems.forEach((system, s) => system.services.forEach((service, i) => paths.set(service.name, ['systems', s, 'services', i])));
  const { plan, issues: placement } = placeTuning(environment, { servicePath: (name) => paths.get(name) ?? [], accept: parsed.data.tuning.accept });
  const all = [...issues, ...placement];
  if (placement.some((issue) => (issue.severity ?? 'error') === 'error')) return { issues: all };
  const resolved = { ...environment, tuning: plan };
  if (options.date === undefined) return { environment: resolved, issues: all };
  // A finding inside a service points at its definition, an image at the environment's images entry when it has one.
  const locate = (where: Where): (string | number)[] => {
    if (!('service' in where)) return [...where.path];
    if (where.path[0] === 'image' && own(parsed.data.images, where.service) !== undefined) return ['images', where.service];
    return [...(paths.get(where.service) ?? []), ...where.path];
  };
  return { environment: resolved, issues: [...all, ...checkPolicies(resolved, options.date, locate)] };
}
