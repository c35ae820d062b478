/**
 * Promotion between stages: an environment `follows` the one it is promoted from (production
 * follows staging). The chain is checked across environments; what moves along it is `images`.
 */
import { ModelCode } from './codes.js';
import type { Diagnostic } from './diagnostic.js';
import { STAGES } from './environment.js';
import type { Environment, Service } from './model.js';
import { suggestName } from './names.js';

/**
 * The `follows` of every environment, checked against the others: it names an environment that
 * exists (`names`: every environment file, resolved or not), of the same or an earlier stage, that
 * shares a system with it, and the chain has no cycle.
 */
export function checkFollows(environments: readonly Environment[], names: readonly string[]): Diagnostic[] {
  const byName = new Map(environments.map((environment) => [environment.name, environment]));
  const diagnostics: Diagnostic[] = [];
  const problem = (environment: Environment, message: string, hint: string): void => {
    diagnostics.push({ code: ModelCode.INVALID_FOLLOWS, severity: 'error', file: environment.source, path: 'follows', message, hint });
  };
  for (const environment of environments) {
    const upstream = environment.follows;
    if (upstream === undefined) continue;
    if (upstream === environment.name) {
      problem(environment, `'${environment.name}' follows itself`, 'name the environment it is promoted from, or remove follows');
      continue;
    }
    if (!names.includes(upstream)) {
      problem(environment, `there is no environment '${upstream}' to follow`, suggestName(upstream, names, 'environments'));
      continue;
    }
    const from = byName.get(upstream);
    if (from === undefined) continue; // it has errors of its own
    if (STAGES.indexOf(from.stage) > STAGES.indexOf(environment.stage)) {
      problem(environment, `'${environment.name}' (${environment.stage}) follows '${upstream}', a later stage (${from.stage})`, 'a release moves from development to staging to production: follow an environment of the same or an earlier stage');
    } else if (!environment.systems.some((system) => from.systems.some((other) => other.name === system.name))) {
      problem(environment, `'${environment.name}' and '${upstream}' run no system in common: there is nothing to promote`, 'follow an environment that runs the same system');
    } else if (cycle(environment, byName)) {
      problem(environment, `'${environment.name}' follows '${upstream}', which leads back to '${environment.name}'`, 'a promotion chain has a first stage: remove follows from one of them');
    }
  }
  return diagnostics;
}

function cycle(start: Environment, byName: ReadonlyMap<string, Environment>): boolean {
  const seen = new Set<string>([start.name]);
  for (let next = start.follows; next !== undefined; next = byName.get(next)?.follows) {
    if (seen.has(next)) return next === start.name;
    seen.add(next);
  }
  return false;
}

/** One service both environments run, with the image of each. */
export interface PromotedImage {
  readonly system: string;
  readonly service: string;
  /** What the upstream environment runs. */
  readonly upstream: string;
  /** What the following environment runs now. */
  readonly current: string;
}

/** The services `to` shares with `from` (same system, same name), with both images, sorted by service. */
export function sharedImages(from: Environment, to: Environment): PromotedImage[] {
  const upstream = new Map<string, Service>();
  for (const system of from.systems) for (const service of system.services) upstream.set(`${system.name}/${service.name}`, service);
  return to.systems.flatMap((system) =>
    system.services.flatMap((service) => {
      const source = upstream.get(`${system.name}/${service.name}`);
      return source ? [{ system: system.name, service: service.name, upstream: source.image, current: service.image }] : [];
    }),
  );
}
