/** Names the field's tools accept, with the rule each one enforces. */

/** RFC 1123 label, as Kubernetes checks namespace, service and most object names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL_MAX = 63;

/** IANA service name, as Kubernetes checks container port names. */
export const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/** POSIX-ish environment variable name, as Kubernetes and Compose both accept. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A sysctl key (`net.core.somaxconn`). */
export const SYSCTL_KEY = /^[a-z0-9_]+(\.[a-z0-9_-]+)+$/;

export function isDns1123Label(name: string): boolean {
  return name.length <= DNS_1123_LABEL_MAX && DNS_1123_LABEL.test(name);
}
