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

export const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A tag as the Docker reference grammar has it (TAG), said for people. */
export const TAG_RULE = "a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";

/** Parses an image reference; `undefined` when it is not one. */
export function parseImage(text: string): ImageReference | undefined {
  const parts = splitImage(text);
  return imageProblemOf(parts) === undefined ? parts : undefined;
}

/** Why a text is no image reference, naming the part that is wrong; `undefined` when it is one. */
export function imageProblem(text: string): string | undefined {
  return imageProblemOf(splitImage(text));
}

/** The parts of `[registry/]repository[:tag][@digest]`, unchecked. */
function splitImage(text: string): ImageReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

function imageProblemOf({ repository, tag, digest }: ImageReference): string | undefined {
  if (digest !== undefined && !DIGEST.test(digest)) return `the digest '${digest}' is not 'sha256:' and 64 lower-case hexadecimal digits`;
  if (tag !== undefined && !TAG.test(tag)) return tag === '' ? "the tag after ':' is empty" : `the tag '${tag}' is not valid: ${TAG_RULE}`;
  if (!REPOSITORY.test(repository)) {
    return `the repository '${repository}' is not valid: lower-case letters and digits, separated by '.', '_', '__' or '-', in parts joined by '/', after an optional registry host and port`;
  }
  return undefined;
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
