/**
 * Members and what differs between them: a member's own files must name a member the service has
 * in this environment (after `overrides.<service>.members`), `{id}` is replaced only in a member's
 * own file, and `peersOf()` must name a service with a peer list that a flow reaches.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { MEMBER_ID, memberIds } from './normalize.js';
import { suggestName } from './names.js';
import { own } from './records.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type Path = (string | number)[];
type Services = ReadonlyMap<string, { readonly service: ParsedService; readonly path: Path }>;

/** A stateful service's member ids in this environment, after its override; none for other services. */
export function memberIdsIn(env: ParsedEnvironment, service: ParsedService): number[] {
  if (!service.stateful) return [];
  return memberIds({ ...service.stateful, members: own(env.overrides, service.name)?.members ?? service.stateful.members });
}

/** Whether members of a service get files of their own (`secretFiles[].member`, `config.memberFiles`): each then runs as a workload of its own. */
export function hasOwnFiles(service: ParsedService): boolean {
  return service.secretFiles.some((file) => file.member !== undefined) || service.config?.memberFiles !== undefined;
}

/**
 * A member's pod on Kubernetes: `<service>-<id>` in the service's StatefulSet, or `<service>-<id>-0`
 * where each member is a StatefulSet of its own (a pod template cannot differ by ordinal).
 */
export function memberPodName(service: string, id: number, ownWorkload: boolean): string {
  return ownWorkload ? `${service}-${id}-0` : `${service}-${id}`;
}

export function checkMembers(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [];
  for (const { service, path } of services.values()) {
    const ids = memberIdsIn(env, service);
    const override = own(env.overrides, service.name);
    const counted = override?.members === undefined ? `stateful.members is ${ids.length}` : `overrides.${service.name}.members is ${ids.length}`;
    const unknownMember = (at: Path, what: string): Issue =>
      service.stateful
        ? { code: ModelCode.UNKNOWN_MEMBER, path: at, message: `${what} of service '${service.name}' is for a member it does not have: its members are ${ids.join(', ')} (${counted})`, hint: `use one of ${ids.join(', ')}, or member: 'each' for one file per member` }
        : { code: ModelCode.UNKNOWN_MEMBER, path: at, message: `${what} of service '${service.name}' is for a member, and the service has none`, hint: 'declare stateful (members with stable ids) on the service, or drop member' };
    service.secretFiles.forEach((file, i) => {
      const at: Path = [...path, 'secretFiles', i];
      if (file.member === 'each' ? !service.stateful : file.member !== undefined && !ids.includes(file.member)) issues.push(unknownMember([...at, 'member'], `secret file ${file.path}`));
      if (file.member !== 'each' && (file.path.includes(MEMBER_ID) || file.key.includes(MEMBER_ID))) {
        issues.push({ code: ModelCode.INVALID_VALUE, path: [...at, file.path.includes(MEMBER_ID) ? 'path' : 'key'], message: `'${MEMBER_ID}' in secret file ${file.path} is replaced only in a file every member gets its own of`, hint: "add member: 'each'" });
      }
    });
    const config = service.config;
    if (config?.memberFiles && !service.stateful) issues.push(unknownMember([...path, 'config', 'memberFiles'], 'configuration files'));
    for (const name of Object.keys(config?.memberFiles ?? {})) {
      const shared = Object.hasOwn(config?.files ?? {}, name) ? [...path, 'config', 'files', name] : Object.hasOwn(override?.configFiles ?? {}, name) ? ['overrides', service.name, 'configFiles', name] : undefined;
      if (shared) issues.push({ code: ModelCode.MOUNT_PATH_CONFLICT, path: shared, message: `configuration file '${name}' of service '${service.name}' is both shared and each member's own`, hint: `keep it in one of config.files and config.memberFiles` });
    }
    if (override?.members !== undefined && !service.stateful) {
      issues.push({ code: ModelCode.REPLICAS_CONFLICT, path: ['overrides', service.name, 'members'], message: `service '${service.name}' has no members`, hint: service.autoscaling ? 'override autoscaling.minReplicas and maxReplicas instead' : 'override replicas instead' });
    }
    if (override?.configFiles !== undefined && !config) {
      issues.push({ code: ModelCode.INVALID_VALUE, path: ['overrides', service.name, 'configFiles'], message: `service '${service.name}' has no configuration directory for these files`, hint: "declare config: { mountPath: '…', files: {} } on the service" });
    }
    issues.push(...checkPeersOf(env, services, service, path));
  }
  return issues;
}

/** `peersOf('name')` names a service of the environment that declares a peer list, and a flow from the caller reaches its peer port. */
function checkPeersOf(env: ParsedEnvironment, services: Services, service: ParsedService, path: Path): Issue[] {
  const issues: Issue[] = [];
  const override = own(env.overrides, service.name)?.env ?? {};
  const values = [...Object.entries(service.env).filter(([name]) => !Object.hasOwn(override, name)).map(([name, value]) => ({ value, at: [...path, 'env', name] })), ...Object.entries(override).map(([name, value]) => ({ value, at: ['overrides', service.name, 'env', name] }))];
  for (const { value, at } of values) {
    if (typeof value !== 'object' || !('peersOf' in value)) continue;
    const target = services.get(value.peersOf)?.service;
    if (!target) {
      issues.push({ code: ModelCode.UNKNOWN_SERVICE, path: at, message: `there is no service '${value.peersOf}' in this environment`, hint: suggestName(value.peersOf, services.keys(), 'services') });
      continue;
    }
    const peers = target.stateful?.peers;
    if (!peers) {
      issues.push({
        code: ModelCode.NO_PEER_LIST,
        path: at,
        message: `service '${target.name}' declares no peer list for peersOf() to copy`,
        hint: target.stateful ? "declare stateful.peers on it: { env: '…', port: '<port name>' }" : "make it stateful, with stateful.peers: { env: '…', port: '<port name>' }",
      });
      continue;
    }
    const flows = env.systems.flatMap((system) => system.flows);
    if (!flows.some((flow) => flow.from === service.name && flow.to === target.name && flow.port === peers.port)) {
      issues.push({
        code: ModelCode.HOST_WITHOUT_FLOW,
        path: at,
        message: `'${service.name}' gets the members of '${target.name}' as peers, and no flow reaches their port '${peers.port}'`,
        hint: `declare the flow: { from: '${service.name}', to: '${target.name}', port: '${peers.port}' }`,
      });
    }
  }
  return issues;
}
