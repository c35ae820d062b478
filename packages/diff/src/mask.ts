/**
 * Secret-like values never reach a diff's output: they are replaced by a fingerprint, the first 8
 * hex digits of their SHA-256, so a reviewer sees that a value changed (helm-diff's
 * `-------- / ++++++++`) without seeing it. A value is secret-like by where it sits (a key or list
 * item named like a credential, a Secret's data) or by its shape (a URL with a password, a private
 * key, a well-known token format) wherever it appears.
 *
 * Masking errs on the side of hiding: `spec.secretStoreRef.name` is masked although it is only a
 * reference, because the name says "secret".
 */
import { createHash } from 'node:crypto';

/** Words that make a key or a list item's name credential-like (after splitting camelCase, `_`, `-`, `.`). */
const CREDENTIAL_WORDS = new Set([
  'apikey',
  'auth',
  'authorization',
  'bearer',
  'cookie',
  'credential',
  'credentials',
  'creds',
  'dsn',
  'key',
  'pass',
  'passphrase',
  'passwd',
  'password',
  'private',
  'privatekey',
  'pwd',
  'salt',
  'secret',
  'secrets',
  'token',
  'webhook',
]);

/** Compound words that end like a credential: `dbpassword`, `authtoken`, `clientsecret`. */
const CREDENTIAL_SUFFIX = /(password|passwd|secret|token|apikey|credentials?)$/;

/** The words of a key: `secretKeyRef` → secret, key, ref; `API_TOKEN` → api, token; `app.kubernetes.io/name` → app, kubernetes, io, name. */
export function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Whether a key (or a list item's name) looks like it holds a credential. */
export function isCredentialName(key: string): boolean {
  return wordsOf(key).some((word) => CREDENTIAL_WORDS.has(word) || CREDENTIAL_SUFFIX.test(word));
}

/** Whether any segment of a path (keys and item names) looks like a credential. */
export function isCredentialPath(segments: readonly string[]): boolean {
  return segments.some(isCredentialName);
}

/** `(sha256:1a2b3c4d)`: a value's fingerprint. Strings are hashed as they are, anything else as JSON. */
export function fingerprint(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return `(sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8)})`;
}

const FINGERPRINT = /^\(sha256:[0-9a-f]{8}\)$/;

/** Credentials by their shape, wherever they are. Each keeps what identifies the kind (`Bearer `, the URL's user) and hides the rest. */
const SHAPES: readonly { readonly pattern: RegExp; readonly keep?: (match: RegExpExecArray) => [prefix: string, secret: string, suffix: string] }[] = [
  // A PEM private key, whole (unterminated too: mask to the end).
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g },
  // The password of a URL: scheme://user:password@host.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]*:)([^\s/@'"`]+)(@)/gi, keep: (m) => [m[1] ?? '', m[2] ?? '', m[3] ?? ''] },
  // Authorization header values.
  { pattern: /\b(Bearer |Basic )([A-Za-z0-9._~+/-]{8,}=*)/g, keep: (m) => [m[1] ?? '', m[2] ?? '', ''] },
  // Slack incoming webhooks: the path is the credential.
  { pattern: /(https:\/\/hooks\.slack\.com\/services\/)([A-Za-z0-9/_-]+)/g, keep: (m) => [m[1] ?? '', m[2] ?? '', ''] },
  // A credential-named command-line flag with its value: --db-password=hunter2, -token:abc.
  { pattern: /(--?[A-Za-z0-9_-]*(?:password|passwd|pwd|secret|token|apikey|api-key|credentials?)[A-Za-z0-9_-]*[=:])([^\s"'`]+)/gi, keep: (m) => [m[1] ?? '', m[2] ?? '', ''] },
  // GitHub, Slack, AWS and JWT tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g },
];

/**
 * One `key: value`, `key = value` or `KEY=value` line; the value is masked when the key is
 * credential-like. Block indicators (`key: |`) and empty values are left alone.
 */
const KEY_VALUE_LINE = /^(\s*(?:-\s+)?(?:export\s+)?["']?)([A-Za-z_][A-Za-z0-9_.\-/]*)(["']?\s*[:=]\s*)(.*?)(\s*)$/;

export interface MaskTextOptions {
  /** Also mask the values of `key = value` lines whose key is credential-like (configuration files; not prose). */
  readonly keyValues?: boolean;
}

/** A text with every credential-shaped value replaced by its fingerprint. */
export function maskText(text: string, options: MaskTextOptions = {}): string {
  let masked = text;
  for (const { pattern, keep } of SHAPES) {
    masked = masked.replace(pattern, (...args: unknown[]) => {
      const match = args.slice(0, -2) as unknown as RegExpExecArray;
      if (!keep) return fingerprint(match[0]);
      const [prefix, secret, suffix] = keep(match);
      return FINGERPRINT.test(secret) ? match[0] : `${prefix}${fingerprint(secret)}${suffix}`;
    });
  }
  if (!options.keyValues) return masked;
  return masked
    .split('\n')
    .map((line) => {
      const match = KEY_VALUE_LINE.exec(line);
      if (!match) return line;
      const [, lead = '', key = '', separator = '', value = '', trail = ''] = match;
      if (value === '' || /^[|>][-+0-9]*$/.test(value) || FINGERPRINT.test(value) || !isCredentialName(key)) return line;
      return `${lead}${key}${separator}${fingerprint(value)}${trail}`;
    })
    .join('\n');
}
