/**
 * The commands an on-call engineer types, for the environment's own targets with its real names:
 * the namespace and `app.kubernetes.io/name` selector on Kubernetes (a StatefulSet for stateful
 * services), the Compose project and file (one Compose service per stateful member), the machines
 * and systemd units on hosts. Names come from the model, which restricts them to DNS labels, so
 * they need no shell quoting.
 */
import { hasMemberFiles, secretsOf } from '@kiln/model';
import type { Environment, Service } from '@kiln/model';
import type { Segment } from './markdown.js';

export const TARGET_KINDS = ['kubernetes', 'compose', 'hosts'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const TARGET_TITLES: Readonly<Record<TargetKind, string>> = { kubernetes: 'Kubernetes', compose: 'Docker Compose', hosts: 'Hosts' };

/** The commands of one service on one target. */
export interface ServiceCommands {
  readonly service: string;
  /** What the service is there (`StatefulSet`, `Compose services db-0, db-1`, `systemd unit on …`). */
  readonly about: Segment[];
  /** Shell lines; null where the service does not run on this target. */
  readonly commands: string | null;
}

export interface TargetCommands {
  readonly kind: TargetKind;
  readonly title: string;
  /** Where the commands run. */
  readonly where: Segment[];
  readonly services: ServiceCommands[];
}

/** The environment's targets, in a fixed order. */
export function targetsOf(environment: Environment): TargetKind[] {
  return TARGET_KINDS.filter((kind) => environment.targets[kind] !== undefined);
}

/** The Compose file, relative to the repository root, as the README tells people to run it. */
export function composeFile(environment: Environment): string {
  return `generated/${environment.name}/compose/docker-compose.yml`;
}

/** `docker compose` on the environment's project and file, as the runbooks' commands start. */
export function dockerCompose(environment: Environment): string {
  return `docker compose -p ${environment.name} -f ${composeFile(environment)}`;
}

/**
 * `{namespace}`, `{project}` and `{compose}` in a procedure's command, filled in by plain
 * replacement: user text is never a template. A placeholder the environment has no value for stays.
 */
export function fillPlaceholders(environment: Environment, command: string): string {
  const values: [string, string | undefined][] = [
    ['{namespace}', environment.targets.kubernetes?.namespace],
    ['{project}', environment.name],
    ['{compose}', composeFile(environment)],
  ];
  return values.reduce((text, [placeholder, value]) => (value === undefined ? text : text.replaceAll(placeholder, value)), command);
}

export function serviceCommands(environment: Environment, services: readonly Service[]): TargetCommands[] {
  return targetsOf(environment).map((kind) => {
    switch (kind) {
      case 'kubernetes':
        return kubernetes(environment, services);
      case 'compose':
        return compose(environment, services);
      case 'hosts':
        return hosts(environment, services);
    }
  });
}

function kubernetes(environment: Environment, services: readonly Service[]): TargetCommands {
  const target = environment.targets.kubernetes;
  const namespace = target?.namespace ?? environment.name;
  return {
    kind: 'kubernetes',
    title: TARGET_TITLES.kubernetes,
    where: [{ text: 'Namespace ' }, { code: namespace }, { text: ' on cluster ' }, { code: target?.cluster ?? '' }, { text: '.' }],
    services: services.map((service) => {
      if (service.database) return { service: service.name, about: [{ text: 'CloudNativePG Cluster ' }, { code: service.name }], commands: clusterCommands(namespace, service.name) };
      // Members with files of their own are a StatefulSet each: restarted one at a time.
      const names = service.stateful && hasMemberFiles(service) ? service.stateful.ids.map((id) => `${service.name}-${id}`) : [service.name];
      const workloads = names.map((name) => `${service.stateful ? 'statefulset' : 'deployment'}/${name}`);
      const selector = `app.kubernetes.io/name=${service.name}`;
      const kubectl = `kubectl -n ${namespace}`;
      return {
        service: service.name,
        about: [{ text: service.stateful ? (names.length > 1 ? 'StatefulSets ' : 'StatefulSet ') : 'Deployment ' }, ...names.flatMap((name, i) => [...(i > 0 ? [{ text: ', ' }] : []), { code: name }])],
        commands: [
          '# pods, their state and nodes',
          `${kubectl} get pods -l ${selector} -o wide`,
          ...workloads.map((workload) => `${kubectl} describe ${workload}`),
          '# recent logs of every pod',
          `${kubectl} logs -l ${selector} --all-containers --prefix --tail=200`,
          names.length > 1 ? '# restart, one member at a time, each rolled out before the next' : '# restart, then wait until it is rolled out',
          ...workloads.flatMap((workload) => [`${kubectl} rollout restart ${workload}`, `${kubectl} rollout status ${workload}`]),
        ].join('\n'),
      };
    }),
  };
}

/** A CloudNativePG Cluster's instances, primary, logs and a psql session (the kubectl cnpg plugin). */
export function clusterCommands(namespace: string, name: string): string {
  return [
    '# instances, the primary, replication and backups (the kubectl cnpg plugin)',
    `kubectl cnpg status ${name} -n ${namespace}`,
    '# which pod is the primary',
    `kubectl -n ${namespace} get pods -l cnpg.io/cluster=${name} -L cnpg.io/instanceRole`,
    '# recent logs of every instance',
    `kubectl -n ${namespace} logs -l cnpg.io/cluster=${name} --prefix --tail=200`,
    '# a psql session on the primary',
    `kubectl cnpg psql ${name} -n ${namespace}`,
  ].join('\n');
}

function compose(environment: Environment, services: readonly Service[]): TargetCommands {
  const compose = dockerCompose(environment);
  return {
    kind: 'compose',
    title: TARGET_TITLES.compose,
    where: [
      { text: 'Project ' },
      { code: environment.name },
      // Compose interpolates every secret variable even for ps and logs (see the README).
      ...(secretsOf(environment).length > 0 ? [{ text: ', from the repository root, with the secrets in place beside the Compose file (' }, { code: '.env' }, { text: ' and the secret files): Compose refuses to run without them.' }] : [{ text: ', from the repository root.' }]),
    ],
    services: services.map((service) => {
      // Compose has no StatefulSet: each member is a Compose service of its own, restarted one at a time.
      const members = service.stateful ? service.stateful.ids.map((id) => `${service.name}-${id}`) : [service.name];
      return {
        service: service.name,
        about: service.stateful ? [{ text: members.length > 1 ? 'Compose services ' : 'Compose service ' }, ...members.flatMap((m, i) => [...(i > 0 ? [{ text: ', ' }] : []), { code: m }])] : [{ text: 'Compose service ' }, { code: service.name }],
        commands: [
          '# containers and their state',
          `${compose} ps ${members.join(' ')}`,
          '# recent logs',
          `${compose} logs --tail=200 ${members.join(' ')}`,
          service.stateful ? '# restart, one member at a time' : '# restart',
          ...members.map((member) => `${compose} restart ${member}`),
        ].join('\n'),
      };
    }),
  };
}

function hosts(environment: Environment, services: readonly Service[]): TargetCommands {
  const machines = environment.targets.hosts?.machines ?? [];
  return {
    kind: 'hosts',
    title: TARGET_TITLES.hosts,
    where: [{ text: 'Each service is a systemd unit of its name on the machines that run it.' }],
    services: services.map((service) => {
      const on = machines.filter((machine) => machine.services.includes(service.name));
      return {
        service: service.name,
        about: on.length === 0 ? [{ text: 'no machine runs it' }] : [{ text: 'systemd unit ' }, { code: service.name }, { text: ' on ' }, ...on.flatMap((m, i) => [...(i > 0 ? [{ text: ', ' }] : []), { code: m.name }])],
        commands:
          on.length === 0
            ? null
            : on
          .map((machine) =>
            [
              `# ${machine.name} (${machine.address})`,
              `ssh ${machine.name} systemctl status ${service.name}`,
              `ssh ${machine.name} journalctl -u ${service.name} --since -1h`,
              `ssh ${machine.name} sudo systemctl restart ${service.name}`,
            ].join('\n'),
          )
          .join('\n\n'),
      };
    }),
  };
}
