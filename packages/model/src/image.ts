/**
 * Container image references: `[registry/]repository[:tag][@digest]`, split the way the Docker
 * reference grammar does (a `:` after the last `/` starts the tag; a registry may carry a port).
 */
import { own } from './records.js';

export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses an image reference; `undefined` when it is not one. */
export function parseImage(text: string): ImageReference | undefined {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (!REPOSITORY.test(rest)) return undefined;
  return { repository: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

export function formatImage(image: ImageReference): string {
  return `${image.repository}${image.tag === undefined ? '' : `:${image.tag}`}${image.digest === undefined ? '' : `@${image.digest}`}`;
}

/** Pinned means a digest, or a tag other than `latest`: the same manifest always runs the same bits. */
export function isPinned(image: ImageReference): boolean {
  return image.digest !== undefined || (image.tag !== undefined && image.tag !== 'latest');
}

/** A tag alone (`'1.4.3'`), as `images` in an environment may give one. */
export function isTag(text: string): boolean {
  return TAG.test(text);
}

/**
 * The image a service runs in an environment: the environment's `images` entry for it — a tag on the
 * service's repository, or a whole reference — or else the system's image.
 */
export function imageIn(images: Readonly<Record<string, string>>, service: { readonly name: string; readonly image: string }): string {
  const version = own(images, service.name);
  if (version === undefined) return service.image;
  if (!isTag(version)) return version;
  return formatImage({ repository: parseImage(service.image)?.repository ?? service.image, tag: version });
}
