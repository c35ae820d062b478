/**
 * Secret files as Compose file secrets: a secret the software reads from a path (a TLS key, a
 * keystore) is mounted there from one file per secret and key under the target's secrets directory.
 * Secrets read from environment variables are not files on Compose: see secret-variables.ts.
 */
import { compareText, secretFilesOf } from '@kiln/model';
import type { Service } from '@kiln/model';
import type { SecretMount } from './compose-file.js';
import type { Member } from './members.js';

/** The key a secret reference reads when none is named. */
const DEFAULT_KEY = 'value';

/**
 * The Compose secret (and its file) for a reference: `db` for the default key, `db.password` for
 * key `password`. Secret names are DNS labels, which have no dots, so the two forms never collide.
 */
export function composeSecretName(ref: { readonly name: string; readonly key: string }): string {
  return ref.key === DEFAULT_KEY ? ref.name : `${ref.name}.${ref.key}`;
}

/** A container's `secrets:` list: every secret file it mounts (a member only its own) at the path the software reads. */
export function secretMounts(service: Service, member: Member): SecretMount[] {
  return secretFilesOf(service, member.id).map((file) => ({ source: composeSecretName(file.secret), target: file.path }));
}

/**
 * Top-level `secrets:`, one file per secret file's secret and key (and per secret the monitoring
 * services read, `extra`), under the target's secrets directory.
 */
export function topLevelSecrets(services: readonly Service[], secretsDir: string, extra: readonly string[] = []): Record<string, { file: string }> {
  const names = new Set([...services.flatMap((service) => service.secretFiles.map((file) => composeSecretName(file.secret))), ...extra]);
  return Object.fromEntries([...names].sort(compareText).map((name) => [name, { file: inDirectory(secretsDir, name) }]));
}

/** `./secrets` + `db` → `./secrets/db`, keeping the directory as written (relative to the Compose file). */
function inDirectory(directory: string, file: string): string {
  const trimmed = directory.replace(/(.)\/+$/, '$1');
  if (trimmed === '') return `./${file}`;
  return trimmed.endsWith('/') ? `${trimmed}${file}` : `${trimmed}/${file}`;
}
