/**
 * Numbers as Go's fmt prints them in alert templates. Go rounds the exact binary value of a float64
 * half to even (`%.1f` of 0.25 is `0.2`); JavaScript's toFixed and toPrecision round such halves
 * up. Both work on the exact value, so Kiln takes it apart exactly: a float64 is m × 2^e, which is
 * (m × 5^-e) × 10^e for negative e.
 */

/** The exact decimal value: `digits` × 10^-`scale`, digits without a sign. */
function exact(value: number): { negative: boolean; digits: string; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) return { negative, digits: (mantissa << BigInt(exponent)).toString(), scale: 0 };
  return { negative, digits: (mantissa * 5n ** BigInt(-exponent)).toString(), scale: -exponent };
}

/** Keeps the first `keep` digits of `digits`, rounding the rest away half to even. */
function roundHalfEven(digits: string, keep: number): string {
  if (keep >= digits.length) return digits;
  if (keep < 0) return '0';
  const kept = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  const first = digits.charAt(keep);
  const rest = digits.slice(keep + 1);
  const up = first > '5' || (first === '5' && (/[1-9]/.test(rest) || kept % 2n === 1n));
  return (up ? kept + 1n : kept).toString();
}

/** `%.<places>f`. */
export function formatFixed(value: number, places: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const { negative, digits, scale } = exact(value);
  // Digits of the integer part = digits.length - scale (may be ≤ 0).
  const padded = digits.padStart(scale + 1, '0');
  const rounded = roundHalfEven(padded, padded.length - scale + places).padStart(places + 1, '0');
  const text = places === 0 ? rounded : `${rounded.slice(0, -places)}.${rounded.slice(-places)}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * `%g` with a precision (`%.4g`), or with none (`%v`: the shortest digits that read back as the
 * value, which JavaScript's String gives too): exponent form when the exponent is below -4 or at
 * least the precision (6 for the shortest form), trailing zeros dropped.
 */
export function formatG(value: number, precision: number | undefined): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  let digits: string;
  let exponent: number;
  const negative = value < 0;
  if (precision === undefined) {
    const [mantissa = '', e = '0'] = Math.abs(value).toExponential().split('e');
    digits = mantissa.replace('.', '');
    exponent = Number(e);
  } else {
    const whole = exact(Math.abs(value));
    const significant = whole.digits.replace(/^0+/, '');
    exponent = significant.length - whole.scale - 1;
    digits = roundHalfEven(significant, precision);
    // Rounding up can add a digit (9.9995 → 10.00).
    if (digits.length > precision) {
      exponent += 1;
      digits = digits.slice(0, precision);
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const limit = precision ?? 6;
  let text: string;
  if (exponent < -4 || exponent >= limit) {
    text = `${digits.charAt(0)}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  } else if (exponent < 0) {
    text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  } else {
    const whole = digits.padEnd(exponent + 1, '0');
    text = whole.length > exponent + 1 ? `${whole.slice(0, exponent + 1)}.${whole.slice(exponent + 1)}` : whole;
  }
  return negative ? `-${text}` : text;
}
