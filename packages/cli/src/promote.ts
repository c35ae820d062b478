/**
 * Promotion along `follows`: `kiln promote FROM TO` gives TO the images FROM runs, as an edit of
 * TO's environment file (never of generated/, which `kiln generate` then rewrites), and `kiln check`
 * warns when an environment runs an image its upstream never ran, from the upstream's generated
 * history in git.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compile } from '@kiln/core';
import type { Compilation, Diagnostic, ResolveOptions } from '@kiln/core';
import { GENERATED_DIR } from '@kiln/core';
import { ModelCode, parseImage, sharedImages, suggestName } from '@kiln/model';
import type { Environment, PromotedImage } from '@kiln/model';
import { simpleGit } from 'simple-git';
import { setImages } from './edit-images.js';

export interface Promotion {
  /** TO's environment file, edited (or that would be). */
  readonly file: string;
  /** The services whose image changes, with FROM's image and TO's before. */
  readonly changes: readonly PromotedImage[];
}

export type PromoteResult = { readonly promotion: Promotion } | { readonly diagnostics: readonly Diagnostic[] };

/**
 * Gives `to` the images `from` runs, for every service both run (or the named ones), by editing
 * `images` in `to`'s file. The edited file is loaded again before it replaces the old one: if it
 * does not resolve to exactly FROM's images, nothing is written.
 */
export async function promote(repository: ResolveOptions, from: string, to: string, services: readonly string[]): Promise<PromoteResult> {
  const { root } = repository;
  const compilation = await compile({ ...repository, emitters: [], only: [from, to] });
  const upstream = compilation.environments.find((e) => e.name === from);
  const target = compilation.environments.find((e) => e.name === to);
  // Errors of other environments do not stop a promotion; errors of these two and their systems do.
  const files = new Set([upstream, target].flatMap((e) => (e ? [e.source, ...e.systems.map((s) => s.source)] : [])));
  const errors = compilation.diagnostics.filter((d) => d.severity === 'error' && (!upstream || !target || files.has(d.file)));
  if (errors.length > 0 || !upstream || !target) return { diagnostics: errors };
  if (target.follows !== from) {
    return {
      diagnostics: [
        {
          code: ModelCode.INVALID_FOLLOWS,
          severity: 'error',
          file: target.source,
          path: 'follows',
          message: `'${to}' does not follow '${from}'${target.follows ? ` (it follows '${target.follows}')` : ''}, so nothing is promoted from it`,
          hint: `declare the chain first: follows: '${from}' in ${target.source}`,
        },
      ],
    };
  }
  const shared = sharedImages(upstream, target);
  const unknown = services.filter((name) => !shared.some((image) => image.service === name));
  if (unknown.length > 0) {
    return {
      diagnostics: unknown.map((name) => ({
        code: ModelCode.UNKNOWN_SERVICE,
        severity: 'error' as const,
        file: target.source,
        path: 'images',
        message: `'${from}' and '${to}' share no service '${name}'`,
        hint: suggestName(name, shared.map((image) => image.service), 'shared services'),
      })),
    };
  }
  const changes = shared.filter((image) => image.upstream !== image.current && (services.length === 0 || services.includes(image.service)));
  if (changes.length === 0) return { promotion: { file: target.source, changes } };

  const versions = new Map(changes.map((change) => [change.service, versionFor(change)]));
  const path = join(root, target.source);
  const before = readFileSync(path, 'utf8');
  const edited = setImages(before, target.source, versions);
  if ('error' in edited) return { diagnostics: [{ code: ModelCode.INVALID_FOLLOWS, severity: 'error', file: target.source, path: 'images', message: edited.error, hint: `set ${[...versions].map(([service, version]) => `'${service}': '${version}'`).join(', ')} under images by hand` }] };
  writeKeepingMode(path, edited.text);
  // The edit is proven by loading the file again; a surprise puts the author's file back untouched.
  const again = await compile({ ...repository, emitters: [], only: [to] });
  const result = again.environments.find((e) => e.name === to);
  const proven = result !== undefined && sharedImages(upstream, result).every((image) => !versions.has(image.service) || image.current === image.upstream);
  if (!proven) {
    writeKeepingMode(path, before);
    const reasons = again.diagnostics.filter((d) => d.severity === 'error' && d.file === target.source);
    return { diagnostics: reasons.length > 0 ? reasons : [{ code: ModelCode.INVALID_FOLLOWS, severity: 'error', file: target.source, path: 'images', message: 'the edited file did not resolve to the promoted images, so it was left as it was', hint: 'set the images by hand' }] };
  }
  return { promotion: { file: target.source, changes } };
}

/** The shortest value that gives TO FROM's image: a tag on the same repository, else the whole reference. */
function versionFor(change: PromotedImage): string {
  const upstream = parseImage(change.upstream);
  const current = parseImage(change.current);
  return upstream?.tag !== undefined && upstream.digest === undefined && upstream.repository === current?.repository ? upstream.tag : change.upstream;
}

function writeKeepingMode(path: string, text: string): void {
  const temporary = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.kiln-promote-${process.pid}.tmp`);
  writeFileSync(temporary, text, { encoding: 'utf8', mode: statSync(path).mode });
  renameSync(temporary, path);
}

/**
 * IMAGE_NOT_PROMOTED: an environment that follows another runs an image that the other neither runs
 * now nor ever ran, as far as the history of its generated/ folder in git shows. Outside a git
 * repository, or in a shallow clone, there is no history, and nothing to say.
 */
export async function promotionWarnings(root: string, compilation: Compilation): Promise<Diagnostic[]> {
  const byName = new Map(compilation.environments.map((environment) => [environment.name, environment]));
  const suspects: { environment: Environment; upstream: string; image: PromotedImage }[] = [];
  for (const environment of compilation.environments) {
    const upstream = environment.follows === undefined ? undefined : byName.get(environment.follows);
    if (!upstream) continue;
    for (const image of sharedImages(upstream, environment)) if (image.upstream !== image.current) suspects.push({ environment, upstream: upstream.name, image });
  }
  if (suspects.length === 0) return [];
  const git = simpleGit({ baseDir: root });
  try {
    // A shallow clone (CI's default checkout) lacks the history this needs: nothing can be said.
    const [inside, shallow] = (await git.revparse(['--is-inside-work-tree', '--is-shallow-repository'])).trim().split('\n');
    if (inside !== 'true' || shallow !== 'false') return [];
  } catch {
    return [];
  }
  const warnings: Diagnostic[] = [];
  for (const { environment, upstream, image } of suspects) {
    // -S finds commits that add or remove the string: any commit in which the upstream ran it.
    const log = await git.raw(['log', '--format=%H', '-n', '1', `-S${image.current}`, '--', `${GENERATED_DIR}/${upstream}/`]).catch(() => '');
    if (log.trim() !== '') continue;
    warnings.push({
      code: ModelCode.IMAGE_NOT_PROMOTED,
      severity: 'warning',
      file: environment.source,
      path: `images.${image.service}`,
      message: `'${environment.name}' runs ${image.current}, which '${upstream}' (the stage it follows) never ran: it runs ${image.upstream}`,
      hint: `run it in ${upstream} first, then 'npx kiln promote ${upstream} ${environment.name}'`,
    });
  }
  return warnings;
}
