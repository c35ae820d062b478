/**
 * A Compose service's `environment:` map, ready to write. Plain values are literal, so each `$` is
 * escaped; a secret becomes a required interpolation of a variable the operator sets (see
 * secret-variables.ts), so Compose fills the value in and no secret value is ever in the file.
 */
import { compareText, databaseSettingValue, expandDependentVariables } from '@kiln/model';
import type { Service } from '@kiln/model';
import { escapeInterpolation } from './interpolation.js';
import { memberEnvironment } from './members.js';
import type { Member } from './members.js';
import { secretInterpolation } from './secret-variables.js';

export function composeEnvironment(service: Service, member: Member, services: readonly Service[]): Record<string, string> {
  const text = composeText(service, member, services);
  const values = new Map<string, string>();
  for (const variable of service.env) {
    values.set(variable.name, 'secret' in variable ? secretInterpolation(variable.secret) : text(variable.value));
  }
  // The member's own id and the peer lists are Kiln's to set (the model refuses an author's variable of the same name).
  for (const [name, value] of Object.entries(memberEnvironment(service, member, services))) values.set(name, escapeInterpolation(value));
  // Managed databases' settings, from their service name, port, database and owner, the password as
  // its secret's interpolation (the database's own container reads the same variable). Names and
  // identifiers hold no `$`.
  for (const variable of service.databaseEnv ?? []) values.set(variable.name, databaseSettingValue(variable, secretInterpolation(variable.password)));
  return Object.fromEntries([...values].sort(([a], [b]) => compareText(a, b)));
}

/**
 * A value of the service (env value, command, args) as the Compose file must hold it: every `$`
 * escaped. With `expand: true` the value is read as Kubernetes reads it, and each `$(NAME)` becomes
 * what Compose knows of that variable: its value, a secret's interpolation, the member's id.
 */
export function composeText(service: Service, member: Member, services: readonly Service[]): (text: string) => string {
  if (!service.expand) return escapeInterpolation;
  const own = new Map(Object.entries(memberEnvironment(service, member, services)));
  const variables = new Map(service.env.map((variable) => [variable.name, variable]));
  const resolving = new Set<string>();
  const value = (name: string): string | undefined => {
    const kiln = own.get(name);
    if (kiln !== undefined) return escapeInterpolation(kiln);
    const variable = variables.get(name);
    if (!variable || resolving.has(name)) return undefined;
    if ('secret' in variable) return secretInterpolation(variable.secret);
    resolving.add(name);
    const expanded = expandDependentVariables(variable.value, value, escapeInterpolation);
    resolving.delete(name);
    return expanded;
  };
  return (text) => expandDependentVariables(text, value, escapeInterpolation);
}
