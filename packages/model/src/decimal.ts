/**
 * Exact decimal arithmetic for the thresholds Kiln prints: 14.4 × (1 − 99.9%) is `0.0144`, never
 * `0.014400000000000003`. A decimal is an integer and a count of digits after the point.
 */
interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

function parse(text: string): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`decimal: '${text}' is not a plain decimal`);
  const fraction = match[3] ?? '';
  return { digits: BigInt(`${match[1]}${match[2]}${fraction}`), scale: fraction.length };
}

/** A JavaScript number as the decimal it was written as (shortest round-trip form). */
function fromNumber(value: number): Decimal {
  const text = String(value);
  if (/e/i.test(text)) {
    const [mantissa = '0', exponent = '0'] = text.split(/e/i);
    const m = parse(mantissa);
    const e = Number(exponent);
    return e >= 0 ? { digits: m.digits * 10n ** BigInt(e), scale: m.scale } : { digits: m.digits, scale: m.scale - e };
  }
  return parse(text);
}

function format(value: Decimal): string {
  const negative = value.digits < 0n;
  let text = (negative ? -value.digits : value.digits).toString().padStart(value.scale + 1, '0');
  if (value.scale > 0) text = `${text.slice(0, -value.scale)}.${text.slice(-value.scale)}`.replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${text}`;
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

/** `a × b`, exactly, as text. */
export function multiply(a: number | string, b: number | string): string {
  const x = typeof a === 'number' ? fromNumber(a) : parse(a);
  const y = typeof b === 'number' ? fromNumber(b) : parse(b);
  return format({ digits: x.digits * y.digits, scale: x.scale + y.scale });
}

/** `a − b`, exactly, as text. */
export function subtract(a: number | string, b: number | string): string {
  const [x, y, scale] = align(typeof a === 'number' ? fromNumber(a) : parse(a), typeof b === 'number' ? fromNumber(b) : parse(b));
  return format({ digits: x - y, scale });
}

/** `a + b`, exactly, as text. */
export function add(a: number | string, b: number | string): string {
  const [x, y, scale] = align(typeof a === 'number' ? fromNumber(a) : parse(a), typeof b === 'number' ? fromNumber(b) : parse(b));
  return format({ digits: x + y, scale });
}

/** The error budget of an objective in percent: 99.9 → `0.001`. */
export function errorBudget(objectivePercent: number): string {
  return multiply(subtract(100, objectivePercent), '0.01');
}
