import type { Diagnostic, Issue } from '@kiln/model';

/**
 * Renders a path into the input the way an author reads it: array items that have a name (or a
 * title, or a record) are shown by it (`services[worker].ports[gossip].port`), others by index.
 */
export function formatPath(segments: readonly (string | number)[], input: unknown): string {
  let node: unknown = input;
  let out = '';
  for (const segment of segments) {
    const child = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
    if (typeof segment === 'number') {
      // Items are shown by what names them in the author's file: a name, a title (dashboards, panels), a record.
      const item = child !== null && typeof child === 'object' ? (child as { name?: unknown; title?: unknown; record?: unknown }) : undefined;
      const name = [item?.name, item?.title, item?.record].find((value) => typeof value === 'string');
      out += typeof name === 'string' ? `[${name}]` : `[${segment}]`;
    } else {
      out += out === '' ? segment : /^[A-Za-z_$][\w$-]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
    }
    node = child;
  }
  return out;
}

export function toDiagnostic(issue: Issue, file: string, input: unknown): Diagnostic {
  return {
    code: issue.code,
    severity: issue.severity ?? 'error',
    file,
    path: formatPath(issue.path, input),
    message: issue.message,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Stable order (file, path, code, message), each diagnostic once: a mistake in a system shared by
 * two environments is one mistake.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.file}\u0000${d.path}\u0000${d.code}\u0000${d.message}\u0000${d.severity}`;
  const unique = new Map(diagnostics.map((d) => [key(d), d]));
  return [...unique].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

/** A segment of a path into the input; `{ name }` is the list item with that name. */
export type PathSegment = string | { readonly name: string };

/**
 * A path into the author's input for emitters, which see the resolved model rather than the input:
 * `['services', { name: 'api' }, 'ports', { name: 'http' }, 'port']` → `services[api].ports[http].port`,
 * printed exactly as `formatPath` prints paths into real input.
 */
export function sourcePath(segments: readonly PathSegment[]): string {
  return formatPath(
    segments.map((segment) => (typeof segment === 'string' ? segment : 0)),
    shapeOf(segments),
  );
}

function shapeOf(segments: readonly PathSegment[]): unknown {
  const [first, ...rest] = segments;
  if (first === undefined) return undefined;
  if (typeof first === 'string') return { [first]: shapeOf(rest) };
  return [{ ...(shapeOf(rest) as object | undefined), name: first.name }];
}
