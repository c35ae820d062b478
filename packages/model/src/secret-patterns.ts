/**
 * What a credential looks like: one set of patterns for the two places that look for them. The
 * secret detector (secret-detector.ts) rejects a plain value that matches, before anything is
 * written; `kiln diff` and `kiln explain` mask whatever matches in what they print.
 *
 * A match is replaced by a fingerprint, the first 8 hex digits of its SHA-256, so a reader sees that
 * a value changed (helm-diff's `-------- / ++++++++`) without seeing it. Each shape keeps what
 * identifies its kind (`Bearer `, a URL's user, a flag's name) and hides the rest.
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

/**
 * Whether a key (or a list item's name) may hold a credential: any credential word anywhere. What
 * masking uses, erring on the side of hiding (`spec.secretStoreRef.name` is masked although it is
 * only a reference, because the name says "secret").
 */
export function isCredentialName(key: string): boolean {
  return wordsOf(key).some((word) => CREDENTIAL_WORDS.has(word) || CREDENTIAL_SUFFIX.test(word));
}

/** Words that say the value is a credential, abbreviations included (`DB_PWD`, `SMTP_PASS`, `AWS_CRED`). */
const SECRET_WORDS = new Set(['apikey', 'cred', 'creds', 'credential', 'credentials', 'pass', 'passphrase', 'passwd', 'password', 'privatekey', 'pwd', 'secret', 'secrets', 'token']);

/**
 * A last word that names something about a credential rather than the credential itself:
 * `DB_PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`.
 */
const ABOUT_A_SECRET = new Set([
  'algorithm',
  'audience',
  'count',
  'dir',
  'directory',
  'disabled',
  'enabled',
  'encryption',
  'endpoint',
  'expiry',
  'file',
  'format',
  'hash',
  'header',
  'id',
  'interval',
  'issuer',
  'length',
  'limit',
  'location',
  'max',
  'min',
  'mode',
  'name',
  'path',
  'policy',
  'prefix',
  'ref',
  'required',
  'rotation',
  'size',
  'store',
  'timeout',
  'ttl',
  'type',
  'uri',
  'url',
  'version',
]);

/**
 * Whether a variable, flag or configuration key names a credential, so that any plain value under
 * it is one: a credential word (`DB_PWD`, `JWT_SECRET`, `pgpassword`), or `key` as the last word
 * (`API_KEY`, `SSH_KEY`), unless the last word names something about it (`TOKEN_TTL`,
 * `DB_PASSWORD_FILE`) or the key is public (`PUBLIC_KEY`). Stricter than `isCredentialName`: a
 * match here is an error the author must act on.
 */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1];
  if (last === undefined || ABOUT_A_SECRET.has(last) || words.includes('public')) return false;
  return last === 'key' || words.some((word) => SECRET_WORDS.has(word) || CREDENTIAL_SUFFIX.test(word));
}

/** `(sha256:1a2b3c4d)`: a value's fingerprint. Strings are hashed as they are, anything else as JSON. */
export function fingerprint(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return `(sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8)})`;
}

const FINGERPRINT = /^\(sha256:[0-9a-f]{8}\)$/;

export function isFingerprint(text: string): boolean {
  return FINGERPRINT.test(text);
}

/** A credential by its shape. `keep` splits a match into what identifies the kind, the secret, and what follows. */
export interface SecretShape {
  /** What it is, for a diagnostic: 'a password in a URL'. */
  readonly what: string;
  /** Global. */
  readonly pattern: RegExp;
  readonly keep?: (match: RegExpExecArray) => [prefix: string, secret: string, suffix: string];
  /** The secret is given under a name (a flag, a keyword), which decides whether it is one (`--token-file=…` is a path). */
  readonly named?: (match: RegExpExecArray) => string;
}

const groups = (m: RegExpExecArray, a: number, b: number, c?: number): [string, string, string] => [m[a] ?? '', m[b] ?? '', c === undefined ? '' : (m[c] ?? '')];

/**
 * A flag whose name holds a credential word, with its value after `=`, `:` or a space:
 * `--db-password=hunter2`, `--token abc`. It starts only where a dash starts a word, so the scan
 * stays linear on long runs of dashes and letters.
 */
