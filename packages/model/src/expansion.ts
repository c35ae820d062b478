/**
 * Kubernetes expands `$(VAR)` in a container's env values, command and args, from the container's
 * variables (env values: only those listed before), and reads `$$` as a literal `$`; a reference to
 * a variable it does not know stays as written (k8s.io/kubernetes third_party/forked/golang/expansion).
 *
 * So a literal value must be escaped (`$(date)` → `$$(date)`), and a service that wants expansion
 * says so (`expand: true`); its values are then read as Kubernetes reads them, on every target:
 * Compose, which has no such thing, gets each reference replaced by the variable's value.
 */

/**
 * A value read the way Kubernetes reads it: each `$(NAME)` that `value` knows is replaced, `$$` is `$`,
 * and the literal text between goes through `literal` (a target's own escaping). What `value` returns
 * is written as it is.
 */
export function expandDependentVariables(text: string, value: (name: string) => string | undefined, literal: (text: string) => string = (t) => t): string {
  let out = '';
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const next = text[i + 1];
    if (ch === '$' && next === '$') {
      plain += '$';
      i++;
      continue;
    }
    const close = ch === '$' && next === '(' ? text.indexOf(')', i + 2) : -1;
    if (close >= 0) {
      const name = text.slice(i + 2, close);
      const replacement = value(name);
      if (replacement === undefined) plain += text.slice(i, close + 1);
      else {
        out += literal(plain) + replacement;
        plain = '';
      }
      i = close;
      continue;
    }
    plain += ch;
  }
  return out + literal(plain);
}

/** The variables a value refers to with `$(NAME)`, in order, each once. */
export function dependentVariables(text: string): string[] {
  const names = new Set<string>();
  expandDependentVariables(text, (name) => {
    names.add(name);
    return '';
  });
  return [...names];
}

/** A literal value as Kubernetes must be given it: every `$` before `$` or `(` doubled, so nothing expands. */
export function escapeDependentVariables(text: string): string {
  return text.replace(/\$(?=[$(])/g, '$$$$');
}

/**
 * Items in an order where each comes after the items it refers to (by name), otherwise by name:
 * Kubernetes expands an env value only from variables listed before it. References outside the
 * items, and cycles (which the model's rules reject), are ignored.
 */
export function referenceOrder<T extends { readonly name: string }>(items: readonly T[], references: (item: T) => readonly string[]): T[] {
  const byName = [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set(byName.map((item) => item.name));
  const placed = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < byName.length) {
    const ready = byName.find((item) => !placed.has(item.name) && references(item).every((name) => name === item.name || !names.has(name) || placed.has(name)));
    // A cycle: take the first left, by name; the rules have reported it already.
    const next = ready ?? byName.find((item) => !placed.has(item.name));
    if (!next) break;
    placed.add(next.name);
    ordered.push(next);
  }
  return ordered;
}
