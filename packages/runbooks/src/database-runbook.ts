/**
 * The runbook of a managed database, `runbooks/database-<service>.md`: where it runs on each target,
 * who reads its connection settings, how failover works, where its backups go, and how to recover
 * to a point in time, with the commands and the manifest for the environment's own names.
 */
import { toYaml } from '@kiln/core';
import type { Database, Environment, Service } from '@kiln/model';
import { cloudNativePgAppSecret, dataDirectory, DATABASE_SETTINGS, servicesOf } from '@kiln/model';
import { z } from 'zod';
import { clusterCommands, dockerCompose, TARGET_TITLES, targetsOf } from './commands.js';
import type { Segment } from './markdown.js';
import { INDEX_FILE } from './paths.js';

const text = z.string().min(1);
const segments = z.array(z.union([z.strictObject({ text: z.string() }), z.strictObject({ code: text })])).min(1);

export const databaseContext = z.strictObject({
  service: text,
  intro: segments,
  /** Per target: what runs there, and the commands that look at it. */
  targets: z.array(z.strictObject({ title: text, facts: z.array(segments).min(1), commands: text })).min(1),
  clients: z.array(z.strictObject({ service: text, variable: text, setting: text })),
  failover: z.array(segments).min(1),
  backups: z.array(segments).min(1),
  /** Point-in-time recovery, where the database archives WAL. */
  recovery: z.strictObject({ steps: z.array(segments).min(1), manifest: text }).nullable(),
  notes: z.array(segments),
  index: z.literal(INDEX_FILE),
});
export type DatabaseContext = z.input<typeof databaseContext>;

/** The runbook beside the index: `<env>/runbooks/database-<service>.md`. */
export function databaseRunbookPath(environment: string, service: { readonly name: string }): string {
  return `${environment}/runbooks/${databaseRunbookFile(service)}`;
}

export function databaseRunbookFile(service: { readonly name: string }): string {
  return `database-${service.name}.md`;
}

/** Services that are managed databases. */
export function managedDatabases(environment: Environment): (Service & { readonly database: Database })[] {
  return servicesOf(environment).filter((service): service is Service & { readonly database: Database } => service.database !== undefined);
}

/** Prose may name literals in backticks: each becomes a code segment. */
export function databaseRunbook(environment: Environment, service: Service & { readonly database: Database }): DatabaseContext {
  const { database } = service;
  const kubernetes = environment.targets.kubernetes;
  const runs = targetsOf(environment).filter((kind) => kind !== 'hosts');
  return {
    service: service.name,
    intro: plainCode([
      { text: 'PostgreSQL database ' },
      { code: database.name },
      { text: ', owned by ' },
      { code: database.owner },
      { text: `, which Kiln manages: ${runs.map((kind) => (kind === 'kubernetes' ? 'a CloudNativePG Cluster on Kubernetes' : 'one container on Docker Compose')).join(' and ')}.` },
    ]),
    targets: runs.map((kind) => (kind === 'kubernetes' ? kubernetesFacts(environment, service) : composeFacts(environment, service))),
    clients: servicesOf(environment).flatMap((client) => (client.databaseEnv ?? []).filter((variable) => variable.database === service.name).map((variable) => ({ service: client.name, variable: variable.name, setting: variable.setting }))),
    failover: [...(kubernetes ? kubernetesFailover(environment, service) : []), ...(environment.targets.compose ? composeFailover() : [])].map(plainCode),
    backups: [...(kubernetes ? kubernetesBackups(environment, service) : []), ...(environment.targets.compose ? composeBackups(environment, service) : [])].map(plainCode),
    recovery: kubernetes && database.backup ? recovery(environment, service) : null,
    notes: (kubernetes
      ? [
          [
            { text: 'The Cluster starts empty (' },
            { code: 'bootstrap.initdb' },
            { text: '): a database that ran elsewhere before (a StatefulSet, a container) comes with its data only by a dump restored into the primary (' },
            { code: 'pg_dump -Fc' },
            { text: ', then ' },
            { code: 'pg_restore' },
            { text: ' through ' },
            { code: `kubectl cnpg psql ${service.name} -n ${kubernetes.namespace}` },
            { text: ') before the clients move.' },
          ],
          [
            { text: 'The operand image ' },
            { code: database.operandImage },
            { text: " is a `system` image: it carries barman-cloud, which the in-core backup needs. CloudNativePG does not support moving a running cluster to its `minimal` or `standard` images." },
          ],
        ]
      : []
    ).map(plainCode),
    index: INDEX_FILE,
  };
}