const CREDENTIAL_FLAG =
  /(?<![A-Za-z0-9_-])(--?(?=[A-Za-z0-9_-]*?(?:password|passwd|pwd|secret|token|apikey|api-key|credentials?|(?<![A-Za-z])(?:pass|key|creds?)(?![A-Za-z])))([A-Za-z0-9_-]+)(?:[=:]|[ \t]+(?=[^\s"'`-])))([^\s"'`]+)/gi;

/**
 * Where a URL starts, a URL-style DSN included (`https://`, `postgres://`, the `postgresql://` of
 * `jdbc:postgresql://`): credentials and hosts in URLs are read from here (host-references.ts).
 */
export const URL_SCHEME = String.raw`\b[a-z][a-z0-9+.-]{0,31}:\/\/`;

/** The value of a keyword DSN's `key=value` (libpq `host=db password='…'`, ODBC `PWD=…;`): quoted, or up to a blank, `;`, `&` or quote. */
export const DSN_VALUE = String.raw`'(?:[^'\\]|\\.)*'|[^\s;'"&]+`;

/** Credentials by their shape, wherever they are, in the order they are looked for. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  // A PEM private key, whole (unterminated too: mask to the end).
  { what: 'a PEM private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g },
  // The password of a URL or DSN, anywhere in a value: scheme://user:password@host (the last `@` ends it).
  { what: 'a password in a URL', pattern: new RegExp(String.raw`(${URL_SCHEME}[^\s:/@'"\`]*:)([^\s/'"\`]+)(@)`, 'gi'), keep: (m) => groups(m, 1, 2, 3) },
  // A credential-named query parameter: `?access_token=…`, `&api_key=…`.
  { what: 'a credential in a URL query', pattern: /([?&]([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|apikey|api_key|api-key|key|sig|signature|auth|credentials?))=)([^&#\s"'`]+)/gi, keep: (m) => groups(m, 1, 3), named: (m) => m[2] ?? '' },
  // A credential-named flag with its value: --db-password=hunter2, -token:abc, --password hunter2.
  { what: 'a credential flag', pattern: CREDENTIAL_FLAG, keep: (m) => groups(m, 1, 3), named: (m) => m[2] ?? '' },
  // A keyword DSN (libpq `password=…`, ODBC `PWD=…;`).
  { what: 'a password in a connection string', pattern: new RegExp(String.raw`\b((?:password|passwd|pwd)\s*=\s*)(${DSN_VALUE})`, 'gi'), keep: (m) => groups(m, 1, 2) },
  // Authorization header values.
  { what: 'an Authorization header', pattern: /\b(Bearer |Basic )([A-Za-z0-9._~+/-]{8,}=*)/g, keep: (m) => groups(m, 1, 2) },
  // Slack incoming webhooks: the path is the credential.
  { what: 'a Slack webhook URL', pattern: /(https:\/\/hooks\.slack\.com\/services\/)([A-Za-z0-9/_-]+)/g, keep: (m) => groups(m, 1, 2) },
  // MySQL's `-p<password>`, glued to the flag; not a port (`-p8080:80`) or another single-dash option (`-print`).
  { what: "a password given as -p<password>", pattern: /(?<![^\s"'=])(-p)(?=[^\s"'`]*[^a-z\s"'`])(?![\d:/.,-]*(?:[\s"'`]|$))([^\s"'`]+)/g, keep: (m) => groups(m, 1, 2) },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { what: 'a Stripe key', pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}/g },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
];

/** A credential found in a text: its shape, and the secret part itself (never to be printed). */
export interface SecretMatch {
  readonly what: string;
  readonly secret: string;
  /** The flag, keyword or key the secret is given under, when the shape has one. */
  readonly name?: string;
}

/**
 * One `key: value`, `key = value` or `KEY=value` line; the value is masked when the key is
 * credential-like. Block indicators (`key: |`) and empty values are left alone.
 */
const KEY_VALUE_LINE = /^(\s*(?:-\s+)?(?:export\s+)?["']?)([A-Za-z_][A-Za-z0-9_.\-/]*)(["']?\s*[:=]\s*)(.*)$/;

export interface MaskTextOptions {
  /** Also mask the values of `key = value` lines whose key is credential-like (configuration files; not prose). */
  readonly keyValues?: boolean;
  /** Which keys of `key = value` lines hold credentials. @default isCredentialName */
  readonly credentialKey?: (key: string) => boolean;
  /** Whether a match is a credential after all (the detector lets references and paths through). @default every match */
  readonly accept?: (match: SecretMatch) => boolean;
}

/** A text with every credential-shaped value replaced by its fingerprint. */
export function maskText(text: string, options: MaskTextOptions = {}): string {
  return scanText(text, options).masked;
}

/** The text masked, and what was masked, in the order found. */
export function scanText(text: string, options: MaskTextOptions = {}): { masked: string; matches: SecretMatch[] } {
  const matches: SecretMatch[] = [];
  const accept = (match: SecretMatch): boolean => {
    if (!(options.accept?.(match) ?? true)) return false;
    matches.push(match);
    return true;
  };
  let masked = text;
  for (const { what, pattern, keep, named } of SECRET_SHAPES) {
    masked = masked.replace(pattern, (...args: unknown[]) => {
      const match = args.slice(0, -2) as unknown as RegExpExecArray;
      if (!keep) return accept({ what, secret: match[0] }) ? fingerprint(match[0]) : match[0];
      const [prefix, secret, suffix] = keep(match);
      if (isFingerprint(secret) || !accept({ what, secret, ...(named && { name: named(match) }) })) return match[0];
      return `${prefix}${fingerprint(secret)}${suffix}`;
    });
  }
  if (!options.keyValues) return { masked, matches };
  const credentialKey = options.credentialKey ?? isCredentialName;
  masked = masked
    .split('\n')
    .map((line) => {
      const match = KEY_VALUE_LINE.exec(line);
      if (!match) return line;
      const [, lead = '', key = '', separator = '', rest = ''] = match;
      // Trailing blanks split off by hand: a `(.*?)(\s*)$` pattern is quadratic on a long line of blanks.
      const value = rest.trimEnd();
      const trail = rest.slice(value.length);
      if (value === '' || /^[|>][-+0-9]*$/.test(value) || isFingerprint(value) || !credentialKey(key)) return line;
      if (!accept({ what: `a value under the credential-like key '${key}'`, secret: value, name: key })) return line;
      return `${lead}${key}${separator}${fingerprint(value)}${trail}`;
    })
    .join('\n');
  return { masked, matches };
}
