/**
 * Secrets as Compose file secrets. Compose mounts each at /run/secrets/<name>; the service reads the
 * path from `<NAME>_FILE`, the convention of the official postgres, mysql and redis images. The
 * value itself never appears in the Compose file.
 */
import { compareText, secretsOf } from '@kiln/model';
import type { Environment, SecretRef, Service } from '@kiln/model';
import type { SecretMount } from './compose-file.js';

/** The key a secret reference reads when none is named. */
const DEFAULT_KEY = 'value';

/**
 * The Compose secret (and its file) for a reference: `db` for the default key, `db.password` for
 * key `password`. Secret names are DNS labels, which have no dots, so the two forms never collide.
 */
export function composeSecretName(ref: SecretRef): string {
  return ref.key === DEFAULT_KEY ? ref.name : `${ref.name}.${ref.key}`;
}

export function secretPath(ref: SecretRef): string {
  return `/run/secrets/${composeSecretName(ref)}`;
}

/**
 * The service's `secrets:` list: every secret its environment reads, once, at /run/secrets/<name>;
 * then every secret file at its own path.
 */
export function secretMounts(service: Service): SecretMount[] {
  const names = new Set(service.env.flatMap((variable) => ('secret' in variable ? [composeSecretName(variable.secret)] : [])));
  const variables = [...names].sort(compareText).map((name) => ({ source: name, target: name }));
  const files = service.secretFiles.map((file) => ({ source: composeSecretName(file.secret), target: file.path }));
  return [...variables, ...files];
}

/** Top-level `secrets:`, one file per secret and key under the target's secrets directory. */
export function topLevelSecrets(environment: Environment, secretsDir: string): Record<string, { file: string }> {
  const names = secretsOf(environment).flatMap(({ name, keys }) => keys.map((key) => composeSecretName({ name, key })));
  return Object.fromEntries(names.sort(compareText).map((name) => [name, { file: inDirectory(secretsDir, name) }]));
}

/** `./secrets` + `db` → `./secrets/db`, keeping the directory as written (relative to the Compose file). */
function inDirectory(directory: string, file: string): string {
  const trimmed = directory.replace(/(.)\/+$/, '$1');
  if (trimmed === '') return `./${file}`;
  return trimmed.endsWith('/') ? `${trimmed}${file}` : `${trimmed}/${file}`;
}