function kubernetesFacts(environment: Environment, service: Service & { readonly database: Database }) {
  const { database } = service;
  const target = environment.targets.kubernetes;
  const namespace = target?.namespace ?? environment.name;
  const [volume] = service.volumes;
  const name = service.name;
  return {
    title: TARGET_TITLES.kubernetes,
    facts: [
      [
        { text: 'Cluster ' },
        { code: name },
        { text: ' in namespace ' },
        { code: namespace },
        { text: ` on cluster ` },
        { code: target?.cluster ?? '' },
        { text: `: ${instances(database.instances)} of ` },
        { code: database.operandImage },
        { text: ', each with a volume of ' },
        { code: volume?.size ?? '' },
        ...(volume?.storageClass === undefined ? [] : [{ text: ' (storage class ' }, { code: volume.storageClass }, { text: ')' }]),
        { text: '.' },
      ],
      [
        { text: 'Services: ' },
        { code: `${name}-rw` },
        { text: ' (the primary: what clients use), ' },
        { code: `${name}-ro` },
        { text: ' (the replicas), ' },
        { code: `${name}-r` },
        { text: ' (any instance). The operator makes them, and its own PodDisruptionBudgets.' },
      ],
      [
        { text: 'Credentials: the secret ' },
        { code: cloudNativePgAppSecret(name) },
        { text: ', which the operator writes with a generated password for ' },
        { code: database.owner },
        { text: `; its keys ${DATABASE_SETTINGS.map((setting) => `\`${setting}\``).join(', ')} are what clients read. Superuser access over the network is off.` },
      ],
    ].map(plainCode),
    commands: clusterCommands(namespace, name),
  };
}

function composeFacts(environment: Environment, service: Service & { readonly database: Database }) {
  const { database } = service;
  const [volume] = service.volumes;
  const compose = dockerCompose(environment);
  const password = `${database.password.name}${database.password.key === 'value' ? '' : `.${database.password.key}`}`;
  return {
    title: TARGET_TITLES.compose,
    facts: [
      [
        { text: 'Compose service ' },
        { code: service.name },
        { text: ' of ' },
        { code: service.image },
        { text: ': one container, no replica. Its data is in the volume ' },
        { code: `${environment.name}_${service.name}-${volume?.name ?? 'data'}` },
        { text: ' (PGDATA ' },
        { code: dataDirectory(volume?.mountPath ?? '/') },
        { text: ').' },
      ],
      [
        { text: 'Clients connect to ' },
        { code: `${service.name}:${database.port.port}` },
        { text: ' as ' },
        { code: database.owner },
        { text: ' with the password of secret ' },
        { code: password },
        { text: ", whose variable (listed in the Compose file's `x-kiln.environment`) the `.env` beside it sets. Their URIs carry it as written: keep it to letters, digits and `._~-`, which need no percent-encoding." },
      ],
    ].map(plainCode),
    commands: [
      '# the container and its state',
      `${compose} ps ${service.name}`,
      '# recent logs',
      `${compose} logs --tail=200 ${service.name}`,
      '# a psql session',
      `${compose} exec ${service.name} psql -U ${database.owner} ${database.name}`,
    ].join('\n'),
  };
}

function kubernetesFailover(environment: Environment, service: Service & { readonly database: Database }): Segment[][] {
  const namespace = environment.targets.kubernetes?.namespace ?? environment.name;
  const name = service.name;
  const title = environment.targets.compose ? [{ text: 'Kubernetes: ' }] : [];
  if (service.database.instances === 1) {
    return [[...title, { text: 'One instance: there is no replica to promote. The operator restarts a failed pod on its volume; a lost volume needs a recovery from the backups. Raise ' }, { code: `overrides.${name}.database.instances` }, { text: ' for a standby.' }]];
  }
  return [
    [
      ...title,
      { text: `CloudNativePG watches every instance. When the primary fails it promotes the most advanced of the ${service.database.instances - 1} replicas and points ` },
      { code: `${name}-rw` },
      { text: ' at it, in seconds; clients lose their connections and must reconnect (their pools retry).' },
    ],
    [{ text: "A planned switchover, before draining the primary's node: " }, { code: `kubectl cnpg promote ${name} <instance> -n ${namespace}` }, { text: ' (an instance named by ' }, { code: 'kubectl cnpg status' }, { text: ').' }],
  ];
}

function composeFailover(): Segment[][] {
  return [[{ text: 'Docker Compose: one container, no failover. Docker restarts it when it exits; its data stays in its volume.' }]];
}

function kubernetesBackups(environment: Environment, service: Service & { readonly database: Database }): Segment[][] {
  const namespace = environment.targets.kubernetes?.namespace ?? environment.name;
  const name = service.name;
  const backup = service.database.backup;
  const title = environment.targets.compose ? [{ text: 'Kubernetes: ' }] : [];
  if (!backup) {
    return [[...title, { text: 'No backups: the environment declares none (' }, { code: `overrides.${name}.database.backup` }, { text: '). The data lives only on the instances’ volumes, and there is no point-in-time recovery.' }]];
  }
  const { accessKeyId, secretAccessKey } = backup.s3Credentials;
  return [
    [
      ...title,
      { text: 'WAL is archived continuously, gzip-compressed, to ' },
      { code: `${backup.destinationPath.replace(/\/+$/, '')}/${name}/` },
      { text: ' on ' },
      ...(backup.endpointURL === undefined ? [{ text: 'AWS S3' }] : [{ code: backup.endpointURL }]),
      { text: ', with the access key id ' },
      { code: `${accessKeyId.name}/${accessKeyId.key}` },
      { text: ' and secret access key ' },
      { code: `${secretAccessKey.name}/${secretAccessKey.key}` },
      { text: ' from the secret store.' },
    ],
    [
      { text: 'Base backups: the ScheduledBackup ' },
      { code: name },
      { text: ' runs ' },
      { code: backup.schedule },
      { text: " (six fields, seconds first, in the operator's time zone), the first right after it is created. Backups and the WAL they need are kept " },
      { code: backup.retention },
      { text: '.' },
    ],
    [{ text: 'Check them with ' }, { code: `kubectl cnpg status ${name} -n ${namespace}` }, { text: ' (the first recoverability point, the last archived WAL) and ' }, { code: `kubectl -n ${namespace} get backups` }, { text: '; take one now with ' }, { code: `kubectl cnpg backup ${name} -n ${namespace}` }, { text: '.' }],
    [
      { text: 'Backups use the Cluster’s in-core ' },
      { code: 'backup.barmanObjectStore' },
      { text: ', which CloudNativePG deprecated in 1.26 for the Barman Cloud plugin and removes in 1.31: keep the operator at 1.30 until the Cluster moves to the plugin (its migration guide, “Migrating from Built-in CloudNativePG Backup”).' },
    ],
  ];
}

function composeBackups(environment: Environment, service: Service & { readonly database: Database }): Segment[][] {
  const { database } = service;
  return [
    [
      { text: 'Docker Compose: no WAL archiving and no scheduled backup. Dump by hand: ' },
      { code: `${dockerCompose(environment)} exec -T ${service.name} pg_dump -U ${database.owner} -Fc ${database.name} > ${database.name}.dump` },
      { text: '.' },
    ],
  ];
}

function recovery(environment: Environment, service: Service & { readonly database: Database }): { steps: Segment[][]; manifest: string } {
  const namespace = environment.targets.kubernetes?.namespace ?? environment.name;
  const restored = `${service.name}-pitr`;
  return {
    steps: [
      [{ text: 'CloudNativePG recovers into a new Cluster, never in place. Write the time to recover to in ' }, { code: 'targetTime' }, { text: ' (RFC 3339, after the first recoverability point) and apply the manifest below by hand: Argo CD does not know it.' }],
      [{ text: 'Wait until ' }, { code: `kubectl cnpg status ${restored} -n ${namespace}` }, { text: ' shows it healthy, then check the data: ' }, { code: `kubectl cnpg psql ${restored} -n ${namespace}` }, { text: '.' }],
      [{ text: 'Copy back what was lost (' }, { code: 'pg_dump' }, { text: ' from ' }, { code: `${restored}-rw` }, { text: ', ' }, { code: 'pg_restore' }, { text: ' into ' }, { code: `${service.name}-rw` }, { text: '), then delete the Cluster ' }, { code: restored }, { text: ' and its volumes.' }],
    ].map(plainCode),
    manifest: toYaml(recoveryCluster(namespace, service, restored)).trimEnd(),
  };
}

/** A Cluster bootstrapped from the database's object store up to a point in time. */
export function recoveryCluster(namespace: string, service: Service & { readonly database: Database }, name: string): Record<string, unknown> {
  const { database } = service;
  const backup = database.backup;
  const [volume] = service.volumes;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace },
    spec: {
      instances: 1,
      imageName: database.operandImage,
      storage: { size: volume?.size ?? '', ...(volume?.storageClass === undefined ? {} : { storageClass: volume.storageClass }) },
      bootstrap: { recovery: { source: service.name, recoveryTarget: { targetTime: 'YYYY-MM-DDTHH:MM:SSZ' } } },
      externalClusters: [
        {
          name: service.name,
          barmanObjectStore: {
            destinationPath: backup?.destinationPath ?? '',
            ...(backup?.endpointURL === undefined ? {} : { endpointURL: backup.endpointURL }),
            s3Credentials: {
              accessKeyId: { name: backup?.s3Credentials.accessKeyId.name ?? '', key: backup?.s3Credentials.accessKeyId.key ?? '' },
              secretAccessKey: { name: backup?.s3Credentials.secretAccessKey.name ?? '', key: backup?.s3Credentials.secretAccessKey.key ?? '' },
            },
          },
        },
      ],
    },
  };
}

function instances(count: number): string {
  return count === 1 ? 'one instance' : `${count} instances (a primary and ${count - 1} streaming ${count === 2 ? 'replica' : 'replicas'})`;
}

/** Text segments with `code` in backticks split into code segments, so prose can name a few literals inline. */
function plainCode(parts: readonly Segment[]): Segment[] {
  return parts.flatMap((part): Segment[] => {
    if ('code' in part) return [part];
    return part.text
      .split(/(`[^`]+`)/)
      .filter((piece) => piece !== '')
      .map((piece): Segment => (/^`[^`]+`$/.test(piece) ? { code: piece.slice(1, -1) } : { text: piece }));
  });
}
