/**
 * Secret environment values on Compose. Kubernetes hands a container its secret as the variable
 * itself (`secretKeyRef`) and the applications read that variable, so Compose must do the same: the
 * variable becomes a Compose interpolation, `JWT_SECRET: ${VEZA_JWT_SECRET:?VEZA_JWT_SECRET is not set}`.
 * The value comes from the operator's shell or a `.env` file beside the Compose file (docker-compose
 * reads `.env` from the project directory), never from git. The `:?` form makes Compose refuse the
 * file when the variable is missing, rather than start a service with an empty password.
 */
import { sourcePath } from '@kiln/core';
import { compareText, systemSource } from '@kiln/model';
import type { Diagnostic, Environment, SecretRef, Service } from '@kiln/model';
import { ComposeCode } from './codes.js';
import { composeSecretName } from './secrets.js';

/**
 * The shell variable holding a secret: `veza-jwt-secret` → `VEZA_JWT_SECRET`, key `tls.key` of
 * `rpcnet-tls` → `RPCNET_TLS_TLS_KEY`. A secret name may start with a digit, a variable may not.
 */
export function secretVariable(ref: SecretRef): string {
  const name = composeSecretName(ref).toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** `${S:?S is not set}`: written as is, never `$`-escaped, so Compose fills it in. */
export function secretInterpolation(ref: SecretRef): string {
  const variable = secretVariable(ref);
  return `\${${variable}:?${variable} is not set}`;
}

/** Every variable the services' secret environment values read, sorted, once each. */
export function secretVariables(services: readonly Service[]): string[] {
  const names = services.flatMap((service) => service.env.flatMap((variable) => ('secret' in variable ? [secretVariable(variable.secret)] : [])));
  return [...new Set(names)].sort(compareText);
}

/**
 * The variables a generated Compose file needs set before `docker compose config` or `up` accepts
 * it, read from its `x-kiln.environment`; empty for anything else. For tools and tests that run
 * docker-compose on a generated file.
 */
export function requiredVariables(compose: unknown): string[] {
  const kiln = isRecord(compose) ? compose['x-kiln'] : undefined;
  const environment = isRecord(kiln) ? kiln['environment'] : undefined;
  return Array.isArray(environment) ? environment.filter((name): name is string => typeof name === 'string') : [];
}

/**
 * Errors for different secrets that map to one variable (`secret('db-password')` and
 * `secret('db', 'password')` are both DB_PASSWORD): one value would silently serve both.
 */
export function secretVariableDiagnostics(environment: Environment, services: readonly Service[]): Diagnostic[] {
  const owners = new Map<string, SecretRef>();
  const reported = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const service of services) {
    for (const variable of service.env) {
      if (!('secret' in variable)) continue;
      const name = secretVariable(variable.secret);
      const owner = owners.get(name);
      if (owner === undefined) owners.set(name, variable.secret);
      if (owner === undefined || composeSecretName(owner) === composeSecretName(variable.secret)) continue;
      const key = `${name} ${composeSecretName(variable.secret)}`;
      if (reported.has(key)) continue;
      reported.add(key);
      diagnostics.push({
        code: ComposeCode.COMPOSE_SECRET_VARIABLE_CONFLICT,
        severity: 'error',
        file: systemSource(environment, service),
        path: sourcePath(['services', { name: service.name }, 'env', variable.name]),
        message: `${describe(owner)} and ${describe(variable.secret)} would both be read from the variable ${name} on Compose`,
        hint: 'rename one of the secrets',
      });
    }
  }
  return diagnostics;
}

function describe(ref: SecretRef): string {
  return ref.key === 'value' ? `secret('${ref.name}')` : `secret('${ref.name}', '${ref.key}')`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
