/**
 * Where things live in a Kiln repository. Light on purpose (no imports): the command line loads
 * it to print, before it loads the compiler.
 */

/** The folder of environment files (and their systems), at the repository root. */
export const ENVIRONMENTS_DIR = 'environments';

/** The folder Kiln compiles into, at the repository root. */
export const GENERATED_DIR = 'generated';

/** generated/'s folder of Argo CD objects (AppProjects, Applications). */
export const ARGOCD_DIR = 'argocd';

/** Top-level folders of generated/ that are no environment's. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([ARGOCD_DIR]);

/**
 * Whether Argo CD syncs a file of generated/ (a path relative to it): files directly in an
 * environment's kubernetes/ folder or in argocd/, as the Applications read them (no recursion).
 */
export function isSynced(path: string): boolean {
  const [top, folder, name, ...rest] = path.split('/');
  if (top === ARGOCD_DIR) return folder !== undefined && name === undefined;
  return top !== undefined && !RESERVED_NAMES.has(top) && folder === 'kubernetes' && name !== undefined && rest.length === 0;
}

/**
 * The environment a file of the repository belongs to: `environments/<name>.ts`, or a path under
 * `generated/<name>/`. None for a system file, the index, the manifest or argocd/, which serve several.
 */
export function environmentOf(file: string): string | undefined {
  const [top, name, ...rest] = file.split('/');
  if (top === ENVIRONMENTS_DIR) return name?.endsWith('.ts') && rest.length === 0 ? name.slice(0, -'.ts'.length) : undefined;
  return top === GENERATED_DIR && name !== undefined && rest.length > 0 && !RESERVED_NAMES.has(name) ? name : undefined;
}
