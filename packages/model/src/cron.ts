/**
 * Schedules as CloudNativePG reads them: a ScheduledBackup's `schedule` goes to robfig/cron, whose
 * parser takes six fields, seconds first (`'0 0 3 * * *'` is 03:00 every day), or a descriptor
 * (`@daily`, `@every 6h`). It also takes five fields, as seconds to day of month with any weekday, so
 * a Unix cron line (`'0 3 * * *'`) is accepted and read one field off: minute 3 of every hour. Kiln
 * takes six fields or a descriptor only.
 */

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, any: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, any: true, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Why robfig/cron would refuse or misread the schedule, or undefined when it reads it as written. */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (DESCRIPTORS.includes(text)) return undefined;
  if (text.startsWith('@every ')) return /^@every ([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/.test(text) ? undefined : `'${text}' is no duration Go reads (e.g. '@every 6h')`;
  const fields = text.split(/\s+/);
  if (fields.length === 5) return `'${text}' has five fields: CloudNativePG reads them as second, minute, hour, day of month and month, one field off from a Unix cron line`;
  if (fields.length !== 6) return `'${text}' has ${fields.length} fields; a schedule has six (second, minute, hour, day of month, month, day of week) or is a descriptor such as '@daily'`;
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[i] ?? '', field);
    if (problem) return `${field.name} '${fields[i] ?? ''}': ${problem}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: (typeof FIELDS)[number]): string | undefined {
  for (const part of text.split(',')) {
    const [range = '', step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9][0-9]*$/.test(step))) return `'${part}' has no valid step`;
    if (range === '*' || (range === '?' && 'any' in field)) continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `'${range}' is no range`;
    const values = bounds.map((bound) => valueOf(bound, field));
    if (values.some((value) => value === undefined)) return `'${range}' is not within ${field.min}-${field.max}`;
    if (values.length === 2 && (values[0] ?? 0) > (values[1] ?? 0)) return `'${range}' runs backwards`;
  }
  return undefined;
}

function valueOf(text: string, field: (typeof FIELDS)[number]): number | undefined {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
  if (named >= 0) return named + field.min;
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}
