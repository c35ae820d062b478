/**
 * A resolved environment fit to print (`kiln explain`): credential-shaped text masked wherever it
 * is, and the values of variables named like credentials replaced by their fingerprints. Only
 * values allowed with `plain(…)` can be such; they are printed masked all the same.
 */
import { fingerprint, isSecretName, maskText } from './secret-patterns.js';

export function redact<T>(value: T): T {
  return redactNode(value, []) as T;
}

function redactNode(node: unknown, path: readonly string[]): unknown {
  if (typeof node === 'string') {
    const inFile = path[path.length - 2] === 'files' && path[path.length - 3] === 'config';
    return maskText(node, inFile ? { keyValues: true, credentialKey: isSecretName } : {});
  }
  if (Array.isArray(node)) return node.map((item) => redactNode(item, path));
  if (typeof node !== 'object' || node === null) return node;
  const named = node as { name?: unknown; value?: unknown };
  const secretVariable = typeof named.name === 'string' && 'value' in named && isSecretName(named.name);
  return Object.fromEntries(
    Object.entries(node).map(([key, child]) => [key, secretVariable && key === 'value' ? fingerprint(child) : redactNode(child, [...path, key])]),
  );
}
