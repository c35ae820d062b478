/** Prometheus durations (`1h30m`, `28d`) in milliseconds, and back in the largest exact units. */
const UNITS: readonly [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Milliseconds, or undefined for text that is no Prometheus duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!match || text === '') return undefined;
  return UNITS.reduce((sum, [, ms], i) => sum + Number(match[i + 1] ?? 0) * ms, 0);
}

/** `5400000` → `1h30m`: how Prometheus itself prints a duration (no years or weeks, which are ambiguous to a reader). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS.slice(2)) {
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * size;
  }
  return out;
}
