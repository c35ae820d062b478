/** Every diagnostic code the Compose emitter reports: one place, so the list is the documentation. */
export const ComposeCode = {
  /** A node-level sysctl (`net.core.rmem_max`, `fs.file-max`, `vm.*`): runc refuses it in a container. */
  SYSCTL_NODE_LEVEL: 'SYSCTL_NODE_LEVEL',
  /** More than one container of a service would publish the same host port on the one Compose host. */
  COMPOSE_PUBLISHED_PORT_REPLICAS: 'COMPOSE_PUBLISHED_PORT_REPLICAS',
  /** Two services publish the same host port and protocol on the one Compose host. */
  COMPOSE_HOST_PORT_CONFLICT: 'COMPOSE_HOST_PORT_CONFLICT',
  /** A secret's `<NAME>_FILE` variable collides with a variable the service already sets. */
  COMPOSE_ENV_CONFLICT: 'COMPOSE_ENV_CONFLICT',
  /** Two Compose services, or two services' volumes, would get one name (`db-0`, `<service>-<volume>`). */
  COMPOSE_NAME_CONFLICT: 'COMPOSE_NAME_CONFLICT',
  /** The generated document fails the Compose Specification schema: a bug in Kiln, reported as data. */
  COMPOSE_SCHEMA_INVALID: 'COMPOSE_SCHEMA_INVALID',
} as const;
export type ComposeCode = (typeof ComposeCode)[keyof typeof ComposeCode];
