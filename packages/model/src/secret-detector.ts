/**
 * The secret detector: a secret is a reference (`secret('db-password')`), never a plain value. It
 * reads every plain value of an environment, as the author wrote it, and rejects what is or holds a
 * credential: a shape from secret-patterns.ts anywhere in a value (a URL or DSN with a password, a
 * `--password` flag, a PEM private key, a provider token), and any value given under a name that
 * says "credential" (`DB_PWD: 123456`, `password = …` in a configuration file), whatever its type.
 *
 * References (`$(DB_PASSWORD)`, `${DB_PASSWORD}`) and file paths are no credentials. A value that only
 * looks like one is allowed where it stands, with the reason: `plain('…', { reason: '…' })`.
 * Diagnostics show the value masked, never the secret.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { fingerprint, isSecretName, scanText } from './secret-patterns.js';
import type { SecretMatch } from './secret-patterns.js';

type Path = (string | number)[];

export interface SecretFinding {
  /** What was found: 'a password in a URL', 'a GitHub token and a credential flag'. */
  readonly what: string;
  /** The value with each secret replaced by its fingerprint: safe to print. */
  readonly masked: string;
}

/** A reference to a value kept elsewhere, possibly quoted: `$(VAR)`, `${VAR}`, `${VAR:?…}`, `$VAR`. */
const REFERENCE = /^["']?(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*)["']?[,;]?$/;
/** A file path: where a secret is read from (`--tls-key=/etc/tls/key.pem`), not the secret. */
const FILE_PATH = /^["']?(?:\/|\.{1,2}\/|~\/)[^\s"']*["']?[,;]?$/;
/** Values no credential has: empty, a boolean, a null. */
const NO_VALUE = /^["']?(?:true|false|null|none|~)?["']?[,;]?$/i;

/** Whether a value given under a credential-like name is one. */
export function isCredentialValue(text: string): boolean {
  return !NO_VALUE.test(text) && !REFERENCE.test(text) && !FILE_PATH.test(text);
}

function isCredential(match: SecretMatch): boolean {
  return isCredentialValue(match.secret) && (match.name === undefined || isSecretName(match.name));
}

function finding(matches: readonly SecretMatch[], masked: string): SecretFinding | undefined {
  if (matches.length === 0) return undefined;
  return { what: [...new Set(matches.map((m) => m.what))].join(' and '), masked };
}

/** A credential in one value; `name` is the variable it is given under, if any. Booleans never are. */
export function detectSecret(value: string | number | boolean, name?: string): SecretFinding | undefined {
  if (typeof value === 'boolean') return undefined;
  const text = String(value);
  const { masked, matches } = scanText(text, { accept: isCredential });
  const shaped = finding(matches, masked);
  if (shaped) return shaped;
  if (name !== undefined && isSecretName(name) && isCredentialValue(text)) return { what: 'a credential, by its name', masked: fingerprint(text) };
  return undefined;
}

/** A credential in a configuration file: shapes, and `key = value` lines under credential-like keys. The masked line and its number. */
export function detectSecretInFile(text: string): (SecretFinding & { readonly line: number }) | undefined {
  const { masked, matches } = scanText(text, { keyValues: true, credentialKey: isSecretName, accept: isCredential });
  const first = matches[0];
  if (!first) return undefined;
  const line = text.slice(0, Math.max(0, text.indexOf(first.secret))).split('\n').length;
  const excerpt = masked.split('\n').find((l) => l.includes(fingerprint(first.secret))) ?? '';
  return { what: [...new Set(matches.map((m) => m.what))].join(' and '), masked: excerpt.trim().slice(0, 160), line };
}

/** A credential flag standing alone, its value in the next argument: `['--password', 'hunter2']`. */
const FLAG_ALONE = /^--?([A-Za-z][A-Za-z0-9_-]*)$/;

/** Credentials in an argument list, by index: in each argument, and as the argument after a credential flag. */
export function detectSecretsInArgs(argv: readonly string[]): { index: number; finding: SecretFinding }[] {
  const found: { index: number; finding: SecretFinding }[] = [];
  argv.forEach((arg, index) => {
    const inArg = detectSecret(arg);
    const flag = FLAG_ALONE.exec(argv[index - 1] ?? '')?.[1];
    if (inArg) found.push({ index, finding: inArg });
    else if (flag !== undefined && isSecretName(flag) && !arg.startsWith('-') && isCredentialValue(arg)) {
      found.push({ index, finding: { what: `the value of the credential flag '${argv[index - 1]}'`, masked: fingerprint(arg) } });
    }
  });
  return found;
}

/** `DB_PASSWORD` → `db-password`: the secret name a hint suggests. */
function secretNameFor(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'a-secret'
  );
}

const ALLOW = "if it is no secret, say so where it stands: plain(…, { reason: '…' })";

/**
 * Every plain value of an environment, checked: environment variables by name and content, command
 * lines argument by argument, configuration files line by line, and every other text (probe paths,
 * peer lists, URLs, descriptions) by content. Secret references and `plain(…)` values are skipped.
 * A part of an environment (one service) is checked alike, with the path to it.
 */
export function checkSecrets(env: ParsedEnvironment | ParsedEnvironment['systems'][number]['services'][number], path: Path = []): Issue[] {
  const issues: Issue[] = [];
  walk(env, path, issues);
  return issues;
}

function walk(node: unknown, path: Path, issues: Issue[]): void {
  const key = path[path.length - 1];
  if (Array.isArray(node)) {
    if ((key === 'command' || key === 'args') && node.every((item) => typeof item === 'string' || isAllowed(item))) {
      // Allowed arguments stand in as empty ones: never a credential, nor the value after a flag.
      for (const { index, finding } of detectSecretsInArgs(node.map((item: unknown) => (typeof item === 'string' ? item : '')))) {
        issues.push(secretIssue([...path, index], `argument ${index} of ${String(key)}`, finding, `pass it in an environment variable instead, env: { NAME: secret('…') }; ${ALLOW}`));
      }
      return;
    }
    node.forEach((item, i) => walk(item, [...path, i], issues));
    return;
  }
  if (typeof node === 'object' && node !== null) {
    if (isAllowed(node) || isSecretReference(node)) return;
    for (const [child, value] of Object.entries(node)) walk(value, [...path, child], issues);
    return;
  }
  if (typeof node !== 'string' && typeof node !== 'number') return;
  const parent = path[path.length - 2];
  if (parent === 'env' && typeof key === 'string') {
    const found = detectSecret(node, key);
    if (found) issues.push(secretIssue(path, `'${key}'`, found, `keep the value in your secret store and write ${key}: secret('${secretNameFor(key)}'); ${ALLOW}`));
  } else if (((parent === 'files' && path[path.length - 3] === 'config') || parent === 'memberFiles' || parent === 'configFiles') && typeof node === 'string') {
    const found = detectSecretInFile(node);
    if (found) {
      issues.push(
        secretIssue(path, `configuration file '${String(key)}' (line ${found.line})`, found, `deliver the secret as a file (secretFiles) or a variable (secret('…')) and let the software read it there; ${ALLOW}`),
      );
    }
  } else if (typeof node === 'string') {
    const found = detectSecret(node);
    if (found) issues.push(secretIssue(path, 'this value', found, `secrets reach services only as references: env: { NAME: secret('…') } or secretFiles; ${ALLOW}`));
  }
}

function secretIssue(path: Path, where: string, found: SecretFinding, hint: string): Issue {
  return {
    code: ModelCode.SECRET_AS_PLAIN_VALUE,
    path,
    message: `${where} holds ${found.what} in plain text (masked: ${found.masked}); it would be written to generated/ and reach git`,
    hint,
  };
}

/** `plain('…', { reason })`: a value the author says is no secret. */
function isAllowed(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'plain' in node && 'reason' in node;
}

function isSecretReference(node: object): boolean {
  return 'secret' in node && 'key' in node && Object.keys(node).length === 2;
}
