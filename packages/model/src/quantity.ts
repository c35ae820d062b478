/**
 * Kubernetes resource quantities (`500m`, `2`, `512Mi`), parsed exactly and printed in the canonical
 * form the API server returns. A manifest that says `cpu: 0.5` is stored as `500m`, and Argo CD then
 * shows the app OutOfSync forever (argo-cd#1615): so Kiln accepts only canonical input.
 *
 * The rules follow apimachinery's `Quantity.CanonicalizeBytes`: decimal quantities print with an
 * exponent that is a multiple of three and an integer mantissa (`1500m`, `2k`); binary ones with the
 * largest power of 1024 that divides them (`1536Mi`, `1Gi`), falling back to decimal below 1024 or
 * when not whole.
 */

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([0-9]+)(?:\.([0-9]+))?(?:([a-zA-Z]*)|[eE]([-+]?[0-9]+))$/;

/** A quantity as an exact rational number of nano-units, and whether it was written in binary SI. */
export interface Quantity {
  /** Value × 10^9, exact (quantities finer than a nano-unit are rejected). */
  readonly nanos: bigint;
  readonly binary: boolean;
}

/** Parses a quantity; `undefined` when it is malformed or finer than Kubernetes can store. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, whole = '', fraction = '', suffix = '', power] = match;
  const digits = BigInt(whole + fraction);
  const scale = -fraction.length;
  // Exponent form (`129e6`): valid, though never the canonical spelling.
  if (power !== undefined) return Math.abs(Number(power)) > 30 ? undefined : exact(digits, scale + Number(power), false);
  if (suffix in BINARY_SUFFIXES) {
    const factor = 1n << BigInt(BINARY_SUFFIXES[suffix] ?? 0);
    return exact(digits * factor, scale, true);
  }
  const exponent = DECIMAL_SUFFIXES[suffix];
  if (exponent === undefined) return undefined;
  return exact(digits, scale + exponent, false);
}

/** digits × 10^exponent as nanos, or undefined when that is not a whole number of nanos. */
function exact(digits: bigint, exponent: number, binary: boolean): Quantity | undefined {
  const shift = exponent + 9;
  if (shift >= 0) return { nanos: digits * 10n ** BigInt(shift), binary };
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n) return undefined;
  return { nanos: digits / divisor, binary };
}

/** The canonical spelling of a quantity, as the Kubernetes API server would print it. */
export function formatQuantity(quantity: Quantity): string {
  const { nanos } = quantity;
  if (nanos === 0n) return '0';
  const NANO = 1_000_000_000n;
  if (quantity.binary && nanos >= 1024n * NANO && nanos % NANO === 0n) {
    let value = nanos / NANO;
    let power = 0;
    while (value % 1024n === 0n && power < 60) {
      value /= 1024n;
      power += 10;
    }
    const suffix = Object.entries(BINARY_SUFFIXES).find(([, p]) => p === power)?.[0] ?? '';
    return `${value}${suffix}`;
  }
  // Decimal: the largest exponent (a multiple of 3, from -9) that keeps the mantissa whole.
  let mantissa = nanos;
  let exponent = -9;
  while (exponent < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exponent)?.[0] ?? '';
  return `${mantissa}${suffix}`;
}

export type QuantityCheck =
  | { readonly ok: true; readonly quantity: Quantity }
  | { readonly ok: false; readonly reason: 'malformed' }
  | { readonly ok: false; readonly reason: 'not-canonical'; readonly canonical: string };

/** Parses and insists on the canonical spelling. */
export function checkQuantity(text: string): QuantityCheck {
  const quantity = parseQuantity(text);
  if (!quantity) return { ok: false, reason: 'malformed' };
  const canonical = formatQuantity(quantity);
  if (canonical !== text) return { ok: false, reason: 'not-canonical', canonical };
  return { ok: true, quantity };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Whole bytes of a memory quantity (rounded up, as the kernel would charge it). */
export function quantityBytes(quantity: Quantity): bigint {
  const NANO = 1_000_000_000n;
  return (quantity.nanos + NANO - 1n) / NANO;
}

/** A CPU quantity as a decimal number of cores (`1500m` → `1.5`). */
export function quantityCores(quantity: Quantity): string {
  const NANO = 1_000_000_000n;
  const whole = quantity.nanos / NANO;
  const fraction = (quantity.nanos % NANO).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
