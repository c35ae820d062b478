/**
 * References to secrets kept outside git (Kiln never sees the values), and their counterpart: a
 * plain value that looks like a secret and is none, said so with the reason.
 */
import { z } from 'zod';
import { dnsLabel } from './checks.js';

/** A ConfigMap or Secret key, as the API server checks it: not `.` or `..`, not starting with `..`. */
export const dataKey = z.string().regex(/^(?!\.\.?$)(?!\.\.)[-._a-zA-Z0-9]+$/, "use letters, digits, '-', '_' and '.', not starting with '..'");

/** A reference to a secret kept outside git. Kiln never sees the value. */
export const secretRefSchema = z.strictObject({
  /** Name of the secret, a DNS-1123 label; where it lives is the target's business. */
  secret: dnsLabel,
  /**
   * Property inside the secret.
   * @default 'value'
   */
  key: dataKey.default('value'),
});


/** `plain('…', { reason })`: a value the secret detector would reject, allowed where it stands; no host in it is checked. */
export function plainSchemaOf<T extends z.ZodType>(value: T) {
  return z.strictObject({
    /** The value, written as it is. */
    plain: value,
    /** Why it is no secret (a public test key, a placeholder the image replaces); for reviewers. */
    reason: z.string().min(1),
  });
}

/** A text field: a string, or `plain('…', { reason })` where the text only looks like a secret. */
export const plainText = z.union([z.string(), plainSchemaOf(z.string())]);

/** The text of a field that may be given as `plain(…)`. */
export function textOf<T extends string | number | boolean>(value: T | { readonly plain: T }): T {
  return typeof value === 'object' ? value.plain : value;
}
