/**
 * Records keyed by names people choose (services, variables, files) are plain objects: a lookup of
 * a name that is not there must not find Object.prototype's (`constructor`, `toString`).
 */

/** The record's own entry for a key, or undefined. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
