/** References to secrets kept outside git: Kiln never sees the values. */
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

