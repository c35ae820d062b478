/** The context of an environment's runbooks/README.md: the index and the topology. */
import type { Environment } from '@kiln/model';
import { alertGroups } from './alert-runbook.js';
import { databaseRunbookFile, managedDatabases } from './database-runbook.js';
import { TARGET_TITLES, targetsOf } from './commands.js';
import type { IndexContext } from './contexts.js';
import { needsHostTuning } from './host-tuning.js';
import { lifecycleContext } from './lifecycle.js';
import { HOST_TUNING_FILE } from './paths.js';
import { proceduresOf } from './procedure-runbook.js';
import { architectureDiagram, topologyTables } from './topology.js';

const SEVERITIES = [
  ['critical', 'Critical: pages'],
  ['warning', 'Warning: opens a ticket'],
  ['info', 'Info: for dashboards'],
] as const;

export function indexContext(environment: Environment): IndexContext {
  const alerts = alertGroups(environment).flatMap((group) => group.alerts.map((entry) => ({ ...entry, name: group.name })));
  const systemOf = new Map(environment.systems.flatMap((system) => system.procedures.map((p) => [p.name, system.name] as const)));
  const targets = targetsOf(environment).map((kind) => TARGET_TITLES[kind]);
  return {
    environment: environment.name,
    description: environment.description ?? null,
    facts: [
      { text: `Stage ${environment.stage}; ${targets.length > 1 ? 'targets' : 'target'} ${targets.join(', ')}; ${environment.systems.length > 1 ? 'systems' : 'system'} ` },
      ...environment.systems.flatMap((system, i) => [...(i > 0 ? [{ text: ', ' }] : []), { code: system.name }]),
      { text: '.' },
    ],
    severities: SEVERITIES.flatMap(([severity, title]) => {
      const rows = alerts.filter(({ alert }) => alert.severity === severity).map(({ name, system, alert }) => ({ name, href: `${name}.md`, system: system.name, summary: alert.summary }));
      return rows.length > 0 ? [{ title, alerts: rows }] : [];
    }),
    procedures: [
      ...proceduresOf(environment).map((procedure) => ({ title: procedure.title, href: `${procedure.name}.md`, system: systemOf.get(procedure.name) ?? '', summary: procedure.summary })),
      // A managed database's runbook is its procedures: failover, backups, recovery.
      ...managedDatabases(environment).map((database) => ({ title: `Database ${database.name}`, href: databaseRunbookFile(database), system: database.system, summary: 'Where it runs, failover, backups and point-in-time recovery.' })),
    ],
    hostTuning: needsHostTuning(environment) ? HOST_TUNING_FILE : null,
    diagram: architectureDiagram(environment),
    ...topologyTables(environment),
    ...lifecycleContext(environment),
  };
}
