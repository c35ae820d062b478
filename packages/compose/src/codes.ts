/**
 * Every diagnostic code the Compose emitter reports: one place, so the list is the documentation.
 * Each starts with COMPOSE_, as the Kubernetes emitter's start with K8S_, so a code names its target.
 */
export const ComposeCode = {
  /** More than one container of a service would publish the same host port on the one Compose host. */
  COMPOSE_PUBLISHED_PORT_REPLICAS: 'COMPOSE_PUBLISHED_PORT_REPLICAS',
  /** Two services publish the same host port and protocol on the one Compose host. */
  COMPOSE_HOST_PORT_CONFLICT: 'COMPOSE_HOST_PORT_CONFLICT',
  /** Two different secret references would be read from one shell variable (`db-password` and `db`/`password`). */
  COMPOSE_SECRET_VARIABLE_CONFLICT: 'COMPOSE_SECRET_VARIABLE_CONFLICT',
  /** Two Compose services, or two services' volumes, would get one name (`db-0`, `<service>-<volume>`). */
  COMPOSE_NAME_CONFLICT: 'COMPOSE_NAME_CONFLICT',
  /** A probe Docker would run inside the container with a program (curl, wget, bash) the image does not declare in `tools`. */
  COMPOSE_HEALTHCHECK_TOOL_MISSING: 'COMPOSE_HEALTHCHECK_TOOL_MISSING',
  /** The generated document fails the Compose Specification schema: a bug in Kiln, reported as data. */
  COMPOSE_SCHEMA_INVALID: 'COMPOSE_SCHEMA_INVALID',
} as const;
export type ComposeCode = (typeof ComposeCode)[keyof typeof ComposeCode];
