/**
 * Secret-like values never reach a diff's output: they are replaced by a fingerprint (the first 8
 * hex digits of their SHA-256), so a reviewer sees that a value changed without seeing it. A value
 * is secret-like by where it sits (a key or list item named like a credential, a Secret's data) or
 * by its shape (a URL with a password, a private key, a well-known token format) wherever it appears.
 * The shapes are the model's (@kiln/model secret-patterns.ts): the secret detector that keeps
 * secrets out of generated/ looks for the same ones.
 *
 * Masking errs on the side of hiding: `spec.secretStoreRef.name` is masked although it is only a
 * reference, because the name says "secret".
 */
import { isCredentialName } from '@kiln/model';

export { fingerprint, isCredentialName, maskText, wordsOf } from '@kiln/model';
export type { MaskTextOptions } from '@kiln/model';

/** Whether any segment of a path (keys and item names) looks like a credential. */
export function isCredentialPath(segments: readonly string[]): boolean {
  return segments.some(isCredentialName);
}
