/**
 * Paths into the author's input, printed the way the core prints them (`formatPath`): list items by
 * name, keys with dots quoted. The emitter sees the resolved model, not the input, so it describes
 * the input's shape here: a `{ name }` segment is the list item with that name.
 */
import { formatPath } from '@kiln/core';

export type Segment = string | { readonly name: string };

/** `['services', { name: 'api' }, 'ports', { name: 'http' }, 'port']` → `services[api].ports[http].port`. */
export function sourcePath(segments: readonly Segment[]): string {
  return formatPath(
    segments.map((segment) => (typeof segment === 'string' ? segment : 0)),
    shapeOf(segments),
  );
}

function shapeOf(segments: readonly Segment[]): unknown {
  const [first, ...rest] = segments;
  if (first === undefined) return undefined;
  if (typeof first === 'string') return { [first]: shapeOf(rest) };
  return [{ ...(shapeOf(rest) as object | undefined), name: first.name }];
}
