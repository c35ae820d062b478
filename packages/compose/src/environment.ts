/**
 * A Compose service's `environment:` map. Plain values pass through as strings; a secret becomes
 * `<NAME>_FILE` pointing at its mounted file, so no secret value is ever written into the file.
 */
import { sourcePath } from '@kiln/core';
import { compareText } from '@kiln/model';
import type { Diagnostic, Service } from '@kiln/model';
import { ComposeCode } from './codes.js';
import { memberEnvironment } from './members.js';
import type { Member } from './members.js';
import { secretPath } from './secrets.js';

export interface ComposeEnvironment {
  readonly environment: Record<string, string>;
  /** `<NAME>_FILE` variables that would overwrite a variable the service sets itself. */
  readonly conflicts: readonly string[];
}

export function composeEnvironment(service: Service, member: Member): ComposeEnvironment {
  const plain = new Map<string, string>();
  const files = new Map<string, string>();
  for (const variable of service.env) {
    if ('secret' in variable) files.set(`${variable.name}_FILE`, secretPath(variable.secret));
    else plain.set(variable.name, variable.value);
  }
  const conflicts = [...files.keys()].filter((name) => plain.has(name)).sort(compareText);
  // The member's own id and peer list are Kiln's to set: they win over a value of the same name.
  const merged = { ...Object.fromEntries(plain), ...Object.fromEntries(files), ...memberEnvironment(service, member) };
  const environment = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => compareText(a, b)));
  return { environment, conflicts };
}

/** An error for each `<NAME>_FILE` a secret needs that the service already sets itself. */
export function environmentDiagnostics(service: Service, file: string): Diagnostic[] {
  return composeEnvironment(service, { name: service.name }).conflicts.map((name) => ({
    code: ComposeCode.COMPOSE_ENV_CONFLICT,
    severity: 'error' as const,
    file,
    path: sourcePath(['services', { name: service.name }, 'env', name]),
    message: `service '${service.name}' sets ${name}, which Compose needs for the file of secret variable ${name.slice(0, -'_FILE'.length)}`,
    hint: `rename ${name}, or the secret variable`,
  }));
}
