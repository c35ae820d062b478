/** Names the field's tools accept, with the rule each one enforces. */

/** RFC 1123 label, as Kubernetes checks namespace, service and most object names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL_MAX = 63;

/** A DNS name (RFC 1123 subdomain): lower-case labels joined by dots, at most 253 characters. */
export const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** IANA service name, as Kubernetes checks container port names. */
export const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/** POSIX-ish environment variable name, as Kubernetes and Compose both accept. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A sysctl key (`net.core.somaxconn`). */
export const SYSCTL_KEY = /^[a-z0-9_]+(\.[a-z0-9_-]+)+$/;

export function isDns1123Label(name: string): boolean {
  return name.length <= DNS_1123_LABEL_MAX && DNS_1123_LABEL.test(name);
}

/** The candidate within two edits, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance && candidate !== word) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The fix for a name that is none of `known`: the closest one if a typo is likely, then them all
 * (`did you mean 'api'? services: api, db`). `what` names the list (`services`, `environments`).
 */
export function suggestName(name: string, known: Iterable<string>, what: string): string {
  const names = [...new Set(known)].sort();
  const near = closest(name, names);
  return `${near === undefined ? '' : `did you mean '${near}'? `}${what}: ${names.join(', ') || 'none'}`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
