/** One Compose service: a model service, or one member of a stateful one. */
import { baseReplicas, CONFIG_HASH_KEY, configFilesOf, configHash, NOT_IN_DOCKER } from '@kiln/model';
import type { Service } from '@kiln/model';
import type { ComposeService, Deploy } from './compose-file.js';
import { composeEnvironment, composeText } from './environment.js';
import { healthcheck } from './healthcheck.js';
import { escapeInterpolation } from './interpolation.js';
import type { Member } from './members.js';
import { mounts } from './mounts.js';
import { memberNetworks } from './networks.js';
import { exposedPorts, publishedPorts } from './ports.js';
import { deployResources } from './resources.js';
import { secretMounts } from './secrets.js';

/** What a service needs to know about the others. */
export interface ServiceContext {
  /** Compose services of each model service, by model name: members for stateful ones. */
  readonly members: ReadonlyMap<string, readonly Member[]>;
  /** Model services with a healthcheck, which dependants can wait for. */
  readonly healthy: ReadonlySet<string>;
  /** Networks each model service joins. */
  readonly networks: ReadonlyMap<string, readonly string[]>;
  /** The environment's restart policy (by stage). */
  readonly restart: 'on-failure' | 'unless-stopped';
  /** Every model service, for the peer lists one names (`peersOf`). */
  readonly services: readonly Service[];
}

/** `sysctls` are the container-settable ones, already filtered. Keys are set in the file's reading order. */
export function composeService(service: Service, member: Member, context: ServiceContext, sysctls: Readonly<Record<string, string>>): ComposeService {
  const out: ComposeService = { image: service.image };
  // A member's own files make its hash its own.
  if (service.config) out.labels = { [CONFIG_HASH_KEY]: configHash(configFilesOf(service, member.id)) };
  if (service.command && service.command.length > 0) out.entrypoint = [...service.command];
  if (service.args && service.args.length > 0) out.command = [...service.args];
  if (member.id !== undefined) out.hostname = member.name;
  const user = userOf(service);
  if (user !== undefined) out.user = user;
  const environment = composeEnvironment(service, member, context.services);
  if (Object.keys(environment).length > 0) out.environment = environment;
  const secrets = secretMounts(service, member);
  if (secrets.length > 0) out.secrets = secrets;
  const ports = publishedPorts(service);
  if (ports.length > 0) out.ports = ports;
  const expose = exposedPorts(service);
  if (expose.length > 0) out.expose = expose;
  const check = healthcheck(service);
  if (check) out.healthcheck = check;
  const dependsOn = dependencies(service, context);
  if (Object.keys(dependsOn).length > 0) out.depends_on = dependsOn;
  const deploy = deployOf(service);
  if (deploy) out.deploy = deploy;
  if (Object.keys(service.ulimits).length > 0) {
    // `as` and `maxlogins` are PAM's alone: Docker refuses them (the host profile carries them).
    const ulimits = Object.entries(service.ulimits).filter(([name]) => !NOT_IN_DOCKER.has(name));
    if (ulimits.length > 0) out.ulimits = Object.fromEntries(ulimits.map(([name, { soft, hard }]) => [name, { soft, hard }]));
  }
  if (Object.keys(sysctls).length > 0) out.sysctls = { ...sysctls };
  if (service.security.readOnlyRootFilesystem) out.read_only = true;
  if (!service.security.allowPrivilegeEscalation) out.security_opt = ['no-new-privileges:true'];
  out.cap_drop = ['ALL'];
  if (service.scratch.length > 0) out.tmpfs = [...service.scratch];
  const volumes = mounts(service, member);
  if (volumes.length > 0) out.volumes = volumes;
  const networks = context.networks.get(service.name) ?? [];
  if (networks.length > 0) out.networks = member.id === undefined ? [...networks] : memberNetworks(networks, service.name);
  out.restart = context.restart;
  if (service.stopSignal) out.stop_signal = service.stopSignal;
  out.stop_grace_period = `${service.terminationGracePeriodSeconds}s`;
  const escaped = escapeInterpolation(out);
  // The environment is escaped value by value already: its secret interpolations must stay live. So
  // are command and args of a service that expands `$(NAME)`.
  if (out.environment) escaped.environment = out.environment;
  if (service.expand) {
    const text = composeText(service, member, context.services);
    if (out.entrypoint) escaped.entrypoint = out.entrypoint.map(text);
    if (out.command) escaped.command = out.command.map(text);
  }
  return escaped;
}

/** `uid[:gid]`; Compose cannot set a group without a user, so runAsGroup alone is left to the image. */
function userOf(service: Service): string | undefined {
  const { runAsUser, runAsGroup } = service.security;
  if (runAsUser === undefined) return undefined;
  return runAsGroup === undefined ? `${runAsUser}` : `${runAsUser}:${runAsGroup}`;
}

/** Long-form `depends_on`: wait for health where the dependency reports it; a stateful one means all members. */
function dependencies(service: Service, context: ServiceContext): NonNullable<ComposeService['depends_on']> {
  const entries = service.dependsOn.flatMap((name) => {
    const condition = context.healthy.has(name) ? ('service_healthy' as const) : ('service_started' as const);
    return (context.members.get(name) ?? []).map((member) => [member.name, { condition }] as const);
  });
  return Object.fromEntries(entries);
}

function deployOf(service: Service): Deploy | undefined {
  const deploy: Deploy = {};
  // Members are separate Compose services; replicas only make sense for interchangeable containers.
  const replicas = baseReplicas(service);
  if (!service.stateful && replicas !== 1) deploy.replicas = replicas;
  const resources = deployResources(service.resources);
  if (resources) deploy.resources = resources;
  return Object.keys(deploy).length > 0 ? deploy : undefined;
}
