/**
 * zod refinements that report Kiln's own codes. The code and hint ride in the issue's `params`,
 * which is where zod keeps custom issue data; `issuesFromZod` (schema-issues.ts) reads them back.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { ModelCode } from './codes.js';
import { imageProblem, isTag, parseImage, TAG_RULE } from './image.js';
import { DNS_1123_LABEL_MAX, DNS_NAME, ENV_VAR_NAME, IANA_SVC_NAME, isDns1123Label, SYSCTL_KEY } from './names.js';
import { checkQuantity } from './quantity.js';
import { PROTO_STAND_IN } from './schema-issues.js';

function refined(check: (value: string) => { code: ModelCode; message: string; hint?: string } | undefined) {
  return z.string().superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { code: problem.code, hint: problem.hint } });
  });
}

function suggestLabel(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, DNS_1123_LABEL_MAX) || 'a-name';
}

/** A DNS-1123 label: what Kubernetes accepts as a namespace or Service name. */
export const dnsLabel = refined((value) =>
  isDns1123Label(value)
    ? undefined
    : {
        code: ModelCode.INVALID_NAME,
        message: `'${value}' is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
        hint: `use '${suggestLabel(value)}'`,
      },
);

/** A host: a DNS name (`jaeger-collector.observability.svc.cluster.local`) or an IP address. */
export const hostName = refined((value) =>
  isIP(value) !== 0 || DNS_NAME.test(value)
    ? undefined
    : { code: ModelCode.INVALID_VALUE, message: `'${value}' is neither a DNS name nor an IP address`, hint: "write a lower-case DNS name such as 'db.example.org', or an address such as '10.0.0.7'" },
);

/** A port name, as Kubernetes checks it (IANA_SVC_NAME: at most 15 characters). */
export const portName = refined((value) =>
  IANA_SVC_NAME.test(value)
    ? undefined
    : {
        code: ModelCode.INVALID_NAME,
        message: `'${value}' is not a valid port name (at most 15 lower-case letters, digits and single '-', with at least one letter)`,
        hint: `use '${suggestLabel(value).slice(0, 15)}'`,
      },
);

export const envVarName = refined((value) =>
  ENV_VAR_NAME.test(value)
    ? undefined
    : { code: ModelCode.INVALID_NAME, message: `'${value}' is not a valid environment variable name`, hint: `use '${value.replace(/[^A-Za-z0-9_]/g, '_')}'` },
);

export const sysctlKey = refined((value) =>
  SYSCTL_KEY.test(value)
    ? undefined
    : { code: ModelCode.INVALID_SYSCTL, message: `'${value}' is not a sysctl key`, hint: "write it dotted, as in 'net.core.somaxconn'" },
);

export const imageReference = refined((value) => {
  const problem = imageProblem(value);
  if (problem === undefined) return undefined;
  return { code: ModelCode.INVALID_IMAGE, message: `'${value}' is not an image reference: ${problem}`, hint: "write 'repository:tag' or 'repository@sha256:<digest>', e.g. 'ghcr.io/acme/api:1.4.2'" };
});

/** What an environment's `images` gives a service: a tag alone, or a whole image reference. */
export const imageVersion = refined((value) => {
  if (isTag(value) || parseImage(value)) return undefined;
  // Without '/', ':' or '@' it was meant as a tag.
  if (!/[/:@]/.test(value)) return { code: ModelCode.INVALID_IMAGE, message: `'${value}' is not an image tag: ${TAG_RULE}`, hint: "write a tag such as '1.4.2'" };
  return {
    code: ModelCode.INVALID_IMAGE,
    message: `'${value}' is neither an image tag nor an image reference: ${imageProblem(value) ?? ''}`,
    hint: "write a tag such as '1.4.2', or a whole reference such as 'ghcr.io/acme/api@sha256:<digest>'",
  };
});

/** A Kubernetes quantity in canonical form (`500m`, `2`, `512Mi`). */
export const quantity = refined((value) => {
  const result = checkQuantity(value);
  if (result.ok) return undefined;
  if (result.reason === 'malformed') {
    return {
      code: ModelCode.QUANTITY_INVALID,
      message: `'${value}' is not a Kubernetes quantity`,
      hint: "write CPU as cores or millicores ('2', '500m') and memory with a binary suffix ('512Mi', '4Gi')",
    };
  }
  return {
    code: ModelCode.QUANTITY_NOT_CANONICAL,
    message: `'${value}' is not in canonical form; the API server stores it as '${result.canonical}' and Argo CD would report drift forever`,
    hint: `use '${result.canonical}'`,
  };
});

/** The largest value of a Kubernetes int32 field (replicas, ordinals, probe timings). */
export const INT32_MAX = 2 ** 31 - 1;

/**
 * A whole number from `min` that a Kubernetes int32 field holds: 2^31 and above is reported here,
 * with the field's path, rather than by the API schema check after emitting.
 */
export function int32(min: number) {
  return z
    .number()
    .int()
    .min(min)
    .superRefine((value, ctx) => {
      if (value > INT32_MAX) {
        ctx.addIssue({
          code: 'custom',
          message: `${value} does not fit the 32-bit integer Kubernetes keeps this field in`,
          params: { code: ModelCode.NUMBER_TOO_LARGE, hint: `use at most ${INT32_MAX}` },
        });
      }
    })
    .meta({ maximum: INT32_MAX });
}

/** A label value: at most 63 characters, alphanumeric at both ends, `-`, `_` and `.` inside; or empty. */
export const labelValue = z
  .string()
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, "a label value is letters, digits, '-', '_' and '.', alphanumeric at both ends, or empty")
  .max(63);

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label key: an optional DNS subdomain prefix of at most 253 characters and `/`, then a name of at most 63. */
export const labelKey = z
  .string()
  .regex(LABEL_KEY, "a label key is an optional DNS subdomain prefix and '/', then letters, digits, '-', '_' and '.', alphanumeric at both ends")
  .superRefine((value, ctx) => {
    const slash = value.indexOf('/');
    const [prefix, name] = slash < 0 ? ['', value] : [value.slice(0, slash), value.slice(slash + 1)];
    if (!LABEL_KEY.test(value) || (name.length <= DNS_1123_LABEL_MAX && prefix.length <= 253)) return;
    const message =
      name.length > DNS_1123_LABEL_MAX
        ? `label key '${value}' has a name of ${name.length} characters; the API server allows ${DNS_1123_LABEL_MAX} after the prefix`
        : `label key '${value}' has a prefix of ${prefix.length} characters; the API server allows 253`;
    ctx.addIssue({ code: 'custom', message, params: { code: ModelCode.LABEL_KEY_TOO_LONG, hint: 'shorten it' } });
  });

function renameKey(from: string, to: string) {
  return (input: unknown): unknown =>
    typeof input === 'object' && input !== null && !Array.isArray(input) && Object.hasOwn(input, from)
      ? Object.fromEntries(Object.entries(input).map(([key, value]) => [key === from ? to : key, value]))
      : input;
}

/**
 * `z.record` for names people choose (variables, file names): a key `__proto__` is checked like any
 * other and kept, as an own property (Object.fromEntries), where `z.record` would drop it silently.
 */
export function userRecord<K extends z.ZodType<string, string>, V extends z.ZodType>(key: K, value: V): z.ZodType<Record<z.output<K>, z.output<V>>, Record<z.input<K>, z.input<V>>> {
  const keyOrStandIn = z.preprocess((k) => (k === PROTO_STAND_IN ? '__proto__' : k), key).transform((k) => (k === '__proto__' ? PROTO_STAND_IN : k));
  return z.preprocess(renameKey('__proto__', PROTO_STAND_IN), z.record(keyOrStandIn, value)).transform(renameKey(PROTO_STAND_IN, '__proto__')) as never;
}
