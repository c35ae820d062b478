/** The context of one alert name's runbook, from the resolved model. */
import type { Alert, Environment, Service, System } from '@kiln/model';
import type { EnvironmentIndex } from '@kiln/promql';
import { serviceCommands } from './commands.js';
import { concernedServices } from './concerns.js';
import type { AlertContext } from './contexts.js';
import { conditionInWords } from './expression-words.js';
import type { Segment } from './markdown.js';
import { panelLink } from './panel-links.js';
import { INDEX_FILE } from './paths.js';

/** Every alert of one name, with its system: one runbook covers them all (one per severity). */
export interface AlertGroup {
  readonly name: string;
  readonly alerts: readonly { readonly system: System; readonly alert: Alert }[];
}

/** Alerts grouped by name, in the order they first appear. */
export function alertGroups(environment: Environment): AlertGroup[] {
  const groups = new Map<string, { system: System; alert: Alert }[]>();
  for (const system of environment.systems) {
    for (const alert of system.alerts) groups.set(alert.name, [...(groups.get(alert.name) ?? []), { system, alert }]);
  }
  return [...groups].map(([name, alerts]) => ({ name, alerts }));
}

const SEVERITY_ORDER = ['critical', 'warning', 'info'] as const;

export function alertContext(environment: Environment, index: EnvironmentIndex, group: AlertGroup): AlertContext {
  const alerts = [...group.alerts].sort((a, b) => SEVERITY_ORDER.indexOf(a.alert.severity) - SEVERITY_ORDER.indexOf(b.alert.severity));
  const several = alerts.length > 1;
  const services = unique(alerts.flatMap(({ system, alert }) => concernedServices(environment, index, system, alert)));
  const systems = unique(alerts.map(({ system }) => system.name));
  return {
    name: group.name,
    intro: [
      { text: `An alert of ${systems.length > 1 ? 'systems' : 'system'} ` },
      ...list(systems),
      { text: ` in ${environment.name}, at severity ${alerts.map(({ alert }) => alert.severity).join(' and ')}. It concerns ` },
      ...list(services.map((service) => service.name)),
      { text: '.' },
    ],
    variants: alerts.map(({ system, alert }) => {
      const slo = alert.slo === undefined ? undefined : system.slos.find((s) => s.name === alert.slo);
      const labels = Object.entries(alert.labels);
      return {
        heading: several ? `Severity ${alert.severity}` : null,
        level: several ? 3 : 2,
        severity: alert.severity,
        summary: alert.summary,
        description: alert.description,
        slo: slo
          ? [{ text: 'Kiln generated this alert from the SLO ' }, { code: slo.name }, { text: ` of ${slo.service}: ${slo.description} (objective ${slo.objective}% over ${slo.period}).` }]
          : null,
        condition: [...conditionInWords(alert.expr, alert.for), { text: `. Severity ${alert.severity}.` }],
        labels: labels.length > 0 ? [{ text: 'It carries the labels ' }, ...list(labels.map(([k, v]) => `${k}="${v}"`)), { text: '.' }] : null,
        expr: alert.expr,
        impact: alert.runbook.impact,
        diagnosis: [...alert.runbook.diagnosis],
        mitigation: [...alert.runbook.mitigation],
        escalation: alert.runbook.escalation ?? null,
        panel: alert.runbook.panel ? panelLink(environment, alert.runbook.panel) : null,
      };
    }),
    commands: serviceCommands(environment, services),
    index: INDEX_FILE,
  };
}

/** Names as code, comma-separated. */
export function list(names: readonly string[]): Segment[] {
  return names.flatMap((name, i) => [...(i > 0 ? [{ text: ', ' }] : []), { code: name }]);
}

function unique<T extends string | Service>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
