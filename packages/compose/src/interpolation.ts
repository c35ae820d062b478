/**
 * Compose interpolates `${VAR}` and `$VAR` in every string value of a service, and rejects a `$` it
 * cannot parse. Values from the model are literal, so each `$` is written `$$`. The only `$` Kiln
 * means is a secret's `${S:?…}` (secret-variables.ts), which the environment builder leaves live.
 */

export function escapeInterpolation<T>(value: T): T {
  return escape(value) as T;
}

function escape(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escape(item)]));
  }
  return value;
}
