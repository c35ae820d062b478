/**
 * Keys in code-point order at every depth, as Grafana itself saves a dashboard (its save model is
 * a sorted deep clone): the same field is always on the same line, so an edit in the model changes
 * only its own lines of the JSON, and an export from Grafana diffs cleanly against the file.
 */
import { compareText } from '@kiln/model';

export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => canonical(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, item]) => [key, canonical(item)]);
  return Object.fromEntries(entries) as T;
}
