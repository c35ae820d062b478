/**
 * Checking a value against its format. Kiln asks for the canonical decimal text: the kernel also takes
 * '0x1', ' 1 ' or missing trailing fields, but a generated file should say exactly what the kernel keeps.
 */
import type { SysctlField, SysctlProblemReason, SysctlValueFormat } from './types.js';

export interface ValueProblem {
  readonly reason: SysctlProblemReason;
  readonly message: string;
  readonly hint?: string;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const SEPARATOR = /[ \t]+/;

/** The fields of a multi-field value; leading or trailing blanks are malformed. */
export function splitFields(value: string): readonly string[] {
  return value === '' ? [] : value.split(SEPARATOR);
}

function decimal(text: string): bigint | undefined {
  return DECIMAL.test(text) ? BigInt(text) : undefined;
}

function bounds(min: bigint, max: bigint, unit?: string): string {
  return `${min}–${max}${unit ? ` ${unit}` : ''}`;
}

function checkInteger(text: string, field: SysctlField, what: string, unit?: string): ValueProblem | undefined {
  const number = decimal(text);
  if (number === undefined) {
    return { reason: 'malformed', message: `${what} '${text}' is not a decimal integer`, hint: `write ${what} as digits only, e.g. '${field.min}'` };
  }
  if (number < field.min || number > field.max) {
    const nearest = number < field.min ? field.min : field.max;
    return { reason: 'out-of-range', message: `${what} ${number} is outside ${bounds(field.min, field.max, unit)}`, hint: `use a value within the bounds, e.g. '${nearest}'` };
  }
  return undefined;
}

function checkFields(value: string, fields: readonly SysctlField[], ordered: boolean, unit?: string): ValueProblem | undefined {
  if (/^[ \t]|[ \t]$/.test(value)) return { reason: 'malformed', message: `'${value}' has blanks around it`, hint: `write '${value.trim()}'` };
  const parts = splitFields(value);
  const names = fields.map((f) => f.name).join(' ');
  if (parts.length !== fields.length) {
    return { reason: 'malformed', message: `'${value}' has ${parts.length} field(s); it takes ${fields.length}: ${names}`, hint: `write all ${fields.length}, separated by spaces` };
  }
  for (const [index, field] of fields.entries()) {
    const problem = checkInteger(parts[index] ?? '', field, field.name, unit);
    if (problem) return problem;
  }
  if (ordered) {
    for (let index = 1; index < parts.length; index++) {
      const before = BigInt(parts[index - 1] ?? '0');
      const after = BigInt(parts[index] ?? '0');
      if (before > after) {
        const first = fields[index - 1]?.name ?? '';
        const second = fields[index]?.name ?? '';
        return { reason: 'unordered', message: `${first} ${before} is greater than ${second} ${after} in '${value}'`, hint: `order the fields ${names.replaceAll(' ', ' ≤ ')}` };
      }
    }
  }
  return undefined;
}

function checkPortList(value: string): ValueProblem | undefined {
  if (value === '') return undefined;
  const port: SysctlField = { name: 'port', min: 0n, max: 65535n };
  for (const item of value.split(',')) {
    const [low, high, extra] = item.split('-');
    if (low === undefined || extra !== undefined || (high !== undefined && high === '')) {
      return { reason: 'malformed', message: `'${item}' in '${value}' is neither a port nor a 'low-high' range`, hint: "write ports and ranges separated by commas, e.g. '8080,9000-9100'" };
    }
    const problem = checkInteger(low, port, 'port') ?? (high === undefined ? undefined : checkInteger(high, port, 'port'));
    if (problem) return problem;
    if (high !== undefined && BigInt(low) > BigInt(high)) {
      return { reason: 'unordered', message: `range '${item}' in '${value}' ends before it starts`, hint: `write '${high}-${low}'` };
    }
  }
  return undefined;
}

/** A problem with `value` for a key of this format, or `undefined` when the value is fine. */
export function checkValue(format: SysctlValueFormat, value: string): ValueProblem | undefined {
  switch (format.kind) {
    case 'integer':
      return checkInteger(value, { name: 'value', min: format.min, max: format.max }, 'value', format.unit);
    case 'boolean':
      return value === '0' || value === '1' ? undefined : { reason: 'malformed', message: `'${value}' is not a boolean`, hint: "write '1' (on) or '0' (off)" };
    case 'choice': {
      if (Object.hasOwn(format.choices, value)) return undefined;
      const listed = Object.entries(format.choices).map(([choice, meaning]) => `'${choice}' (${meaning})`).join(', ');
      return { reason: decimal(value) === undefined ? 'malformed' : 'out-of-range', message: `'${value}' is not one of the values it takes`, hint: `use ${listed}` };
    }
    case 'range': {
      if (format.disabled !== undefined && value === format.disabled) return undefined;
      const fields = [
        { name: 'low', min: format.min, max: format.max },
        { name: 'high', min: format.min, max: format.max },
      ];
      const problem = checkFields(value, fields, true);
      if (problem?.reason === 'unordered' && format.disabled !== undefined) {
        return { ...problem, hint: `${problem.hint ?? ''}, or write '${format.disabled}' to disable it` };
      }
      return problem;
    }
    case 'fields':
      return checkFields(value, format.fields, format.ordered, format.unit);
    case 'port-list':
      return checkPortList(value);
  }
}

/** The low end of a `low high` value that passed its check. */
export function rangeLow(value: string): bigint {
  return BigInt(splitFields(value)[0] ?? '0');
}
