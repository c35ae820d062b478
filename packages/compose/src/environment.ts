/**
 * A Compose service's `environment:` map, ready to write. Plain values are literal, so each `$` is
 * escaped; a secret becomes a required interpolation of a variable the operator sets (see
 * secret-variables.ts), so Compose fills the value in and no secret value is ever in the file.
 */
import { compareText } from '@kiln/model';
import type { Service } from '@kiln/model';
import { escapeInterpolation } from './interpolation.js';
import { memberEnvironment } from './members.js';
import type { Member } from './members.js';
import { secretInterpolation } from './secret-variables.js';

export function composeEnvironment(service: Service, member: Member): Record<string, string> {
  const values = new Map<string, string>();
  for (const variable of service.env) {
    values.set(variable.name, 'secret' in variable ? secretInterpolation(variable.secret) : escapeInterpolation(variable.value));
  }
  // The member's own id and peer list are Kiln's to set: they win over a value of the same name.
  for (const [name, value] of Object.entries(memberEnvironment(service, member))) values.set(name, escapeInterpolation(value));
  return Object.fromEntries([...values].sort(([a], [b]) => compareText(a, b)));
}
